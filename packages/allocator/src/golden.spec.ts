import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOLDEN_EXAMPLES } from './__fixtures__/inputs';
import { planNetwork } from './plan';
import { networkPlanJson } from './plan-json';
import { renderNetworkMermaid } from './render-mermaid';
import { renderNetworkTable } from './render-table';

/**
 * Golden plans: any change to a CIDR, a figure or the JSON contract shows up
 * as a diff of these files in review. After an intended change, regenerate
 * with `UPDATE_GOLDEN=1 npx jest packages/allocator/src/golden` and review the diff.
 */
const FIXTURES = join(__dirname, '__fixtures__');

function expectGolden(file: string, actual: string): void {
  const path = join(FIXTURES, file);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe.each(Object.entries(GOLDEN_EXAMPLES))('the golden plan of %s', (name, { identity, input }) => {
  const plan = planNetwork(input);

  it('matches its JSON byte for byte', () => {
    expectGolden(`${name}.plan.json`, `${JSON.stringify(networkPlanJson(plan, identity), null, 2)}\n`);
  });

  it('matches its table', () => {
    expectGolden(`${name}.table.txt`, renderNetworkTable(plan, identity));
  });

  it('matches its Mermaid diagram', () => {
    expectGolden(`${name}.mermaid.mmd`, renderNetworkMermaid(plan));
  });
});
