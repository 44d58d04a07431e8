import { org, paymentsProd, searchProd } from '@kitt/cell-layer/src/__fixtures__/examples';
import { synthAddons } from './__fixtures__/synth';

const cells = [
  ...paymentsProd.cells.map((cell) => [paymentsProd, cell.name] as const),
  ...searchProd.cells.map((cell) => [searchProd, cell.name] as const),
];

describe('example addons stacks', () => {
  it.each(cells.map(([flag, cell]) => [`${flag.id}-addons-${cell}`, flag, cell] as const))(
    'synthesizes %s as reviewed',
    (_stack, flag, cell) => {
      expect(synthAddons(flag, org, cell).tf).toMatchSnapshot();
    },
  );

  it("leaves a cell's addons stack unchanged when another cell is added or removed", () => {
    const alone = { ...searchProd, cells: searchProd.cells.filter((cell) => cell.name === 'm1') };
    expect(synthAddons(alone, org, 'm1').json).toBe(synthAddons(searchProd, org, 'm1').json);
  });

  it('synthesizes byte-identical Terraform on every run', () => {
    expect(synthAddons(searchProd, org, 'm2').json).toBe(synthAddons(searchProd, org, 'm2').json);
  });
});
