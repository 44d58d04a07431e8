import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError, toRepoPath } from '@kitt/flag-config';
import { findAffected } from '../affected/find-affected';
import { parseAffectedStacks, type AffectedStackEntry } from '../affected/report';
import type { PlanProvenance } from './stack-summary';

/** Which stacks to plan, as asked for. */
export type StackRequest =
  /** Every stack of these FLAG directories. */
  | { readonly kind: 'flags'; readonly flagDirs: readonly string[] }
  /**
   * The stacks `kitt affected` lists: read from `stacksFile`, or computed here between `base` and `head`;
   * narrowed to `flagDirs` when any are given.
   */
  | {
      readonly kind: 'affected';
      readonly stacksFile?: string;
      readonly base?: string;
      readonly head?: string;
      readonly flagDirs: readonly string[];
    };

/** What to plan: the FLAG directories to synthesize, and (with `affected`) which of their stacks. */
export interface StackSelection {
  readonly flagDirs: readonly string[];
  /** Stack names to plan; `undefined`: every stack of those FLAGs. */
  readonly stacks?: ReadonlyMap<string, AffectedStackEntry>;
  /** Stacks removed at head: planned as destroys from base's synthesized config. */
  readonly removed: readonly AffectedStackEntry[];
  /** Where removed stacks are synthesized: the compared base commit, else the `base` asked for. */
  readonly baseCommit?: string;
  /** Commits the selection was computed between (full SHAs), when kitt computed it. */
  readonly provenance: PlanProvenance;
}

/** Resolves a request into the FLAGs and stacks to plan. Throws `InputError` for an unreadable stacks file. */
export async function selectStacks(repoDir: string, request: StackRequest): Promise<StackSelection> {
  if (request.kind === 'flags') return { flagDirs: [...request.flagDirs], removed: [], provenance: {} };
  const narrowTo = new Set(request.flagDirs.map((d) => toRepoPath(repoDir, d.replace(/\/flag\.ya?ml$/, ''))));
  const { stacks, provenance, base } = await affectedStacks(repoDir, request);
  const chosen = stacks.filter((s) => narrowTo.size === 0 || narrowTo.has(s.flagDir));
  const kept = chosen.filter((s) => s.reason !== 'removed');
  const baseCommit = base ?? request.base;
  return {
    flagDirs: [...new Set(kept.map((s) => s.flagDir))],
    stacks: new Map(kept.map((s) => [s.stack, s])),
    removed: chosen.filter((s) => s.reason === 'removed'),
    ...(baseCommit ? { baseCommit } : {}),
    provenance,
  };
}

async function affectedStacks(
  repoDir: string,
  request: Extract<StackRequest, { kind: 'affected' }>,
): Promise<{ stacks: AffectedStackEntry[]; provenance: PlanProvenance; base?: string }> {
  if (request.stacksFile !== undefined) {
    const { stacks, base, issues } = parseAffectedStacks(
      readStacksFile(repoDir, request.stacksFile),
      request.stacksFile,
    );
    if (issues.length > 0) throw new InputError(issues);
    // Provenance stays what was typed: the file's head may be the merge commit, not the PR head.
    return { stacks, provenance: {}, ...(base ? { base } : {}) };
  }
  const report = await findAffected({
    cwd: repoDir,
    base: request.base ?? 'main',
    ...(request.head ? { head: request.head } : {}),
  });
  return {
    stacks: parseAffectedStacks(report, 'kitt affected').stacks,
    provenance: { baseSha: report.base, ...(report.head ? { headSha: report.head } : {}) },
    base: report.base,
  };
}

function readStacksFile(repoDir: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(path.resolve(repoDir, file), 'utf8'));
  } catch (error) {
    throw new InputError([
      {
        code: 'STACKS_FILE_INVALID',
        file,
        path: '',
        message: `cannot read it as JSON: ${(error as Error).message}`,
        expected: 'the output of `kitt affected --json`',
      },
    ]);
  }
}
