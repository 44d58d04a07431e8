import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagLayoutIssues, flagLayoutIssuesOfPaths, formatIssues } from '@kitt/flag-config';
import { accountIdOf, planRolesOf } from './accounts';
import { findAffectedFlags } from './affected-flags';
import { FLAG_FILE_NAME, ORG_FILE, flagIdOfDir } from '@kitt/flag-config';
import { scopeChanges } from './change-scope';
import { diffStacks, type FlagPlacement } from './diff-stacks';
import { AffectedError, AffectedErrorCode } from './errors';
import { Git } from '../checkout/git';
import { listNxProjects, type NxProjectLister } from './nx-projects';
import { nxCachedSynthesizer } from './nx-synthesizer';
import { planMatrix } from './plan-matrix';
import {
  checkoutTree,
  flagDirsAtCommit,
  flagDirsInWorkingTree,
  workingTree,
  type SourceTree,
} from '../checkout/source-tree';
import { kittSynthesizer, type Synthesizer } from '../checkout/synthesize-tree';
import { readSynthesizedStacks, type ConfigHashMemo } from './synthesize';
import { defaultWorkerCount } from '../synth/worker-pool';
import type { AffectedReport, FlagDetector, SynthesizedStack } from './types';

export interface FindAffectedOptions {
  /** Repository root (holds `flags/` and the installed `node_modules`). */
  readonly cwd: string;
  /** Commit-ish to compare against. */
  readonly base: string;
  /** Commit-ish to compare. @default the working tree, uncommitted and untracked files included */
  readonly head?: string;
  /** How shared files (packages, lock file) map to FLAGs. @default 'nx' */
  readonly detector?: FlagDetector;
  /**
   * @default `nx run-many -t synth` in each tree with the Nx cache of `cwd`,
   * so that FLAGs synthesized before from the same inputs are not synthesized
   * again (`node scripts/kitt.mjs synth` in a tree whose Nx has no FLAG executor)
   */
  readonly synthesize?: Synthesizer;
  /** @default the workspace's Nx */
  readonly listProjects?: NxProjectLister;
  /** Where worktrees and synthesized output go. @default os.tmpdir() */
  readonly tmpDir?: string;
  /**
   * Worker threads for synthesis, shared by the sides that synthesize (head
   * and base run at once, each on its share).
   * @default one per core, at most MAX_SYNTH_WORKERS
   */
  readonly workers?: number;
}

/**
 * `kitt affected`: the stacks a change between two commits needs planned.
 * Finds the affected FLAGs from the diff (and Nx, for shared files), then
 * synthesizes only those FLAGs, at head with head's code and at base with
 * base's code, and compares their stacks' config.
 */
export async function findAffected(options: FindAffectedOptions): Promise<AffectedReport> {
  const { cwd } = options;
  const git = new Git(cwd);
  const base = await git.resolveCommit(options.base);
  const head = options.head === undefined ? null : await git.resolveCommit(options.head);
  const changed = await git.changedFiles(base, head);
  const [headFlagDirs, baseFlagDirs] = await Promise.all([
    head === null ? flagDirsInWorkingTree(cwd) : flagDirsAtCommit(git, head),
    flagDirsAtCommit(git, base),
  ]);
  await refuseBrokenLayout(git, head, cwd);
  const detector = options.detector ?? 'nx';
  const listProjects = options.listProjects ?? listNxProjects;
  const affected = await findAffectedFlags({
    scope: scopeChanges(changed),
    headFlagDirs,
    baseFlagDirs,
    detector,
    nxAffectedProjects: () => listProjects({ cwd, affected: { base, head } }),
    nxAllProjects: () => listProjects({ cwd }),
  });
  const warnings = [...affected.warnings];
  const headSet = new Set(headFlagDirs);
  const baseSet = new Set(baseFlagDirs);
  const atHead = affected.flagDirs.filter((d) => headSet.has(d));
  const atBase = affected.flagDirs.filter((d) => baseSet.has(d));

  const synthesize =
    options.synthesize ??
    nxCachedSynthesizer({ cacheRoot: cwd, workers: options.workers ?? defaultWorkerCount() }, kittSynthesizer);
  const tmpRoot = mkdtempSync(join(options.tmpDir ?? tmpdir(), 'kitt-affected-out-'));
  try {
    const busySides = (atHead.length > 0 ? 1 : 0) + (atBase.length > 0 ? 1 : 0);
    const workers = Math.max(1, Math.floor((options.workers ?? defaultWorkerCount()) / Math.max(1, busySides)));
    const sides = { git, cwd, synthesize, tmpDir: tmpRoot, workers, hashes: new Map() };
    const [headSide, baseSide] = await Promise.all([
      synthesizeSide({ ...sides, commit: head, flagDirs: atHead, outDir: join(tmpRoot, 'head') }),
      synthesizeSide({ ...sides, commit: base, flagDirs: atBase, outDir: join(tmpRoot, 'base') }),
    ]);
    // A changed lock file means base ran on head's dependencies: its output proves nothing, so nothing counts as unchanged.
    const lockChanged = changed.includes('package-lock.json') && baseSide.stacks.length > 0;
    if (lockChanged) {
      warnings.push(
        "package-lock.json changed: base was synthesized with head's dependencies, so every stack of the affected FLAGs is planned",
      );
    }
    const baseStacks = lockChanged
      ? baseSide.stacks.map((s) => ({ ...s, configHash: `unverified:${s.configHash}` }))
      : baseSide.stacks;
    const roles = planRolesOf(await git.readFile(base, ORG_FILE));
    const placements = flagPlacements(affected.flagDirs, new Map([...baseSide.accounts, ...headSide.accounts]), roles);
    const { stacks, unchanged } = diffStacks(baseStacks, headSide.stacks, placements);
    return {
      base,
      head,
      detector,
      flags: affected.flagDirs.map(flagIdOfDir),
      stacks,
      unchanged,
      matrix: planMatrix(stacks),
      warnings,
    };
  } finally {
    rmSync(tmpRoot, { recursive: true, force: true });
  }
}

/**
 * A FLAG directory whose flag.yaml was renamed, turned into a directory or a
 * link is not a FLAG at head: without this, a typo would be planned as the
 * FLAG's destruction.
 */
async function refuseBrokenLayout(git: Git, head: string | null, cwd: string): Promise<void> {
  const issues = head === null ? flagLayoutIssues(cwd) : flagLayoutIssuesOfPaths(await git.listFiles(head, 'flags'));
  if (issues.length === 0) return;
  throw new AffectedError(
    AffectedErrorCode.FLAG_LAYOUT_INVALID,
    `flags/ at ${head ?? 'the working tree'} has FLAG directories kitt cannot read; ` +
      `fix them before planning (kitt check lists them):\n${formatIssues(issues)}`,
    issues[0]?.file,
  );
}

interface SideRequest {
  readonly git: Git;
  /** null: the working tree. */
  readonly commit: string | null;
  readonly flagDirs: readonly string[];
  readonly cwd: string;
  readonly outDir: string;
  readonly synthesize: Synthesizer;
  /** Where a worktree of the commit goes. */
  readonly tmpDir: string;
  /** This side's share of the worker threads. */
  readonly workers: number;
  /** Config hashes both sides share. */
  readonly hashes: ConfigHashMemo;
}

interface Side {
  readonly stacks: readonly SynthesizedStack[];
  /** `aws.accountId` per FLAG directory, from this side's flag.yaml. */
  readonly accounts: ReadonlyMap<string, string>;
}

/** One side's stacks and accounts, synthesized by that side's own code. */
async function synthesizeSide(request: SideRequest): Promise<Side> {
  const { git, commit, flagDirs, cwd, outDir, synthesize } = request;
  if (flagDirs.length === 0) return { stacks: [], accounts: new Map() };
  const tree = await openTree(git, commit, cwd, request.tmpDir);
  try {
    const accounts = new Map(
      flagDirs.map((d) => {
        const file = `${d}/${FLAG_FILE_NAME}`;
        return [d, accountIdOf(readFileSync(join(tree.dir, file), 'utf8'), file)];
      }),
    );
    await synthesize({ treeDir: tree.dir, flagDirs, outDir, workers: request.workers });
    return { stacks: readSynthesizedStacks(outDir, flagDirs, request.hashes), accounts };
  } finally {
    await tree.dispose();
  }
}

/** The working tree when it is the commit asked for (the checkout CI made), else a worktree of the commit. */
async function openTree(git: Git, commit: string | null, cwd: string, tmpDir: string): Promise<SourceTree> {
  if (commit === null) return workingTree(cwd);
  const checkedOut = await git.resolveCommit('HEAD');
  if (checkedOut === commit && !(await git.hasTrackedChanges())) return workingTree(cwd);
  return checkoutTree(git, commit, cwd, tmpDir);
}

/** Each FLAG's directory, account (head's flag.yaml, base's for a removed FLAG) and the plan role base's org.yaml names for it. */
function flagPlacements(
  flagDirs: readonly string[],
  accounts: ReadonlyMap<string, string>,
  roles: ReadonlyMap<string, string>,
): Map<string, FlagPlacement> {
  return new Map(
    flagDirs.flatMap((flagDir) => {
      const accountId = accounts.get(flagDir);
      if (accountId === undefined) return [];
      const planRoleArn = roles.get(accountId);
      return [[flagIdOfDir(flagDir), { flagDir, accountId, ...(planRoleArn ? { planRoleArn } : {}) }] as const];
    }),
  );
}
