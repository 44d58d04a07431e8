/**
 * Where the apply gets the stacks to plan: the FLAGs synthesized from the checked-out merge commit (or from a git
 * worktree of an older merge commit of main the run catches up), and, for stacks the merge removed, the FLAGs synthesized at the merge commit's first parent (main before the merge, where
 * they still exist). Behind an interface so a test can put `terraform_data` stacks in place of AWS ones.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { flagDirOfId } from '@kitt/flag-config';
import type { AffectedStackEntry } from '../affected/report';
import { Git } from '../checkout/git';
import { checkoutTree } from '../checkout/source-tree';
import { readSynthManifest } from '../stacks/synth-manifest';
import type { StackToPlan } from '../stacks/stack-order';
import type { FlagAppComposer } from '../synth/compose';
import { synthesizeFlags } from '../synth/repository';
import { synthesizeRemovedStacks } from '../terraform/removed-stacks';
import { ApplyError, ApplyErrorCode } from './errors';
import type { ApprovedStack } from './guard';

export interface StackSource {
  /** Every stack of these FLAGs as the checked-out tree synthesizes them. */
  current(flagIds: readonly string[]): Promise<StackToPlan[]>;
  /** These stacks as they were at `commit` (they are gone from the checked-out tree). */
  removed(commit: string, stacks: readonly ApprovedStack[]): Promise<StackToPlan[]>;
  /** Every stack of these FLAGs as an older commit of main synthesizes them (a merge caught up later). */
  at(commit: string, flagIds: readonly string[]): Promise<StackToPlan[]>;
}

/**
 * kitt's own synthesis (`kitt synth`, and the removed stacks from a git worktree of the older commit).
 * @param compose builds each FLAG's stacks of the checked-out tree. @default composeFlagApp (kitt's layers)
 */
export function synthesizedStacks(repoDir: string, synthOut: string, compose?: FlagAppComposer): StackSource {
  return {
    async current(flagIds) {
      if (flagIds.length === 0) return [];
      const results = await synthesizeFlags(repoDir, {
        dirs: flagIds.map(flagDirOfId),
        outDir: synthOut,
        ...(compose ? { compose } : {}),
      });
      return results.flatMap((r) => readSynthManifest(r.outDir, r.flagId));
    },
    async removed(commit, stacks) {
      if (stacks.length === 0) return [];
      const entries: AffectedStackEntry[] = stacks.map((s) => ({
        flag: s.flagId,
        flagDir: flagDirOfId(s.flagId),
        stack: s.stack,
        layer: s.layer as AffectedStackEntry['layer'],
        dependsOn: [],
        reason: 'removed',
      }));
      const found = await synthesizeRemovedStacks({
        repoDir,
        base: commit,
        removed: entries,
        outDir: path.join(synthOut, '.base'),
      });
      const missing = found.unplanned[0];
      if (missing) {
        throw new ApplyError(
          ApplyErrorCode.RECORD_NOT_APPLICABLE,
          `the approved destroy of ${missing.entry.stack} cannot be planned: ${missing.reason}`,
        );
      }
      return found.stacks;
    },
    async at(commit, flagIds) {
      if (flagIds.length === 0) return [];
      const git = new Git(repoDir);
      const sha = await git.resolveCommit(commit);
      const outDir = path.join(synthOut, '.at', sha);
      rmSync(outDir, { recursive: true, force: true });
      // The commit's FLAGs, synthesized by this run's code: main's newest, reviewed like the rest of the apply.
      const tree = await checkoutTree(git, sha, repoDir);
      try {
        const results = await synthesizeFlags(tree.dir, { dirs: flagIds.map(flagDirOfId), outDir });
        return results.flatMap((r) => readSynthManifest(r.outDir, r.flagId));
      } finally {
        await tree.dispose();
      }
    },
  };
}
