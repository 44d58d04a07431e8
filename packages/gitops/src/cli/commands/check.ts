import { addonsInputIssues } from '@kitt/addons-layer';
import { FLAG_FILE_NAME, InputError, checkRepository, flagIdOfDir } from '@kitt/flag-config';
import { defineCommand } from '../command';

export const checkCommand = defineCommand({
  name: 'check',
  usage: `Usage: kitt check [flag-dir...] [--base REF]

Validates every FLAG (or the ones named) and the rules between FLAGs, always
against every FLAG in the repository: directory equals the triple, no two
FLAGs share a triple, VPCs do not overlap; and what the layers would refuse
at synthesis (a cell's Kubernetes minor with no pinned addon image). With --base, also the stability
rules against that commit: zones are append-only, cells keep their slot, a
slot freed by a removed cell is not reused in the same change, and a FLAG's
account, VPC, topology and pod network and the org's state backend stay. A
FLAG removed since that commit is listed with a warning: its stacks will be
destroyed.
Prints every error, not just the first; exit 1 when there is any.

Options:
  --base REF  a git commit, branch or tag to check stability against

Examples:
  kitt check
  kitt check flags/payments/prod/us-east-1 --base origin/main
`,
  options: { base: { type: 'string' } },
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
  async run({ values, positionals }, ctx) {
    const baseRef = values.base;
    const dirs = positionals.length > 0 ? [...positionals] : undefined;
    const { flags, issues, removed } = checkRepository(ctx.cwd, { dirs, baseRef, flagRules: [addonsInputIssues] });
    for (const dir of removed) {
      const id = flagIdOfDir(dir);
      ctx.stdout(
        `⚠ FLAG ${id} removed since ${baseRef}: ${dir}/${FLAG_FILE_NAME} is gone, ` +
          `so every stack of ${id} (flag, cells, addons) will be planned for DESTROY\n`,
      );
    }
    if (issues.length > 0) throw new InputError(issues);
    for (const flag of flags) ctx.stdout(`✓ ${flag.file}\n`);
    const against = baseRef ? ` (stability checked against ${baseRef})` : '';
    ctx.stdout(`✓ ${flags.length} FLAG(s) valid${against}.\n`);
    return 0;
  },
});
