import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flagIdOfDir } from '@kitt/flag-config';
import { readSynthManifest } from '../stacks/synth-manifest';
import { configHash } from '../synth/config-hash';
import { AffectedError, AffectedErrorCode } from './errors';
import type { SynthesizedStack } from './types';

/**
 * Config hashes by the SHA-256 of the file's bytes. The two sides of a change
 * to shared code write mostly the same bytes: a file read before is then
 * hashed once, not parsed and canonicalized again.
 */
export type ConfigHashMemo = Map<string, string>;

/**
 * Reads back the stacks `kitt synth` wrote for `flagDirs` under `outDir`, each with its config hash.
 * @param memo shared by the sides of one comparison. @default a new one
 */
export function readSynthesizedStacks(
  outDir: string,
  flagDirs: readonly string[],
  memo: ConfigHashMemo = new Map(),
): SynthesizedStack[] {
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
      configHash: memoizedConfigHash(readStackConfig(join(s.dir, 'cdk.tf.json')), memo),
    }));
  });
}

function memoizedConfigHash(text: string, memo: ConfigHashMemo): string {
  const bytes = createHash('sha256').update(text).digest('hex');
  const known = memo.get(bytes);
  if (known !== undefined) return known;
  const hash = configHash(text);
  memo.set(bytes, hash);
  return hash;
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
