import { readFileSync } from 'node:fs';
import { KittError } from '@kitt/flag-config';
import { dirname, join, resolve } from 'node:path';
import { layerOfStack, type StackToPlan } from './stack-order';

/** A synthesized FLAG that cannot be read back (missing or malformed cdktf output). */
export class SynthOutputError extends KittError {
  constructor(
    /** Stable code: `SYNTH_MANIFEST_MISSING`, `SYNTH_MANIFEST_INVALID`. */
    code: string,
    /** The file that is wrong. */
    readonly file: string,
    message: string,
  ) {
    super({ code, kind: 'external', message });
  }
}

interface ManifestStack {
  readonly name: string;
  readonly workingDirectory: string;
  readonly dependencies: readonly string[];
}

function isManifestStack(value: unknown): value is ManifestStack {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    typeof v.workingDirectory === 'string' &&
    Array.isArray(v.dependencies) &&
    v.dependencies.every((d) => typeof d === 'string')
  );
}

/**
 * The stacks of one synthesized FLAG, from cdktf's `manifest.json`
 * (`stacks.<name>.{workingDirectory, dependencies}`), with absolute directories.
 * Not ordered: see `orderStacks`.
 */
export function parseSynthManifest(manifestFile: string, text: string, flagId: string): StackToPlan[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SynthOutputError('SYNTH_MANIFEST_INVALID', manifestFile, `not valid JSON: ${(error as Error).message}`);
  }
  const stacks = (parsed as { stacks?: unknown } | null)?.stacks;
  if (typeof stacks !== 'object' || stacks === null) {
    throw new SynthOutputError('SYNTH_MANIFEST_INVALID', manifestFile, "expected a 'stacks' object as cdktf writes it");
  }
  const root = dirname(resolve(manifestFile));
  return Object.entries(stacks).map(([key, entry]) => {
    if (!isManifestStack(entry)) {
      throw new SynthOutputError(
        'SYNTH_MANIFEST_INVALID',
        manifestFile,
        `stacks.${key}: expected {name, workingDirectory, dependencies[]} as cdktf writes it`,
      );
    }
    return {
      flagId,
      stack: entry.name,
      layer: layerOfStack(flagId, entry.name),
      dir: join(root, entry.workingDirectory),
      dependsOn: [...entry.dependencies],
    };
  });
}

/** Reads `<flagOutDir>/manifest.json`, as written by synthesis for one FLAG. */
export function readSynthManifest(flagOutDir: string, flagId: string): StackToPlan[] {
  const file = join(flagOutDir, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SynthOutputError('SYNTH_MANIFEST_MISSING', file, `no cdktf manifest: synthesize FLAG ${flagId} first`);
  }
  return parseSynthManifest(file, text, flagId);
}
