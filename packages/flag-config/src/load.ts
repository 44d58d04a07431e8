import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyseFlag, type FlagAnalysis } from './analyse-flag';
import { IssueCode, InputError } from './errors';
import { ORG_FILE } from './naming';
import { DEFAULT_ORG, analyseOrg, parseOrg } from './org';
import { flagFileOf, listFlagFiles } from './repo-files';
import type { Flag, InputIssue, OrgConfig } from './types';

/**
 * The thin I/O edge of flag-config: read files, hand the text to the pure
 * analysers. Paths in results are repo-relative (`flags/payments/prod/us-east-1/flag.yaml`).
 */

/** A flag.yaml text → the normalised FLAG; throws InputError with every issue. `file` is its repo-relative path. */
export function parseFlag(text: string, file: string): Flag {
  const { flag, issues } = analyseFlag(text, file);
  if (!flag) throw new InputError(issues);
  return flag;
}

/** The FLAG in `dir` (repo-relative or absolute; the flag.yaml itself is accepted too). */
export function loadFlag(root: string, dir: string): Flag {
  const file = flagFileOf(root, dir);
  if (!existsSync(path.join(root, file))) throw new InputError([flagNotFound(file)]);
  return parseFlag(readFileSync(path.join(root, file), 'utf8'), file);
}

/** `flags/org.yaml` of the repository, or the defaults when there is none. */
export function loadOrg(root: string): OrgConfig {
  const file = path.join(root, ORG_FILE);
  return existsSync(file) ? parseOrg(readFileSync(file, 'utf8')) : DEFAULT_ORG;
}

/** Issues of `flags/org.yaml` (none when it is missing: all defaults). */
export function checkOrgFile(root: string): readonly InputIssue[] {
  const file = path.join(root, ORG_FILE);
  return existsSync(file) ? analyseOrg(readFileSync(file, 'utf8')).issues : [];
}

/** Analyses of the given repo-relative flag files (default: every FLAG of the repository), in order. */
export function analyseFlagFiles(root: string, files: readonly string[] = listFlagFiles(root)): FlagAnalysis[] {
  return files.map((file) => analyseFlag(readFileSync(path.join(root, file), 'utf8'), file));
}

/** Every FLAG of the repository that is valid on its own, and the issues of those that are not. */
export function loadAllFlags(root: string): { flags: Flag[]; issues: InputIssue[] } {
  const analyses = analyseFlagFiles(root);
  return {
    flags: analyses.flatMap((analysis) => (analysis.flag ? [analysis.flag] : [])),
    issues: analyses.flatMap((analysis) => analysis.issues),
  };
}

export function flagNotFound(file: string): InputIssue {
  return {
    code: IssueCode.FLAG_NOT_FOUND,
    file,
    path: '',
    message: `there is no FLAG here: ${file} does not exist`,
    expected: 'a FLAG directory flags/<customer>/<environment>/<region> with a flag.yaml (kitt new writes one)',
  };
}
