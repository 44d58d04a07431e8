import { analyseFlag, type FlagAnalysis } from './analyse-flag';
import { IssueCode, InputError } from './errors';
import { ORG_FILE } from './naming';
import { analyseOrg, parseOrg } from './org';
import { readInputFile } from './read-input';
import { readYaml } from './yaml-source';
import { flagFileOf, listFlagFiles } from './repo-files';
import type { Flag, InputIssue, OrgConfig } from './types';

/**
 * The thin I/O edge of flag-config: read files, hand the text to the pure
 * analysers. Paths in results are repo-relative (`flags/payments/prod/us-east-1/flag.yaml`).
 * Every read goes through `readInputFile`: no symlinks, regular files, size-capped, UTF-8.
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
  const read = readInputFile(root, file, flagNotFound);
  if (read.issues) throw new InputError(read.issues);
  return parseFlag(read.text, file);
}

/** `flags/org.yaml` of the repository; there is no default (ORG_FILE_MISSING): the state backend must be the org's own. */
export function loadOrg(root: string): OrgConfig {
  const read = readInputFile(root, ORG_FILE, orgNotFound);
  if (read.issues) throw new InputError(read.issues);
  return parseOrg(read.text);
}

/** The line of a field of `flags/org.yaml` (`accounts.<id>.planRoleArn`); undefined when the file or the field is not there. */
export function orgLineOf(root: string): (path: string) => number | undefined {
  const read = readInputFile(root, ORG_FILE, orgNotFound);
  if (read.issues) return () => undefined;
  const source = readYaml(read.text, ORG_FILE);
  return (path) => source.lineOf(path);
}

/** Issues of `flags/org.yaml`, a missing one included. */
export function checkOrgFile(root: string): readonly InputIssue[] {
  const read = readInputFile(root, ORG_FILE, orgNotFound);
  return read.issues ?? analyseOrg(read.text).issues;
}

/** Analyses of the given repo-relative flag files (default: every FLAG of the repository), in order. */
export function analyseFlagFiles(root: string, files: readonly string[] = listFlagFiles(root)): FlagAnalysis[] {
  return files.map((file) => {
    const read = readInputFile(root, file, flagNotFound);
    return read.issues
      ? { file, declared: {}, issues: read.issues, lineOf: () => undefined }
      : analyseFlag(read.text, file);
  });
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

function orgNotFound(file: string): InputIssue {
  return {
    code: IssueCode.ORG_FILE_MISSING,
    file,
    path: '',
    message: `${file} does not exist: every stack keeps its Terraform state in the bucket it names, and there is no default`,
    expected: `${file} with the org's Terraform state bucket, at least: state: { bucket: <bucket>, region: <its region> }`,
  };
}
