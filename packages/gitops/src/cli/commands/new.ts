import { writeNewFlag } from '@kitt/flag-config';
import { defineCommand, UsageError } from '../command';

const TOPOLOGIES = ['single-az', 'multi-az'] as const;

function parseCellCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Plain decimal digits only: Number() would also take 1e1, 0x0a and ' 10 '.
  const count = /^[0-9]{1,3}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(count) || count < 1) {
    throw new UsageError(`--cells must be a positive whole number, got '${text}'`, 'new');
  }
  return count;
}

export const newCommand = defineCommand({
  name: 'new',
  usage: `Usage: kitt new <customer> <environment> <region> --zones ZONES --account-id ID [options]

Writes flags/<customer>/<environment>/<region>/flag.yaml. Single-AZ cells fill
slot 1 of each zone in order, then slot 2 (a1, b1, ..., a2); multi-AZ cells
take slots 1 and 2 (m1, m2). Refuses to overwrite, and writes nothing when the
result would be invalid.

Options:
  --zones ZONES           comma-separated full AZ names, e.g. us-east-1a,us-east-1b (required)
  --vpc-cidr CIDR         the FLAG's /16 (default: the first /16 of the org pool no FLAG uses)
  --topology TOPOLOGY     single-az (default) or multi-az
  --cells N               number of cells (default: one per zone, or one multi-AZ cell)
  --account-id ID         the AWS account this FLAG may touch (12 digits, required)

Example:
  kitt new payments prod us-east-1 --zones us-east-1a,us-east-1b,us-east-1c --account-id 123456789012
`,
  options: {
    zones: { type: 'string' },
    'vpc-cidr': { type: 'string' },
    topology: { type: 'string', choices: TOPOLOGIES },
    cells: { type: 'string' },
    'account-id': { type: 'string' },
  },
  positionals: { min: 3, max: 3 },
  async run({ values, positionals }, ctx) {
    const [customer, environment, region] = positionals as [string, string, string];
    const { zones } = values;
    if (!zones) throw new UsageError('--zones is required, e.g. --zones us-east-1a,us-east-1b', 'new');
    const accountId = values['account-id'];
    if (!accountId) {
      throw new UsageError('--account-id is required: the AWS account this FLAG may touch, e.g. 123456789012', 'new');
    }
    const file = writeNewFlag(ctx.cwd, {
      customer,
      environment,
      region,
      zones: zones
        .split(',')
        .map((z) => z.trim())
        .filter((z) => z.length > 0),
      vpcCidr: values['vpc-cidr'],
      topology: values.topology,
      cells: parseCellCount(values.cells),
      accountId,
    });
    ctx.stdout(`✓ wrote ${file}\n`);
    return 0;
  },
});
