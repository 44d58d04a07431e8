import { SUBNET_KINDS } from './types';
test('subnet kinds exclude service networks', () => {
  expect(SUBNET_KINDS).not.toContain('service');
});
