import * as path from 'node:path';
import { STACK_OUT_FILES } from '../../terraform/plan-flags';
import { runPlan } from '../../terraform/run-plan';
import { defineCommand, UsageError } from '../command';
import { shownPath } from '../shown-path';
import { progressPrinter } from './plan-progress';
import { noTunnelHelp, stackAccessFor } from './stack-access-option';

const USAGE = `Usage: kitt plan <flag-dir...> [options]
       kitt plan --affected [--stacks-file FILE | --base REF [--head REF]] [flag-dir...] [options]

Synthesizes the FLAGs, then plans each stack in apply order (flag → cells →
addons): terraform init, plan -detailed-exitcode -out, show -json. Exit codes
of terraform plan: 0 no changes, 2 changes, 1 error (its output is reported).
A stack whose upstream stack has changes in this run "waits": it cannot be
planned against real state until that stack is applied; its summary lists the
resources its synthesized config would create (not a Terraform plan).
With --affected, a stack removed at head (a removed FLAG or cell) is planned
as a destroy (plan -destroy) from the base commit's synthesized config (the
base tree's own code, in a temporary git worktree; output in SYNTH_OUT/.base),
after the other stacks, in reverse apply order (addons → cells → flag). The
base commit is the stacks file's \`base\`, else --base.

Writes per stack, under OUT/<flag-id>/<stack>/:
  tfplan        the saved plan        } sensitive values in clear text:
  plan.json     terraform show -json  } never upload or cache these
  summary.json  the redacted result (what kitt render reads; safe to upload)

The binary is terraform, or the one KITT_TERRAFORM names (e.g. tofu).
Plans take no state lock (plan -lock=false): a plan writes nothing to the
state, so the read-only plan role suffices; the apply plans again under the lock.
Addons stacks talk to their cell's Kubernetes API, which only the VPC
reaches: around each one's plan, kitt opens an SSM port-forwarding tunnel to
one of the cell's control-plane instances (aws ssm start-session, as kitt
tunnel does), passes -var kube_api_host=https://127.0.0.1:PORT (TLS still
checks the API's private name), and closes it after, also on failure. On a
runner inside the VPC, --no-tunnel (or KITT_NO_TUNNEL=true) leaves the
providers on the API's private name.
Exit 0 when every stack was planned (with or without changes), 1 when any
failed or the input was bad.

Options:
  --affected           plan the stacks kitt affected lists (FLAG dirs, if given, narrow them)
  --stacks-file FILE   with --affected: read the list from \`kitt affected --json\` output
  --out DIR            where plans and summaries go (default: out/plans)
  --synth-out DIR      where the FLAGs are synthesized (default: cdktf.out)
  --preview            stop before terraform: synthesize, order, and list each
                       stack's config resources; say what was skipped
  --head SHA           PR head commit, recorded in every summary (with --affected
                       and no --stacks-file: the commit to compare)
  --base SHA           PR base commit, recorded likewise (with --affected: the commit
                       to compare against, default main; with --stacks-file: where
                       removed stacks are synthesized when the file names no base)
${noTunnelHelp(23)}

Examples:
  kitt plan flags/payments/prod/us-east-1
  kitt plan --preview flags/payments/prod/us-east-1
  kitt plan --affected --stacks-file affected.json flags/payments/prod/us-east-1 --head "$HEAD_SHA" --base "$BASE_SHA"
`;

function whereThePlansAre(where: string, preview: boolean): string {
  if (preview) {
    return (
      `Preview: terraform init, plan and show were NOT run; no stack was planned. ` +
      `${where}/<flag-id>/<stack>/summary.json lists each stack's config resources (not a Terraform plan).\n`
    );
  }
  return (
    `Plans in ${where}/<flag-id>/<stack>/: ${STACK_OUT_FILES.plan} and ${STACK_OUT_FILES.planJson} ` +
    `hold secrets (keep them in the job); ${STACK_OUT_FILES.summary} is redacted.\n`
  );
}

export const planCommand = defineCommand({
  name: 'plan',
  usage: USAGE,
  options: {
    affected: { type: 'boolean' },
    'stacks-file': { type: 'string' },
    out: { type: 'string', default: 'out/plans' },
    'synth-out': { type: 'string', default: 'cdktf.out' },
    preview: { type: 'boolean', default: false },
    head: { type: 'string' },
    base: { type: 'string' },
    'no-tunnel': { type: 'boolean', default: false },
  },
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
  async run({ values, positionals }, ctx) {
    if (!values.affected && positionals.length === 0)
      throw new UsageError('name FLAG directories, or use --affected', 'plan');
    if (values['stacks-file'] !== undefined && !values.affected)
      throw new UsageError('--stacks-file goes with --affected', 'plan');
    const outDir = path.resolve(ctx.cwd, values.out);
    const { results, failed } = await runPlan({
      repoDir: ctx.cwd,
      env: ctx.env,
      stacks: values.affected
        ? {
            kind: 'affected',
            flagDirs: positionals,
            ...(values['stacks-file'] !== undefined ? { stacksFile: values['stacks-file'] } : {}),
            ...(values.base !== undefined ? { base: values.base } : {}),
            ...(values.head !== undefined ? { head: values.head } : {}),
          }
        : { kind: 'flags', flagDirs: positionals },
      outDir,
      synthOut: path.resolve(ctx.cwd, values['synth-out']),
      preview: values.preview,
      ...(values.head !== undefined ? { head: values.head } : {}),
      ...(values.base !== undefined ? { base: values.base } : {}),
      progress: progressPrinter(ctx),
      access: stackAccessFor(ctx, values['no-tunnel'], 'run kitt plan again once the cell is up'),
    });
    ctx.stdout(whereThePlansAre(shownPath(ctx.cwd, outDir), values.preview));
    if (failed === 0) return 0;
    ctx.stderr(`✗ ${failed} of ${results.length} stack(s) failed.\n`);
    return 1;
  },
});
