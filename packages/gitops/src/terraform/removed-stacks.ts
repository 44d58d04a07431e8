import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KittError } from '@kitt/flag-config';
import { Git } from '../checkout/git';
import { checkoutTree } from '../checkout/source-tree';
import { kittSynthesizer, type Synthesizer } from '../checkout/synthesize-tree';
import type { AffectedStackEntry } from '../affected/report';
import type { StackToPlan } from '../stacks/stack-order';
import { readSynthManifest } from '../stacks/synth-manifest';

/** Removed stacks listed without a base commit to plan their destroy from. */
export class BaseCommitMissingError extends KittError {
  constructor(
    /** The removed stacks that cannot be planned. */
    readonly stacks: readonly string[],
  ) {
    super({
      code: 'PLAN_BASE_COMMIT_MISSING',
      kind: 'input',
      message:
        `kitt affected lists ${stacks.length} removed stack(s) (${stacks.join(', ')}), whose destroy is planned from the base commit's ` +
        'synthesized config, but no base commit is known: pass a --stacks-file written by `kitt affected --json` (it carries `base`), or --base SHA',
    });
  }
}

/** The base commit removed stacks are synthesized at; throws when some are removed and none is known. */
export function baseCommitFor(removed: readonly AffectedStackEntry[], base: string | undefined): string | undefined {
  if (removed.length > 0 && base === undefined) throw new BaseCommitMissingError(removed.map((s) => s.stack));
  return base;
}

export interface RemovedStacksRequest {
  /** Repository root: its git repository, and the installed `node_modules` the base tree borrows. */
  readonly repoDir: string;
  /** Commit-ish where the removed stacks still exist (required when `removed` is not empty). */
  readonly base: string | undefined;
  /** Stacks `kitt affected` lists as `removed`. */
  readonly removed: readonly AffectedStackEntry[];
  /** Where base's synthesized output goes, emptied first: `<outDir>/<flag-id>/stacks/<stack>/`. */
  readonly outDir: string;
  /** @default `node scripts/kitt.mjs synth` of the base tree */
  readonly synthesize?: Synthesizer;
  /** Where the worktree of base goes. @default os.tmpdir() */
  readonly tmpDir?: string;
}

/** A removed stack that cannot be planned, and why. */
export interface UnplannedRemovedStack {
  readonly entry: AffectedStackEntry;
  readonly reason: string;
}

export interface RemovedStacks {
  /** Full SHA of the base commit. @default absent when nothing was removed or the base is unknown to git */
  readonly commit?: string;
  /** The removed stacks in base's synthesized output, ready for `planStacks({ removedStacks })`. */
  readonly stacks: StackToPlan[];
  readonly unplanned: UnplannedRemovedStack[];
}

/** Failures kitt raised on purpose (a ref, a FLAG at base, its output), reported per stack; anything else is a bug. */
function isInputProblem(error: unknown): error is KittError {
  return error instanceof KittError;
}

/**
 * Synthesizes the FLAGs of removed stacks at the base commit with the base
 * tree's own code (a git worktree with this repository's `node_modules`
 * linked, removed afterwards) into `outDir`, and returns those stacks. A stack
 * that cannot be synthesized there is returned as unplanned with the reason, so
 * the record shows it as an error instead of leaving it out.
 */
export async function synthesizeRemovedStacks(request: RemovedStacksRequest): Promise<RemovedStacks> {
  const base = baseCommitFor(request.removed, request.base);
  if (base === undefined || request.removed.length === 0) return { stacks: [], unplanned: [] };
  const flagDirs = [...new Set(request.removed.map((s) => s.flagDir))].sort();
  const unplannedAll = (why: string) =>
    request.removed.map((entry) => ({ entry, reason: `cannot synthesize ${entry.flagDir} at base ${base}: ${why}` }));
  rmSync(request.outDir, { recursive: true, force: true });
  mkdirSync(request.outDir, { recursive: true });

  const git = new Git(request.repoDir);
  let commit: string;
  try {
    commit = await git.resolveCommit(base);
    const tree = await checkoutTree(git, commit, request.repoDir, request.tmpDir);
    try {
      await (request.synthesize ?? kittSynthesizer)({ treeDir: tree.dir, flagDirs, outDir: request.outDir });
    } finally {
      await tree.dispose();
    }
  } catch (error) {
    if (!isInputProblem(error)) throw error;
    return { stacks: [], unplanned: unplannedAll(error.message) };
  }
  return { commit, ...pickRemoved(request.removed, request.outDir, commit) };
}

/** The removed stacks in base's output; the ones it lacks (or whose FLAG output cannot be read) as unplanned. */
function pickRemoved(
  removed: readonly AffectedStackEntry[],
  outDir: string,
  commit: string,
): Pick<RemovedStacks, 'stacks' | 'unplanned'> {
  const stacks: StackToPlan[] = [];
  const unplanned: UnplannedRemovedStack[] = [];
  const manifests = new Map<string, StackToPlan[] | Error>();
  for (const entry of removed) {
    if (!manifests.has(entry.flag)) manifests.set(entry.flag, readManifest(join(outDir, entry.flag), entry.flag));
    const synthesized = manifests.get(entry.flag);
    const found = Array.isArray(synthesized) ? synthesized.find((s) => s.stack === entry.stack) : undefined;
    if (found) stacks.push(found);
    else {
      const listed = `kitt affected lists stack ${entry.stack} as removed, but`;
      const reason =
        synthesized instanceof Error
          ? `${listed} the output of synthesizing ${entry.flagDir} at base ${commit} cannot be read: ${synthesized.message}`
          : `${listed} synthesizing ${entry.flagDir} at base ${commit} did not produce it`;
      unplanned.push({ entry, reason });
    }
  }
  return { stacks, unplanned };
}

function readManifest(flagOutDir: string, flagId: string): StackToPlan[] | Error {
  try {
    return readSynthManifest(flagOutDir, flagId);
  } catch (error) {
    if (!isInputProblem(error)) throw error;
    return error;
  }
}
