import * as path from 'node:path';
import { InputError, flagLayoutIssues, listFlagFiles, loadFlag, loadOrg, type InputIssue } from '@kitt/flag-config';
import { prepareFlag, writeFlagApp } from './app';
import { notKittOutput, outputRootIssues } from './output-dir';
import type { FlagAppInput } from './compose';
import type { SynthResult } from './types';

export interface SynthesizeFlagsOptions {
  /**
   * FLAG directories (or their flag.yaml), relative to `root` or absolute.
   * @default every FLAG of the repository
   */
  readonly dirs?: readonly string[];
  /** Output root; relative paths are taken from `root`. @default '<root>/cdktf.out' */
  readonly outDir?: string;
}

/**
 * Synthesizes every FLAG of the repository (or the ones named), each into
 * `<outDir>/<flag-id>`. Every FLAG is loaded, validated and planned first:
 * if any is bad, nothing is written and one `InputError` carries the issues
 * of all of them. So does an output root inside `flags/` (or leading out of
 * the repository through a link), and an existing `<outDir>/<flag-id>` that
 * is not kitt's output: kitt replaces only what it wrote.
 */
export function synthesizeFlags(root: string, options: SynthesizeFlagsOptions = {}): SynthResult[] {
  const outDir = path.resolve(root, options.outDir ?? 'cdktf.out');
  const dirs = options.dirs ?? listFlagFiles(root);
  // Synthesizing everything must not silently skip a FLAG whose flag.yaml was renamed or linked.
  const issues: InputIssue[] = options.dirs ? [] : flagLayoutIssues(root);
  const org = collect(issues, () => loadOrg(root));
  const inputs: FlagAppInput[] = [];
  for (const dir of dirs) {
    const flag = collect(issues, () => loadFlag(root, dir));
    const input = flag && org && collect(issues, () => prepareFlag(flag, org));
    if (input && !inputs.some((seen) => seen.flag.id === input.flag.id)) inputs.push(input);
  }
  issues.push(...outputRootIssues(root, outDir));
  // Every FLAG's output place is checked before the first is written: nothing half-written.
  for (const input of inputs) {
    const notOurs = notKittOutput(path.join(outDir, input.flag.id));
    if (notOurs) issues.push(notOurs);
  }
  if (issues.length > 0 || !org) throw new InputError(issues);
  return inputs
    .sort((a, b) => (a.flag.dir < b.flag.dir ? -1 : a.flag.dir > b.flag.dir ? 1 : 0))
    .map((input) => writeFlagApp(input, outDir));
}

function collect<T>(issues: InputIssue[], load: () => T): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}
