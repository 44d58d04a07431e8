import { findAffected } from '../../affected/find-affected';
import { workerCountOf } from '../../synth/worker-pool';
import { formatAffected } from '../../affected/format-affected';
import type { FlagDetector } from '../../affected/types';
import { defineCommand } from '../command';

const DETECTORS = ['nx', 'paths'] as const satisfies readonly FlagDetector[];

export const affectedCommand = defineCommand({
  name: 'affected',
  usage: `Usage: kitt affected [--base REF] [--head REF] [--json] [--detector nx|paths]

Finds the FLAGs a change touches (a flag.yaml: that FLAG; flags/org.yaml:
every FLAG; a package or the lock file: the FLAGs Nx says depend on it), then
synthesizes only those FLAGs at head and at base (each with its own code) and
compares every stack's cdk.tf.json. A stack is planned when it is new, its
config changed, or a stack it depends on is planned; a stack only base has is
planned as a destroy. The others are listed as unchanged.

Options:
  --base REF       commit to compare against (default: main)
  --head REF       commit to compare (default: the working tree, uncommitted files included)
  --json           print the report as JSON: stacks[] in apply order
                   ({flag, flagDir, stack, layer, dependsOn, reason, accountId, planRoleArn}),
                   unchanged[], and matrix (the plan jobs, for GitHub Actions)
  --detector NAME  nx (default): Nx maps changed packages to FLAGs;
                   paths: any changed package affects every FLAG

Examples:
  kitt affected --base origin/main
  kitt affected --base "$BASE_SHA" --head "$GITHUB_SHA" --json
`,
  options: {
    base: { type: 'string' },
    head: { type: 'string' },
    json: { type: 'boolean', default: false },
    detector: { type: 'string', default: 'nx', choices: DETECTORS },
  },
  async run({ values }, ctx) {
    const report = await findAffected({
      cwd: ctx.cwd,
      base: values.base ?? 'main',
      ...(values.head !== undefined ? { head: values.head } : {}),
      detector: values.detector,
      ...workersOf(ctx.env),
    });
    if (values.json) {
      ctx.stdout(`${JSON.stringify(report, null, 2)}\n`);
      for (const warning of report.warnings) ctx.stderr(`! ${warning}\n`);
    } else {
      ctx.stdout(formatAffected(report));
    }
    return 0;
  },
});

/** KITT_SYNTH_WORKERS, when set: the worker threads both sides share. */
function workersOf(env: Readonly<Record<string, string | undefined>>): { workers?: number } {
  const workers = workerCountOf(env);
  return workers === undefined ? {} : { workers };
}
