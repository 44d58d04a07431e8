import * as path from 'node:path';
import { KittError, loadFlag } from '@kitt/flag-config';
import { networkDiagramOf } from '../plan-markdown/network-diagram';
import type { StackResult } from '../plan/record';
import { readSynthManifest } from '../stacks/synth-manifest';
import type { StackToPlan } from '../stacks/stack-order';
import { synthesizeFlags } from '../synth/repository';
import type { FlagAppComposer } from '../synth/compose';
import type { SynthResult } from '../synth/types';
import { workerCountOf } from '../synth/worker-pool';
import { locateTerraform, TERRAFORM_BINARY_ENV } from './binary';
import { planStacks, recordUnplannedStack, type StackPlanResult } from './plan-flags';
import { baseCommitFor, synthesizeRemovedStacks } from './removed-stacks';
import { selectStacks, type StackRequest, type StackSelection } from './select-stacks';
import type { StackAccess } from './stack-access';
import type { PlanProvenance } from './stack-summary';

type Env = Readonly<Record<string, string | undefined>>;

export interface PlanRequest {
  /** Repository root: where `flags/` is, and the git repository removed stacks are synthesized from. */
  readonly repoDir: string;
  readonly env: Env;
  readonly stacks: StackRequest;
  /** Absolute root of the per-stack output. */
  readonly outDir: string;
  /** Absolute synthesis output; removed stacks go to `<synthOut>/.base`. */
  readonly synthOut: string;
  /** Stop before terraform. @default false */
  readonly preview?: boolean;
  /** PR head and base commits as typed, recorded in every summary. @default none */
  readonly head?: string;
  readonly base?: string;
  /** Told what happens, as it happens (progress lines). @default nothing */
  readonly progress?: PlanProgress;
  /** Reaches addons stacks' Kubernetes APIs around their plans (a tunnel). @default none */
  readonly access?: StackAccess;
  /** Builds each FLAG's stacks. @default composeFlagApp (kitt's layers) */
  readonly compose?: FlagAppComposer;
}

export interface PlanProgress {
  synthesized?(event: { readonly flags: number; readonly planning: number; readonly synthOut: string }): void;
  removedSynthesized?(event: {
    readonly removed: number;
    readonly synthesized: number;
    readonly commit: string | undefined;
    readonly outDir: string;
  }): void;
  /** After each stack, planned or not, in the order they are reported. */
  stack?(result: StackPlanResult): void;
}

export interface PlanOutcome {
  /** Every stack's result: planned, waiting, previewed, and the ones that could not be planned (as errors). */
  readonly results: readonly StackResult[];
  readonly failed: number;
}

/**
 * `kitt plan`: select the stacks, synthesize their FLAGs (and removed stacks
 * at base), plan each in apply order, and record the stacks that cannot be
 * planned. Nothing is synthesized when terraform is missing (outside a
 * preview) or removed stacks have no base commit.
 */
export async function runPlan(request: PlanRequest): Promise<PlanOutcome> {
  const preview = request.preview === true;
  const terraform = locateTerraform(request.env, request.repoDir);
  if (!preview && terraform.path === undefined) throw terraformMissing(terraform.command, request.env);
  const selection = await selectStacks(request.repoDir, request.stacks);
  baseCommitFor(selection.removed, selection.baseCommit); // before anything is written
  const provenance = provenanceOf(request, selection);

  const workers = workerCountOf(request.env);
  const synthesized =
    selection.flagDirs.length > 0
      ? await synthesizeFlags(request.repoDir, {
          dirs: selection.flagDirs,
          outDir: request.synthOut,
          ...(workers ? { workers } : {}),
          ...(request.compose ? { compose: request.compose } : {}),
        })
      : [];
  const allStacks: StackToPlan[] = synthesized.flatMap((r) => readSynthManifest(r.outDir, r.flagId));
  const stacks = selection.stacks ? allStacks.filter((s) => selection.stacks?.has(s.stack)) : allStacks;
  request.progress?.synthesized?.({ flags: synthesized.length, planning: stacks.length, synthOut: request.synthOut });

  const baseOut = path.join(request.synthOut, '.base');
  const removed = await synthesizeRemovedStacks({
    repoDir: request.repoDir,
    base: selection.baseCommit,
    removed: selection.removed,
    outDir: baseOut,
  });
  if (selection.removed.length > 0) {
    request.progress?.removedSynthesized?.({
      removed: selection.removed.length,
      synthesized: removed.stacks.length,
      commit: removed.commit ?? selection.baseCommit,
      outDir: baseOut,
    });
  }

  const planned = await planStacks({
    stacks,
    removedStacks: removed.stacks,
    networkDiagrams: newFlagDiagrams(request.repoDir, synthesized, selection),
    outDir: request.outDir,
    binary: terraform.path ?? terraform.command,
    env: request.env,
    preview,
    provenance,
    ...(request.progress?.stack ? { onStack: request.progress.stack } : {}),
    ...(request.access ? { access: request.access } : {}),
  });
  const unplanned = recordUnplanned(request, provenance, [...missingAtHead(selection, stacks), ...removed.unplanned]);
  const results = [...planned.map((r) => r.result), ...unplanned];
  return { results, failed: results.filter((r) => r.status === 'error').length };
}

function terraformMissing(command: string, env: Env): KittError {
  const via = env[TERRAFORM_BINARY_ENV] ? ` (named by ${TERRAFORM_BINARY_ENV})` : '';
  return new KittError({
    code: 'TERRAFORM_NOT_FOUND',
    kind: 'external',
    message:
      `'${command}'${via} is not installed or not on PATH. Install Terraform (or OpenTofu and set ` +
      `${TERRAFORM_BINARY_ENV}=tofu), or run 'kitt plan --preview' to do everything up to terraform.`,
  });
}

/** Commits resolved by `kitt affected` (full SHAs) win over the refs that were typed. */
function provenanceOf(request: PlanRequest, selection: StackSelection): PlanProvenance {
  const runId = request.env.GITHUB_RUN_ID;
  return {
    ...(request.head ? { headSha: request.head } : {}),
    ...(request.base ? { baseSha: request.base } : {}),
    ...selection.provenance,
    ...(runId ? { runId } : {}),
  };
}

/** The network plan of each FLAG that `kitt affected` calls new, keyed by its flag stack. */
function newFlagDiagrams(
  repoDir: string,
  synthesized: readonly SynthResult[],
  selection: StackSelection,
): Map<string, NonNullable<StackResult['networkDiagram']>> {
  const isNew = (stack: string) => selection.stacks?.get(stack)?.reason === 'new';
  return new Map(
    synthesized.flatMap((r) =>
      r.stacks
        .filter((s) => s.layer === 'flag' && isNew(s.name))
        .map((s) => [s.name, networkDiagramOf(loadFlag(repoDir, r.flagDir))] as const),
    ),
  );
}

type Unplanned = { readonly entry: NonNullable<StackSelection['removed'][number]>; readonly reason: string };

/** Stacks `kitt affected` lists that synthesizing their FLAG at head did not produce. */
function missingAtHead(selection: StackSelection, stacks: readonly StackToPlan[]): Unplanned[] {
  return [...(selection.stacks?.values() ?? [])]
    .filter((s) => !stacks.some((p) => p.stack === s.stack))
    .map((entry) => ({
      entry,
      reason: `kitt affected lists stack ${entry.stack} (${entry.reason}), but synthesizing ${entry.flagDir} did not produce it`,
    }));
}

/** Writes an error result for each stack that cannot be planned, so the record names it. */
function recordUnplanned(request: PlanRequest, provenance: PlanProvenance, unplanned: readonly Unplanned[]) {
  return unplanned.map(({ entry: s, reason }) => {
    const meta = { flagId: s.flag, stack: s.stack, layer: s.layer };
    const result = recordUnplannedStack(request.outDir, meta, reason, provenance);
    request.progress?.stack?.({
      stack: { ...meta, dir: '', dependsOn: s.dependsOn },
      result,
      outDir: request.outDir,
      ...(s.reason === 'removed' ? { destroy: true } : {}),
    });
    return result;
  });
}
