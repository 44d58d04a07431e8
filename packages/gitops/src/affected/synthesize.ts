import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flagIdOfDir } from '@kitt/flag-config';
import { readSynthManifest } from '../stacks/synth-manifest';
import { configHash } from '../synth/config-hash';
import { AffectedError, AffectedErrorCode } from './errors';
import type { SynthesizedStack } from './types';

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
