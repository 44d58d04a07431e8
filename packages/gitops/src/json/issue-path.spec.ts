import { issuePath, valueAt } from './issue-path';

describe('issuePath', () => {
  it('writes keys with dots and list positions in brackets', () => {
    expect(issuePath(['stacks', 0, 'reason'])).toBe('stacks[0].reason');
    expect(issuePath([2, 'layer'])).toBe('[2].layer');
    expect(issuePath([])).toBe('');
  });
});

describe('valueAt', () => {
  it('reads the value at a path, or undefined where there is none', () => {
    expect(valueAt({ a: [{ b: 1 }] }, ['a', 0, 'b'])).toBe(1);
    expect(valueAt({ a: 1 }, ['a', 'b'])).toBeUndefined();
  });

  it('never reads through the prototype', () => {
    expect(valueAt({}, ['constructor'])).toBeUndefined();
  });
});
