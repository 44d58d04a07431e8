import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A fixture file of this folder, as text. */
export function fixture(name: string): string {
  return readFileSync(path.join(__dirname, name), 'utf8');
}

/**
 * A throw-away repository in the OS temp dir: `flags/org.yaml` plus the FLAGs
 * given as `dir → fixture file`, and those given as `dir → flag.yaml text`.
 */
export function makeTempRepo(
  flags: Readonly<Record<string, string>>,
  texts: Readonly<Record<string, string>> = {},
): { root: string; remove: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'kitt-synth-'));
  mkdirSync(path.join(root, 'flags'), { recursive: true });
  writeFileSync(path.join(root, 'flags/org.yaml'), fixture('org.yaml'));
  for (const [dir, file] of Object.entries(flags)) {
    mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(path.join(root, dir, 'flag.yaml'), fixture(file));
  }
  for (const [dir, text] of Object.entries(texts)) {
    mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(path.join(root, dir, 'flag.yaml'), text);
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
