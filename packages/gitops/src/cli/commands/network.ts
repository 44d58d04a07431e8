import { networkPlanJson, planNetwork, renderNetworkMermaid, renderNetworkTable } from '@kitt/allocator';
import { loadFlag, networkInputOf } from '@kitt/flag-config';
import { defineCommand } from '../command';

const FORMATS = ['table', 'json', 'mermaid'] as const;
type Format = (typeof FORMATS)[number];

export const networkCommand = defineCommand({
  name: 'network',
  usage: `Usage: kitt network <flag-dir> [--format table|json|mermaid]

Prints the network plan of one FLAG: every block of the address grid, each
cell's subnets, service and etcd addresses, and its capacity with formulas.

Options:
  --format FORMAT  table (default), json (the documented contract) or mermaid (a diagram GitHub renders)

Example:
  kitt network flags/payments/prod/us-east-1 --format json
`,
  options: { format: { type: 'string', default: 'table', choices: FORMATS } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }, ctx) {
    const { format } = values;
    const flag = loadFlag(ctx.cwd, positionals[0] as string);
    const plan = planNetwork(networkInputOf(flag));
    const rendered: Record<Format, () => string> = {
      table: () => renderNetworkTable(plan, flag),
      json: () => `${JSON.stringify(networkPlanJson(plan, flag), null, 2)}`,
      mermaid: () => renderNetworkMermaid(plan),
    };
    ctx.stdout(`${rendered[format]().trimEnd()}\n`);
    return 0;
  },
});
