import { analyseFlag, type FlagAnalysis } from './analyse-flag';
import { cellRequirementIssues } from './cell-requirements';
import { crossFlagIssues, poolIssues } from './cross-flag';
import { IssueCode } from './errors';
import { readFlagFilesAt } from './git-base';
import { analyseFlagFiles, checkOrgFile, loadOrg, orgLineOf } from './load';
import { ORG_FILE, parseFlagFile } from './naming';
import { analyseOrg } from './org';
import { flagFileOf, flagLayoutIssues, listFlagFiles, listMisplacedFlagFiles } from './repo-files';
import { checkBackendStability, checkPlanRoleStability, checkStability } from './stability';
import type { Flag, InputIssue, OrgConfig } from './types';

export interface CheckOptions {
  /** FLAG directories to check (repo-relative or absolute). @default every FLAG of the repository */
  readonly dirs?: readonly string[];
  /** Git revision to check stability against (`kitt check --base`). @default no stability check */
  readonly baseRef?: string;
  /**
   * Further rules of one valid FLAG that the layers own (the addons layer's
   * pinned images), so `kitt check` finds what synthesis would refuse; their
   * issues get the FLAG's line numbers. @default none
   */
  readonly flagRules?: readonly FlagRule[];
}

/** A rule of one valid FLAG: its issues (empty when the FLAG keeps it). */
export type FlagRule = (flag: Flag) => readonly Omit<InputIssue, 'line'>[];

export interface CheckResult {
  /** The checked FLAGs that are valid on their own, in path order. */
  readonly flags: Flag[];
  /** Every problem found (empty = all good). */
  readonly issues: InputIssue[];
  /**
   * With a base: repo-relative directories of the FLAGs in scope that the base
   * has and this tree does not. Their stacks will be planned as destroyed, so
   * the CLI says so loudly. Empty without a base.
   */
  readonly removed: string[];
}

/**
 * `kitt check`: every FLAG (or those named), `flags/org.yaml`, the layout of
 * `flags/` (no symlinks, no FLAG directory without its flag.yaml), the rules
 * between FLAGs (always against every FLAG of the repository), and with
 * `baseRef` the stability rules and the FLAGs removed since. Returns every
 * issue; throws InputError only for a bad base ref (BASE_REF_INVALID).
 */
export function checkRepository(root: string, options: CheckOptions = {}): CheckResult {
  const base = options.baseRef === undefined ? undefined : readFlagFilesAt(root, options.baseRef);
  const all = listFlagFiles(root);
  const named = options.dirs?.map((dir) => flagFileOf(root, dir));
  const scope = new Set(named ?? all);
  const inScope = (file: string) => scope.has(file);
  const inNamedDirs = (file: string) =>
    !named ||
    named.some((flagFile) => file === flagFile || file.startsWith(`${flagFile.replace(/\/flag\.yaml$/, '')}/`));

  const allSet = new Set(all);
  const extra = [...scope].filter((file) => !allSet.has(file));
  const analyses = analyseFlagFiles(root, [...all, ...extra]);
  const checked = analyses.filter((analysis) => inScope(analysis.file));
  const org = orgOf(root);
  const layout = flagLayoutIssues(root).filter((issue) => inNamedDirs(issue.file));
  // A named FLAG whose flag.yaml is a link or a directory is already reported by the layout check.
  const layoutFiles = new Set(layout.map((issue) => issue.file));

  const issues = [
    ...checkOrgFile(root),
    ...layout,
    ...(named ? [] : listMisplacedFlagFiles(root).map(misplaced)),
    ...checked.flatMap((analysis) => analysis.issues.filter((issue) => !layoutFiles.has(issue.file))),
    ...crossFlagIssues(analyses, { inScope, ...(org ? { pool: org.pool } : {}) }),
    ...(org ? poolIssues(analyses, inScope, org.pool) : []),
    ...(base ? checked.flatMap((analysis) => stabilityIssues(analysis, base)) : []),
    ...(base && org ? backendIssues(root, base, org) : []),
    ...(org ? cellIssues(checked, org) : []),
    ...layerIssues(checked, options.flagRules ?? []),
  ];
  const removed = base
    ? [...base.keys()]
        .filter(
          (file) =>
            parseFlagFile(file) !== undefined && !allSet.has(file) && !layoutFiles.has(file) && inNamedDirs(file),
        )
        .map((file) => file.replace(/\/flag\.yaml$/, ''))
        .sort()
    : [];
  return { flags: checked.flatMap((analysis) => (analysis.flag ? [analysis.flag] : [])), issues, removed };
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

/** The backend and the plan roles against base's org.yaml (a base without one, or with a broken one, has nothing to compare). */
function backendIssues(root: string, baseFiles: ReadonlyMap<string, string>, head: OrgConfig): InputIssue[] {
  const text = baseFiles.get(ORG_FILE);
  const base = text === undefined ? undefined : analyseOrg(text).org;
  if (!base) return [];
  const lineOf = orgLineOf(root);
  return [...checkBackendStability(base, head), ...checkPlanRoleStability(base, head)].map((issue) => {
    const line = lineOf(issue.path);
    return line === undefined ? issue : { ...issue, line };
  });
}

/** What the FLAGs' cells need from org.yaml. */
function cellIssues(analyses: readonly FlagAnalysis[], org: OrgConfig): InputIssue[] {
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

/** `flagRules` on every valid FLAG, each issue at its line. */
function layerIssues(analyses: readonly FlagAnalysis[], rules: readonly FlagRule[]): InputIssue[] {
  return analyses.flatMap(({ flag, lineOf }) =>
    flag === undefined
      ? []
      : rules.flatMap((rule) =>
          rule(flag).map((issue) => {
            const line = lineOf(issue.path);
            return line === undefined ? issue : { ...issue, line };
          }),
        ),
  );
}

/** The org settings, when org.yaml is valid (its problems are reported apart). */
function orgOf(root: string): OrgConfig | undefined {
  try {
    return loadOrg(root);
  } catch {
    return undefined;
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
