import { layerOfStack, orderStacks, StackOrderError } from './stack-order';

const id = 'acme-prod-us-east-1';
const stack = (name: string, dependsOn: string[] = []) => ({
  flagId: id,
  stack: `${id}-${name}`,
  layer: layerOfStack(id, `${id}-${name}`),
  dependsOn: dependsOn.map((d) => `${id}-${d}`),
});
const names = (stacks: { stack: string }[]) => stacks.map((s) => s.stack.slice(id.length + 1));

describe('layerOfStack', () => {
  it.each([
    ['flag', 'flag'],
    ['cell-a1', 'cell'],
    ['addons-a1', 'addons'],
  ])('reads %s as the %s layer', (name, layer) => expect(layerOfStack(id, `${id}-${name}`)).toBe(layer));

  it('refuses a stack named outside the convention, with a stable code', () => {
    expect(() => layerOfStack(id, `${id}-network`)).toThrow(
      expect.objectContaining({ code: 'STACK_NAME_UNKNOWN_LAYER' }),
    );
    expect(() => layerOfStack(id, 'other-prod-us-east-1-flag')).toThrow(StackOrderError);
  });
});

describe('orderStacks', () => {
  it('puts the flag stack first, then cells, then addons, whatever the input order', () => {
    const input = [
      stack('addons-b1', ['cell-b1', 'flag']),
      stack('cell-b1', ['flag']),
      stack('addons-a1', ['cell-a1']),
      stack('cell-a1', ['flag']),
      stack('flag'),
    ];
    expect(names(orderStacks(input))).toEqual(['flag', 'cell-a1', 'cell-b1', 'addons-a1', 'addons-b1']);
  });

  it('orders by dependency before layer', () => {
    // A cell that (unusually) reads an addons stack still comes after it.
    const input = [stack('cell-a1', ['addons-z1']), stack('addons-z1')];
    expect(names(orderStacks(input))).toEqual(['addons-z1', 'cell-a1']);
  });

  it('ignores dependencies that are not in the list (not planned in this run)', () => {
    expect(names(orderStacks([stack('addons-a1', ['cell-a1', 'flag']), stack('cell-b1', ['flag'])]))).toEqual([
      'cell-b1',
      'addons-a1',
    ]);
  });

  it('refuses a cycle, naming the stacks in it', () => {
    expect(() => orderStacks([stack('cell-a1', ['addons-a1']), stack('addons-a1', ['cell-a1'])])).toThrow(
      expect.objectContaining({ code: 'STACK_CYCLE', message: expect.stringContaining(`${id}-cell-a1`) }),
    );
  });

  it('refuses a stack listed twice', () => {
    expect(() => orderStacks([stack('flag'), stack('flag')])).toThrow(
      expect.objectContaining({ code: 'STACK_DUPLICATE' }),
    );
  });
});
