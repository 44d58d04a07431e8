/**
 * The drift check's report: reads the drift plans of main (every FLAG's `summary.json`, from the drift workflow's
 * plan jobs), finds the merges without an apply record, and brings each FLAG's drift issue in line. A FLAG of main
 * with no plan is not judged: its issue, if any, is left as it is, and the outcome names it.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Git } from '../checkout/git';
import { flagDirsInWorkingTree } from '../checkout/source-tree';
import { flagIdOfDir } from '@kitt/flag-config';
import type { GitHubClient } from '../github/client';
import type { CommentAuthor } from '../github/identity';
import { parseStackResult, type StackResult } from '../plan';
import { readPlanFile } from '../record/read-plan-file';
import { checkUntrustedFiles } from '../record/untrusted-files';
import type { DriftRun, UnappliedMerge } from './drift-issue-body';
import { findDriftIssues, reconcileDriftIssue, type DriftIssueOutcome, type Repository } from './drift-issues';
import { unappliedMerges } from './unapplied-merges';

export interface DriftRequest extends Repository {
  readonly repoDir: string;
  readonly git: Git;
  readonly octokit: GitHubClient;
  /** kitt's own identity: only its issues and apply records count. */
  readonly author: CommentAuthor;
  /** Where the plan jobs' `summary.json` files are (any depth). */
  readonly plansDir: string;
  /** Merges older than this are not checked for an apply record. */
  readonly since: Date;
  readonly run: DriftRun;
}

export interface DriftOutcome {
  readonly issues: readonly DriftIssueOutcome[];
  /** FLAGs of main that have no plan: not judged. */
  readonly notPlanned: readonly string[];
}

/** The `summary.json` files under a directory, sorted. */
function summaryFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(at, entry.name));
      else if (entry.isFile() && entry.name === 'summary.json') found.push(join(at, entry.name));
    }
  };
  walk(dir);
  return found.sort();
}

async function readSummaries(plansDir: string): Promise<Map<string, StackResult[]>> {
  const files = summaryFiles(plansDir).map((file) => ({ file, shown: relative(plansDir, file) }));
  await checkUntrustedFiles(files);
  const byFlag = new Map<string, StackResult[]>();
  for (const { file } of files) {
    const result = parseStackResult(await readPlanFile(file));
    byFlag.set(result.flagId, [...(byFlag.get(result.flagId) ?? []), result]);
  }
  return byFlag;
}

/** Planned with changes, or not planned at all (an error, or a preview that ran no terraform): drift, or unknown. */
function isDrifted(result: StackResult): boolean {
  return result.status === 'changes' || result.status === 'error' || result.status === 'preview';
}

export async function runDrift(request: DriftRequest): Promise<DriftOutcome> {
  const where = { owner: request.owner, repo: request.repo };
  const onMain = flagDirsInWorkingTree(request.repoDir).map(flagIdOfDir);
  const plans = await readSummaries(request.plansDir);
  const unapplied = await unappliedMerges(request.octokit, request.git, {
    ...where,
    head: request.run.commit,
    since: request.since,
    author: request.author,
  });
  const issues = await findDriftIssues(request.octokit, where, request.author);
  const outcomes: DriftIssueOutcome[] = [];
  const notPlanned: string[] = [];
  // A FLAG gone from main has no stacks to plan: only its unapplied merges (its destroy) are left to report.
  const gone = [...new Set([...issues.keys(), ...unapplied.keys()])].filter((id) => !onMain.includes(id));
  for (const flagId of [...onMain, ...gone].sort()) {
    const stacks = plans.get(flagId);
    if (stacks === undefined && onMain.includes(flagId)) {
      notPlanned.push(flagId);
      continue;
    }
    const merges: readonly UnappliedMerge[] = unapplied.get(flagId) ?? [];
    const finding = {
      flagId,
      drifted: (stacks ?? []).filter(isDrifted),
      waiting: (stacks ?? []).filter((s) => s.status === 'waits'),
      unapplied: merges,
    };
    outcomes.push(await reconcileDriftIssue(request.octokit, where, finding, issues.get(flagId), request.run));
  }
  return { issues: outcomes, notPlanned };
}
