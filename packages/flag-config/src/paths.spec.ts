import { formatPath, parsePath } from './paths';

describe('field paths', () => {
  it.each([
    [['network', 'zones', 1], 'network.zones[1]'],
    [['cells', 0, 'slot'], 'cells[0].slot'],
    [['accounts', '123456789012', 'planRoleArn'], 'accounts.123456789012.planRoleArn'],
    [['odd.key', 'x'], '["odd.key"].x'],
    [[], ''],
  ] as const)('writes %j as %s and reads it back', (segments, text) => {
    expect(formatPath(segments)).toBe(text);
    expect(parsePath(text)).toEqual(segments);
  });
});
