import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KittError } from '@kitt/flag-config';
import { SYNTH_WORKERS_ENV } from '../synth/worker-pool';

const run = promisify(execFile);

export interface SynthesisRequest {
  /** Root of the tree whose own code synthesizes (the working tree, or a worktree of a commit). */
  readonly treeDir: string;
  /** Repo-relative FLAG directories to synthesize. */
  readonly flagDirs: readonly string[];
  /** Absolute output directory: `<outDir>/<flag-id>/manifest.json` and `stacks/<stack>/cdk.tf.json`. */
  readonly outDir: string;
  /** Worker threads the synthesis may use. @default its own default (one per core) */
  readonly workers?: number;
}

/** Writes cdktf output for some FLAGs of a tree; injectable so tests can stand in for the layers. */
export type Synthesizer = (request: SynthesisRequest) => Promise<void>;

/**
 * The environment variable that has kitt run its compiled modules without
 * bundling them (scripts/build.mjs): bundling costs seconds, more than it
 * saves a tree kitt runs in once.
 */
export const UNBUNDLED_BUILD_ENV = 'KITT_UNBUNDLED';

/** FLAGs from which bundling (seconds) pays for itself: the bundles leave out cdktf's token stack traces, a sixth of a stack. */
export const BUNDLE_FROM_FLAGS = 10;

/**
 * What kitt runs with in `treeDir` to synthesize `flags` FLAGs: unbundled
 * where the tree has no build yet (a checkout of a commit; the working tree
 * has the one `npm ci` made) and the FLAGs are too few for bundling to pay.
 */
export function treeKittEnv(treeDir: string, flags: number): Record<string, string> {
  const unbundled = flags < BUNDLE_FROM_FLAGS && !existsSync(join(treeDir, 'dist'));
  return unbundled ? { [UNBUNDLED_BUILD_ENV]: '1' } : {};
}

/**
 * Builds kitt in `treeDir` (`node scripts/build.mjs`) when its synthesis of
 * `flags` FLAGs will run bundled and the tree has no build yet: started while
 * the other side synthesizes, the build's seconds are not spent on the way.
 * Resolves false when there was nothing to build or the build failed (kitt
 * then builds, or says why it runs its sources, itself).
 */
export async function prebuildTree(treeDir: string, flags: number): Promise<boolean> {
  const script = join(treeDir, 'scripts', 'build.mjs');
  if (UNBUNDLED_BUILD_ENV in treeKittEnv(treeDir, flags) || existsSync(join(treeDir, 'dist')) || !existsSync(script)) {
    return false;
  }
  try {
    await run(process.execPath, [script], { cwd: treeDir, encoding: 'utf8' });
    return true;
  } catch {
    return false;
  }
}

/** `node scripts/kitt.mjs synth <dirs> --out <dir>`, run by the tree's own code (`workers` as KITT_SYNTH_WORKERS). */
export const kittSynthesizer: Synthesizer = async ({ treeDir, flagDirs, outDir, workers }) => {
  const args = [join(treeDir, 'scripts', 'kitt.mjs'), 'synth', ...flagDirs, '--out', outDir];
  try {
    await run(process.execPath, args, {
      cwd: treeDir,
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        ...treeKittEnv(treeDir, flagDirs.length),
        ...(workers === undefined ? {} : { [SYNTH_WORKERS_ENV]: String(workers) }),
      },
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    });
  } catch (error) {
    const output = String((error as { stderr?: unknown }).stderr ?? '').trim() || (error as Error).message;
    throw new KittError({
      code: 'AFFECTED_SYNTH_FAILED',
      kind: 'external',
      message: `kitt synth failed in ${treeDir}:\n${output}`,
    });
  }
};
