import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError, loadFlag } from '@kitt/flag-config';
import { AffectedError } from '../../affected/errors';
import { findAffected } from '../../affected/find-affected';
import { networkDiagramOf } from '../../plan/network-diagram';
import type { StackResult } from '../../plan/record';
import { synthesizeFlags } from '../../synth/repository';
import type { SynthResult } from '../../synth/types';
import { parseAffectedStacks, type AffectedStackEntry } from '../../terraform/affected-stacks';
import { locateTerraform, TERRAFORM_BINARY_ENV } from '../../terraform/binary';
import { planStacks, recordUnplannedStack, STACK_OUT_FILES, type StackPlanResult } from '../../terraform/plan-flags';
import { StackOrderError, type StackToPlan } from '../../terraform/stack-order';
import { BaseCommitMissingError, baseCommitFor, synthesizeRemovedStacks } from '../../terraform/removed-stacks';
import { readSynthManifest, SynthOutputError } from '../../terraform/synth-manifest';
import type { PlanProvenance } from '../../terraform/stack-summary';
import { UsageError, type Command, type CommandContext } from '../command';

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

Examples:
  kitt plan flags/payments/prod/us-east-1
  kitt plan --preview flags/payments/prod/us-east-1
  kitt plan --affected --stacks-file affected.json flags/payments/prod/us-east-1 --head "$HEAD_SHA" --base "$BASE_SHA"
`;

type Values = Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;

function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A path as people typed it: relative to the repository when inside it. */
function shown(cwd: string, target: string): string {
  const relative = path.relative(cwd, target);
  return relative === ''
    ? '.'
    : relative.startsWith('..') || path.isAbsolute(relative)
      ? target
      : relative.split(path.sep).join('/');
}

/** Repo-relative FLAG directory as `kitt affected` writes it (`flags/c/e/r`), from what a person typed. */
function normalizeFlagDir(cwd: string, dir: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, dir.replace(/\/flag\.ya?ml$/, '')));
  return relative.split(path.sep).join('/');
}

/** The stacks `kitt affected` lists: from `--stacks-file`, or computed here against `--base`. */
async function affectedStacks(
  values: Values,
  ctx: CommandContext,
): Promise<{ stacks: AffectedStackEntry[]; provenance: PlanProvenance; base?: string }> {
  const stacksFile = stringOption(values, 'stacks-file');
  if (stacksFile !== undefined) {
    const file = path.resolve(ctx.cwd, stacksFile);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new InputError([
        {
          code: 'STACKS_FILE_INVALID',
          file: stacksFile,
          path: '',
          message: `cannot read it as JSON: ${(error as Error).message}`,
          expected: 'the output of `kitt affected --json`',
        },
      ]);
    }
    const { stacks, base, issues } = parseAffectedStacks(json, stacksFile);
    if (issues.length > 0) throw new InputError(issues);
    // Provenance stays what was typed: the file's head may be the merge commit, not the PR head.
    return { stacks, provenance: {}, ...(base ? { base } : {}) };
  }
  const head = stringOption(values, 'head');
  const report = await findAffected({
    cwd: ctx.cwd,
    base: stringOption(values, 'base') ?? 'main',
    ...(head ? { head } : {}),
  });
  const stacks = parseAffectedStacks(report, 'kitt affected').stacks;
  return {
    stacks,
    provenance: { baseSha: report.base, ...(report.head ? { headSha: report.head } : {}) },
    base: report.base,
  };
}

/** What to plan: the FLAG directories to synthesize, and (with --affected) which of their stacks. */
interface Selection {
  readonly flagDirs: readonly string[];
  /** Stack names to plan; `undefined`: every stack of those FLAGs. */
  readonly stacks?: ReadonlyMap<string, AffectedStackEntry>;
  /** Stacks removed at head: planned as destroys from base's synthesized config. */
  readonly removed: readonly AffectedStackEntry[];
  /** Where removed stacks are synthesized: the compared base commit, else `--base`. */
  readonly baseCommit?: string;
  readonly provenance: PlanProvenance;
}

async function select(values: Values, positionals: readonly string[], ctx: CommandContext): Promise<Selection> {
  if (!values.affected) return { flagDirs: [...positionals], removed: [], provenance: {} };
  const narrowTo = new Set(positionals.map((d) => normalizeFlagDir(ctx.cwd, d)));
  const { stacks, provenance, base } = await affectedStacks(values, ctx);
  const chosen = stacks.filter((s) => narrowTo.size === 0 || narrowTo.has(s.flagDir));
  const baseCommit = base ?? stringOption(values, 'base');
  return {
    flagDirs: [...new Set(chosen.filter((s) => s.reason !== 'removed').map((s) => s.flagDir))],
    stacks: new Map(chosen.filter((s) => s.reason !== 'removed').map((s) => [s.stack, s])),
    removed: chosen.filter((s) => s.reason === 'removed'),
    ...(baseCommit ? { baseCommit } : {}),
    provenance,
  };
}

/** The network plan of each FLAG that `kitt affected` calls new, keyed by its flag stack. */
function newFlagDiagrams(
  ctx: CommandContext,
  synthesized: readonly SynthResult[],
  selection: Selection,
): Map<string, NonNullable<StackResult['networkDiagram']>> {
  const isNew = (stack: string) => selection.stacks?.get(stack)?.reason === 'new';
  return new Map(
    synthesized.flatMap((r) =>
      r.stacks
        .filter((s) => s.layer === 'flag' && isNew(s.name))
        .map((s) => [s.name, networkDiagramOf(loadFlag(ctx.cwd, r.flagDir))] as const),
    ),
  );
}

function configResources(result: StackResult): string {
  return `${result.previewResources?.length ?? 0} resource(s) in its config, not a Terraform plan`;
}

function statusLine(result: StackResult): string {
  const counts = result.summary?.counts;
  switch (result.status) {
    case 'changes':
      return `changes: +${counts?.create ?? 0} ~${counts?.update ?? 0} -${counts?.delete ?? 0} ±${(counts?.replaceCreateBeforeDelete ?? 0) + (counts?.replaceDeleteBeforeCreate ?? 0)}`;
    case 'no-changes':
      return 'no changes';
    case 'waits':
      return `waits for ${result.waitsFor ?? 'an upstream stack'} (${configResources(result)})`;
    case 'preview':
      return `preview (${configResources(result)})`;
    default:
      return result.status;
  }
}

function reportStack(ctx: CommandContext, { stack, result, destroy }: StackPlanResult): void {
  const name = destroy ? `${stack.stack} (removed, destroy)` : stack.stack;
  if (result.status === 'error') {
    ctx.stdout(`✗ ${name}: error\n`);
    ctx.stderr(`✗ ${name}:\n${(result.error ?? '').replace(/^/gm, '  ')}\n`);
    return;
  }
  const mark = result.status === 'waits' || result.status === 'preview' ? '⏸' : '✓';
  ctx.stdout(`${mark} ${name}: ${statusLine(result)}\n`);
}

async function run(values: Values, positionals: readonly string[], ctx: CommandContext): Promise<number> {
  const preview = values.preview === true;
  const terraform = locateTerraform(ctx.env, ctx.cwd);
  if (!preview && terraform.path === undefined) {
    const via = ctx.env[TERRAFORM_BINARY_ENV] ? ` (named by ${TERRAFORM_BINARY_ENV})` : '';
    ctx.stderr(
      `✗ '${terraform.command}'${via} is not installed or not on PATH.\n` +
        `  Install Terraform (or OpenTofu and set ${TERRAFORM_BINARY_ENV}=tofu), or run 'kitt plan --preview' to do everything up to terraform.\n`,
    );
    return 1;
  }
  const selection = await select(values, positionals, ctx);
  const outDir = path.resolve(ctx.cwd, stringOption(values, 'out') ?? 'out/plans');
  const synthOut = path.resolve(ctx.cwd, stringOption(values, 'synth-out') ?? 'cdktf.out');
  const head = stringOption(values, 'head');
  const base = stringOption(values, 'base');
  const runId = ctx.env.GITHUB_RUN_ID;
  // Commits resolved by `kitt affected` (full SHAs) win over the refs that were typed.
  const provenance: PlanProvenance = {
    ...(head ? { headSha: head } : {}),
    ...(base ? { baseSha: base } : {}),
    ...selection.provenance,
    ...(runId ? { runId } : {}),
  };

  baseCommitFor(selection.removed, selection.baseCommit); // before anything is written
  const synthesized =
    selection.flagDirs.length > 0 ? synthesizeFlags(ctx.cwd, { dirs: selection.flagDirs, outDir: synthOut }) : [];
  const allStacks: StackToPlan[] = synthesized.flatMap((r) => readSynthManifest(r.outDir, r.flagId));
  const stacks = selection.stacks ? allStacks.filter((s) => selection.stacks?.has(s.stack)) : allStacks;
  ctx.stdout(
    `Synthesized ${synthesized.length} FLAG(s) into ${shown(ctx.cwd, synthOut)}; planning ${stacks.length} stack(s).\n`,
  );
  const baseOut = path.join(synthOut, '.base');
  const removed = await synthesizeRemovedStacks({
    repoDir: ctx.cwd,
    base: selection.baseCommit,
    removed: selection.removed,
    outDir: baseOut,
  });
  if (selection.removed.length > 0) {
    ctx.stdout(
      `${selection.removed.length} stack(s) removed at head: synthesized ${removed.stacks.length} at base ${removed.commit ?? selection.baseCommit} ` +
        `into ${shown(ctx.cwd, baseOut)}, planned as destroys after the other stacks, in reverse apply order.\n`,
    );
  }

  const results = await planStacks({
    stacks,
    removedStacks: removed.stacks,
    networkDiagrams: newFlagDiagrams(ctx, synthesized, selection),
    outDir,
    binary: terraform.path ?? terraform.command,
    env: ctx.env,
    preview,
    provenance,
    onStack: (r) => reportStack(ctx, r),
  });
  const missingAtHead = [...(selection.stacks?.values() ?? [])]
    .filter((s) => !stacks.some((p) => p.stack === s.stack))
    .map((entry) => ({
      entry,
      reason: `kitt affected lists stack ${entry.stack} (${entry.reason}), but synthesizing ${entry.flagDir} did not produce it`,
    }));
  const unplanned = [...missingAtHead, ...removed.unplanned].map(({ entry: s, reason }) => {
    const result = recordUnplannedStack(outDir, { flagId: s.flag, stack: s.stack, layer: s.layer }, reason, provenance);
    const destroy = s.reason === 'removed';
    reportStack(ctx, {
      stack: { flagId: s.flag, stack: s.stack, layer: s.layer, dir: '', dependsOn: s.dependsOn },
      result,
      outDir,
      ...(destroy ? { destroy } : {}),
    });
    return result;
  });

  const failed = [...results.map((r) => r.result), ...unplanned].filter((r) => r.status === 'error').length;
  const where = shown(ctx.cwd, outDir);
  if (preview) {
    ctx.stdout(
      `Preview: terraform init, plan and show were NOT run; no stack was planned. ` +
        `${where}/<flag-id>/<stack>/summary.json lists each stack's config resources (not a Terraform plan).\n`,
    );
  } else {
    ctx.stdout(
      `Plans in ${where}/<flag-id>/<stack>/: ${STACK_OUT_FILES.plan} and ${STACK_OUT_FILES.planJson} hold secrets (keep them in the job); ${STACK_OUT_FILES.summary} is redacted.\n`,
    );
  }
  if (failed > 0) {
    ctx.stderr(`✗ ${failed} of ${results.length + unplanned.length} stack(s) failed.\n`);
    return 1;
  }
  return 0;
}

export const planCommand: Command = {
  name: 'plan',
  usage: USAGE,
  options: {
    affected: { type: 'boolean' },
    'stacks-file': { type: 'string' },
    out: { type: 'string' },
    'synth-out': { type: 'string' },
    preview: { type: 'boolean' },
    head: { type: 'string' },
    base: { type: 'string' },
  },
  positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
  async run({ values, positionals }, ctx) {
    if (!values.affected && positionals.length === 0)
      throw new UsageError('name FLAG directories, or use --affected', 'plan');
    if (values['stacks-file'] !== undefined && !values.affected)
      throw new UsageError('--stacks-file goes with --affected', 'plan');
    try {
      return await run(values, positionals, ctx);
    } catch (error) {
      // Problems with what we were given (synth output, stack graph, git refs): a ✗ line, no stack trace.
      if (
        error instanceof SynthOutputError ||
        error instanceof StackOrderError ||
        error instanceof AffectedError ||
        error instanceof BaseCommitMissingError
      ) {
        ctx.stderr(`✗ ${error.message} [${error.code}]\n`);
        return 1;
      }
      throw error;
    }
  },
};
