import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { flagIdOfDir } from '@kitt/flag-config';
import { readSynthManifest } from '../terraform/synth-manifest';
import { configHash } from '../synth/config-hash';
import { AffectedError, AffectedErrorCode } from './errors';
import type { SynthesizedStack } from './types';

const run = promisify(execFile);

export interface SynthesisRequest {
  /** Root of the tree whose own code synthesizes (the working tree, or a worktree of a commit). */
  readonly treeDir: string;
  /** Repo-relative FLAG directories to synthesize. */
  readonly flagDirs: readonly string[];
  /** Absolute output directory: `<outDir>/<flag-id>/manifest.json` and `stacks/<stack>/cdk.tf.json`. */
  readonly outDir: string;
}

/** Writes cdktf output for some FLAGs of a tree; injectable so tests can stand in for the layers. */
export type Synthesizer = (request: SynthesisRequest) => Promise<void>;

/** `node scripts/kitt.mjs synth <dirs> --out <dir>`, run by the tree's own code. */
export const kittSynthesizer: Synthesizer = async ({ treeDir, flagDirs, outDir }) => {
  const args = [join(treeDir, 'scripts', 'kitt.mjs'), 'synth', ...flagDirs, '--out', outDir];
  try {
    await run(process.execPath, args, {
      cwd: treeDir,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    });
  } catch (error) {
    const output = String((error as { stderr?: unknown }).stderr ?? '').trim() || (error as Error).message;
    throw new AffectedError(AffectedErrorCode.SYNTH_FAILED, `kitt synth failed in ${treeDir}:\n${output}`, treeDir);
  }
};

/** Reads back the stacks `kitt synth` wrote for `flagDirs` under `outDir`, each with its config hash. */
export function readSynthesizedStacks(outDir: string, flagDirs: readonly string[]): SynthesizedStack[] {
  return flagDirs.flatMap((flagDir) => {
    const flag = flagIdOfDir(flagDir);
    const flagOut = join(outDir, flag);
    if (!existsSync(join(flagOut, 'manifest.json'))) {
      throw new AffectedError(
        AffectedErrorCode.SYNTH_OUTPUT_MISSING,
        `kitt synth wrote no ${flag}/manifest.json for ${flagDir}`,
        join(flagOut, 'manifest.json'),
      );
    }
    return readSynthManifest(flagOut, flag).map((s) => ({
      flag,
      stack: s.stack,
      layer: s.layer,
      dependsOn: s.dependsOn,
      configHash: configHash(readStackConfig(join(s.dir, 'cdk.tf.json'))),
    }));
  });
}

function readStackConfig(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new AffectedError(
      AffectedErrorCode.SYNTH_OUTPUT_MISSING,
      `kitt synth listed a stack but wrote no ${file}`,
      file,
    );
  }
}
