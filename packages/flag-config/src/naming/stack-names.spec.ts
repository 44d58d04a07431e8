import { LAYERS, isLayer, layerRank, parseStackName, splitStackName, stackName, stackNameGrammar } from './stack-names';

const payments = { customer: 'payments', environment: 'prod', region: 'us-east-1' };
const id = 'payments-prod-us-east-1';

describe('the layers', () => {
  it('are flag, cell and addons, in apply order', () => {
    expect(LAYERS).toEqual(['flag', 'cell', 'addons']);
    expect(LAYERS.map(layerRank)).toEqual([0, 1, 2]);
  });

  it('are told apart from other words', () => {
    expect(isLayer('cell')).toBe(true);
    expect(isLayer('cells')).toBe(false);
    expect(isLayer(undefined)).toBe(false);
  });
});

describe('parsing stack names', () => {
  it('reads the flag stack of a FLAG', () => {
    expect(parseStackName(id, `${id}-flag`)).toEqual({ layer: 'flag' });
  });

  it('reads the layer and cell of cell and addons stacks', () => {
    expect(parseStackName(id, `${id}-cell-a1`)).toEqual({ layer: 'cell', cell: 'a1' });
    expect(parseStackName(id, `${id}-addons-m2`)).toEqual({ layer: 'addons', cell: 'm2' });
  });

  it('refuses names of another FLAG or outside the grammar', () => {
    expect(parseStackName(id, 'search-prod-us-west-2-flag')).toBeUndefined();
    expect(parseStackName(id, `${id}-cell`)).toBeUndefined();
    expect(parseStackName(id, `${id}-cell-A1`)).toBeUndefined();
    expect(parseStackName(id, `${id}-network`)).toBeUndefined();
  });

  it('splits a stack name without its FLAG id, reading the layer from the right', () => {
    expect(splitStackName(`${id}-addons-b1`)).toEqual({ flagId: id, layer: 'addons', cell: 'b1' });
    expect(splitStackName(`${id}-flag`)).toEqual({ flagId: id, layer: 'flag' });
    expect(splitStackName('network')).toBeUndefined();
  });

  it('round-trips every stack name it builds', () => {
    for (const [layer, cell] of [['flag'], ['cell', 'a1'], ['addons', 'a1']] as const) {
      const name = stackName(payments, layer, cell);
      expect(parseStackName(id, name)).toEqual(cell === undefined ? { layer } : { layer, cell });
    }
  });

  it('spells the grammar for messages', () => {
    expect(stackNameGrammar(id)).toBe(`${id}-flag, ${id}-cell-<cell> or ${id}-addons-<cell>`);
  });
});
