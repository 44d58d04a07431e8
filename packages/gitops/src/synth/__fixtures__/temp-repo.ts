import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';

/** A fixture file of this folder, as text. */
export function fixture(name: string): string {
  return readFileSync(path.join(__dirname, name), 'utf8');
}

/**
 * A throw-away repository: `flags/org.yaml` plus the FLAGs given as `dir → fixture file`, and those given as
 * `dir → flag.yaml text`.
 */
export function makeTempRepo(
  flags: Readonly<Record<string, string>>,
  texts: Readonly<Record<string, string>> = {},
): TempRepo {
  const repo = new TempRepo('kitt-synth-').write({ 'flags/org.yaml': fixture('org.yaml') });
  for (const [dir, file] of Object.entries(flags)) repo.write({ [`${dir}/flag.yaml`]: fixture(file) });
  for (const [dir, text] of Object.entries(texts)) repo.write({ [`${dir}/flag.yaml`]: text });
  return repo;
}
