/**
 * The apply itself, stack by stack: per FLAG the approved destroys first, in reverse order (addons → cells → flag),
 * then the other stacks in apply order (flag → cells → addons). Destroys go first because the FLAG's other changes
 * may take away what a removed stack stands on: a removed cell's subnets leave the flag stack with it, and AWS
 * deletes no subnet that instances still use. Each stack is planned again on main under the state lock, and its
 * saved plan is applied only when its fingerprint is the approved one:
 *
 *   re-plan ─▶ no changes ─────────────▶ nothing to apply, go on
 *          ─▶ fingerprint = approved ──▶ terraform apply <planfile> ─▶ ok: go on │ failed: stop everything
 *          ─▶ fingerprint ≠ approved ──▶ not applied; its plan goes to the PR for approval; stop this FLAG
 *
 * A failure stops every FLAG of the run: what comes after it was reviewed on the assumption that it applied.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KittError, parseFlagId, parseStackName, stackName } from '@kitt/flag-config';
import type { StackResult } from '../plan/record';
import { runOrder, OUT_GITIGNORE, STACK_OUT_FILES } from '../terraform/plan-flags';
import { runStack } from '../terraform/run-stack';
import { reachStack, type StackAccess, type StackSession } from '../terraform/stack-access';
import { failureText, stackResultOf, type PlanProvenance } from '../terraform/stack-summary';
import { configHash } from '../synth/config-hash';
import type { StackToPlan } from '../stacks/stack-order';
import type { ApprovedStack } from './guard';
import { applySavedPlan } from './terraform-apply';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * - `applied`: its saved plan, fingerprint equal to the approved one, was applied.
 * - `no-changes`: the plan on main changes nothing: nothing to apply.
 * - `needs-approval`: the plan on main differs from the approved one: not applied, posted for approval.
 * - `failed`: planning or applying it failed.
 * - `not-applied`: not tried: a stack before it failed or needs approval.
 */
export type StackApplyOutcome = 'applied' | 'no-changes' | 'needs-approval' | 'failed' | 'not-applied';

export interface StackApplyResult {
  readonly flagId: string;
  readonly stack: string;
  readonly layer: string;
  /** Its destroy (the stack is gone at the merge commit). */
  readonly destroy: boolean;
  readonly outcome: StackApplyOutcome;
  readonly approvedFingerprint?: string;
  /** The fingerprint of the plan made on main. @default absent when it was not planned */
  readonly plannedFingerprint?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  /** For `failed`: terraform's words; for `not-applied`: why not. */
  readonly error?: string;
  readonly reason?: string;
  /** For `needs-approval`: the plan made on main (redacted), to post for approval. */
  readonly plan?: StackResult;
}

export interface StackToApply {
  readonly stack: StackToPlan;
  readonly approved: ApprovedStack;
  readonly destroy: boolean;
}

export interface ApplyStacksOptions {
  readonly stacks: readonly StackToApply[];
  /** Where each stack's saved plan goes: `<outDir>/<flag-id>/<stack>/` (secrets: never uploaded). */
  readonly outDir: string;
  readonly binary: string;
  readonly env: Env;
  /** Recorded in each fresh plan's summary (the merge commit, this run). */
  readonly provenance: PlanProvenance;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Told after each stack (progress lines). */
  readonly onStack?: (result: StackApplyResult) => void;
  /** Reaches addons stacks' Kubernetes APIs around their plan and apply (a tunnel). @default none */
  readonly access?: StackAccess;
}

function planOf(item: StackToApply, planJson: unknown, provenance: PlanProvenance): StackResult {
  let hash: string | undefined;
  try {
    hash = configHash(readFileSync(join(item.stack.dir, 'cdk.tf.json'), 'utf8'));
  } catch {
    hash = undefined;
  }
  const result = stackResultOf(item.stack, { status: 'planned', planJson }, hash, provenance);
  return item.destroy ? { ...result, removed: true } : result;
}

type Applied = Omit<StackApplyResult, 'startedAt' | 'finishedAt' | 'durationMs'>;

/**
 * One stack, inside its cluster access when it needs one (an addons stack: a tunnel open from its plan to its
 * apply, since the saved plan holds the tunnel's address). A destroy's cluster first removes what Kubernetes made
 * in AWS, or that would block the deletion of the subnets below.
 */
async function applyOne(item: StackToApply, options: ApplyStacksOptions, cellJustApplied: boolean): Promise<Applied> {
  const { stack, approved, destroy } = item;
  const base = {
    flagId: stack.flagId,
    stack: stack.stack,
    layer: stack.layer,
    destroy,
    ...(approved.fingerprint !== undefined ? { approvedFingerprint: approved.fingerprint } : {}),
  };
  const dir = join(options.outDir, stack.flagId, stack.stack);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const reached = await reachStack(
    options.access,
    { stack, ...(cellJustApplied ? { cellJustApplied } : {}) },
    (session) => planAndApply(item, options, session, base, join(dir, STACK_OUT_FILES.plan)),
  );
  return reached.ok ? reached.value : { ...base, outcome: 'failed', error: reached.failure.message };
}

async function planAndApply(
  item: StackToApply,
  options: ApplyStacksOptions,
  session: StackSession,
  base: Pick<Applied, 'flagId' | 'stack' | 'layer' | 'destroy' | 'approvedFingerprint'>,
  planFile: string,
): Promise<Applied> {
  const { stack, approved, destroy } = item;
  // Unlike a pull request's plan, this one takes the state lock: its saved plan is what gets applied.
  const run = await runStack({
    dir: stack.dir,
    planFile,
    binary: options.binary,
    env: options.env,
    lock: true,
    destroy,
    variables: session.variables,
  });
  if (run.outcome === 'failed') return { ...base, outcome: 'failed', error: failureText(run.failure) };
  const plan = planOf(item, run.planJson, options.provenance);
  const planned = plan.fingerprint !== undefined ? { plannedFingerprint: plan.fingerprint } : {};
  if (plan.status === 'error')
    return { ...base, ...planned, outcome: 'failed', error: plan.error ?? 'the plan is errored' };
  if (plan.status === 'no-changes') return { ...base, ...planned, outcome: 'no-changes' };
  if (plan.fingerprint === undefined || plan.fingerprint !== approved.fingerprint) {
    return { ...base, ...planned, outcome: 'needs-approval', plan };
  }
  if (destroy) {
    try {
      await session.beforeDestroy();
    } catch (error) {
      if (!(error instanceof KittError)) throw error;
      return { ...base, ...planned, outcome: 'failed', error: `${error.message} [${error.code}]` };
    }
  }
  const applied = await applySavedPlan({ dir: stack.dir, planFile, binary: options.binary, env: options.env });
  return applied.ok
    ? { ...base, ...planned, outcome: 'applied' }
    : { ...base, ...planned, outcome: 'failed', error: applied.message };
}

/** True for an addons stack whose cell stack was applied earlier in this run: its API may still be starting. */
function cellAppliedBefore(stack: StackToPlan, results: readonly StackApplyResult[]): boolean {
  const part = parseStackName(stack.flagId, stack.stack);
  const flag = parseFlagId(stack.flagId);
  if (part?.layer !== 'addons' || part.cell === undefined || flag === undefined) return false;
  const cellStack = stackName(flag, 'cell', part.cell);
  return results.some((r) => r.stack === cellStack && r.outcome === 'applied' && !r.destroy);
}

/** Applies the stacks (see the module comment); returns every stack's result, tried or not, in run order. */
export async function applyStacks(options: ApplyStacksOptions): Promise<StackApplyResult[]> {
  const now = options.now ?? (() => new Date());
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, '.gitignore'), OUT_GITIGNORE);
  const flags = [...new Set(options.stacks.map((s) => s.stack.flagId))].sort();
  const results: StackApplyResult[] = [];
  let failed: string | undefined;
  for (const flagId of flags) {
    const mine = options.stacks.filter((s) => s.stack.flagId === flagId);
    const byName = new Map(mine.map((s) => [s.stack.stack, s]));
    const planned = runOrder(
      mine.filter((s) => !s.destroy).map((s) => s.stack),
      mine.filter((s) => s.destroy).map((s) => s.stack),
    );
    const order = [...planned.filter((s) => s.destroy), ...planned.filter((s) => !s.destroy)];
    let stoppedBy: string | undefined = failed;
    for (const { stack } of order) {
      const item = byName.get(stack.stack) as StackToApply;
      let result: StackApplyResult;
      if (stoppedBy !== undefined) {
        result = {
          flagId,
          stack: stack.stack,
          layer: stack.layer,
          destroy: item.destroy,
          outcome: 'not-applied',
          reason: stoppedBy,
          ...(item.approved.fingerprint !== undefined ? { approvedFingerprint: item.approved.fingerprint } : {}),
        };
      } else {
        const started = now();
        const outcome = await applyOne(item, options, cellAppliedBefore(stack, results));
        const finished = now();
        result = {
          ...outcome,
          startedAt: started.toISOString(),
          finishedAt: finished.toISOString(),
          durationMs: finished.getTime() - started.getTime(),
        };
        if (result.outcome === 'failed') failed = stoppedBy = `${stack.stack} failed before it`;
        if (result.outcome === 'needs-approval') stoppedBy = `${stack.stack} before it needs approval`;
      }
      results.push(result);
      options.onStack?.(result);
    }
  }
  return results;
}
