import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { analyseFlag, type FlagAnalysis } from './analyse-flag';
import { cellRequirementIssues } from './cell-requirements';
import { crossFlagIssues } from './cross-flag';
import { IssueCode } from './errors';
import { readFlagFilesAt } from './git-base';
import { analyseFlagFiles, checkOrgFile, flagNotFound, loadOrg } from './load';
import { DEFAULT_ORG } from './org';
import { flagFileOf, listFlagFiles, listMisplacedFlagFiles } from './repo-files';
import { checkStability } from './stability';
import type { Flag, InputIssue } from './types';

export interface CheckOptions {
  /** FLAG directories to check (repo-relative or absolute). @default every FLAG of the repository */
  readonly dirs?: readonly string[];
  /** Git revision to check stability against (`kitt check --base`). @default no stability check */
  readonly baseRef?: string;
}

export interface CheckResult {
  /** The checked FLAGs that are valid on their own, in path order. */
  readonly flags: Flag[];
  /** Every problem found (empty = all good). */
  readonly issues: InputIssue[];
}

/**
 * `kitt check`: every FLAG (or those named), `flags/org.yaml`, the rules
 * between FLAGs (always against every FLAG of the repository), and with
 * `baseRef` the stability rules. Returns every issue; throws InputError only
 * for a bad base ref (BASE_REF_INVALID).
 */
export function checkRepository(root: string, options: CheckOptions = {}): CheckResult {
  const base = options.baseRef === undefined ? undefined : readFlagFilesAt(root, options.baseRef);
  const all = listFlagFiles(root);
  const named = options.dirs?.map((dir) => flagFileOf(root, dir));
  const scope = new Set(named ?? all);
  const inScope = (file: string) => scope.has(file);

  const missing = [...scope].filter((file) => !existsSync(path.join(root, file))).map(flagNotFound);
  const extra = [...scope].filter((file) => !all.includes(file) && existsSync(path.join(root, file)));
  const analyses = analyseFlagFiles(root, [...all, ...extra]);
  const checked = analyses.filter((analysis) => inScope(analysis.file));

  const issues = [
    ...checkOrgFile(root),
    ...missing,
    ...(named ? [] : listMisplacedFlagFiles(root).map(misplaced)),
    ...checked.flatMap((analysis) => analysis.issues),
    ...crossFlagIssues(analyses, { inScope, pool: poolOf(root) }),
    ...(base ? checked.flatMap((analysis) => stabilityIssues(analysis, base)) : []),
    ...cellIssues(checked, root),
  ];
  return { flags: checked.flatMap((analysis) => (analysis.flag ? [analysis.flag] : [])), issues };
}

/** Stability of one FLAG against its version at the base commit (nothing to compare for a new or broken base FLAG). */
function stabilityIssues(head: FlagAnalysis, baseFiles: ReadonlyMap<string, string>): InputIssue[] {
  const baseText = baseFiles.get(head.file);
  if (!head.flag || baseText === undefined) return [];
  const base = analyseFlag(baseText, head.file).flag;
  if (!base) return [];
  return checkStability(base, head.flag).map((issue) => {
    const line = head.lineOf(issue.path);
    return line === undefined ? issue : { ...issue, line };
  });
}

/** What the FLAGs' cells need from org.yaml (a broken org.yaml is reported apart, so then nothing here). */
function cellIssues(analyses: readonly FlagAnalysis[], root: string): InputIssue[] {
  let org;
  try {
    org = loadOrg(root);
  } catch {
    return [];
  }
  const issues = analyses.flatMap(({ flag, file, lineOf }) =>
    flag === undefined
      ? []
      : cellRequirementIssues(flag, org).map((issue) => {
          const line = issue.file === file ? lineOf(issue.path) : undefined;
          return line === undefined ? issue : { ...issue, line };
        }),
  );
  // An org.yaml issue (a bad AMI of a region) is found once per FLAG of that region: report it once.
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify([issue.code, issue.file, issue.path, issue.message]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** The pool for "use this /16 instead" hints; a broken org.yaml is reported apart, so fall back to the default. */
function poolOf(root: string): readonly string[] {
  try {
    return loadOrg(root).pool;
  } catch {
    return DEFAULT_ORG.pool;
  }
}

function misplaced(file: string): InputIssue {
  return {
    code: IssueCode.FLAG_PATH_MISMATCH,
    file,
    path: '',
    message: 'a flag.yaml outside flags/<customer>/<environment>/<region>/ is not a FLAG and would be ignored',
    received: file,
    expected: 'flags/<customer>/<environment>/<region>/flag.yaml',
  };
}
