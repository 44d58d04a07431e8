import { networkInput } from './__fixtures__/inputs';
import { planNetwork } from './plan';
import { renderCapacityMarkdown } from './render-capacity-markdown';

const singleAz = planNetwork(
  networkInput({ zones: ['us-east-1a', 'us-east-1b'], cells: [{ name: 'alpha', zone: 'us-east-1a', slot: 1 }] }),
);
const multiAz = planNetwork(networkInput({ topology: 'multi-az', cells: [{ name: 'm1', slot: 1 }] }));

describe('renderCapacityMarkdown', () => {
  it('gives each cell a Markdown table of figures with their formulas', () => {
    const markdown = renderCapacityMarkdown(singleAz);
    expect(markdown).toContain('**Cell `alpha`** (us-east-1a, slot 1)');
    expect(markdown).toContain('| figure | value | formula | binding |');
    expect(markdown).toContain(
      '| nodes | 251 | `min(worker addresses 251, node pod subnets 253) = 251` | worker-addresses |',
    );
    expect(markdown).toContain('| pods | 27,610 | `251 × 110 = 27,610` |  |');
  });

  it("shows the seed's network-level 63,750 beside the real figure", () => {
    expect(renderCapacityMarkdown(singleAz)).toContain(
      '| seed design (network-level) | 63,750 | `250 nodes × 255 pods = 63,750` | vs 27,610 real |',
    );
  });

  it('says for a multi-AZ cell that the shared pod network binds', () => {
    const markdown = renderCapacityMarkdown(multiAz);
    expect(markdown).toContain('| pod-network |');
    expect(markdown).toContain('not the 3 worker networks, binds');
  });

  it('says so when there are no cells', () => {
    expect(renderCapacityMarkdown(planNetwork(networkInput({ cells: [] })))).toBe(
      '_No cells yet: no capacity to report._\n',
    );
  });
});
