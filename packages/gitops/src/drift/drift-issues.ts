/**
 * kitt's drift issues on GitHub: found by the marker on their first line AND their author (kitt's own identity),
 * so an issue anyone else opened is never edited or closed, marker or not; opened, updated in place (left alone
 * when the body is the same), or closed with a comment once the FLAG matches main again.
 */
import type { GitHubClient } from '../github/client';
import { toGitHubError } from '../github/errors';
import { isWrittenBy, type CommentAuthor } from '../github/identity';
import {
  driftIssueTitle,
  isDriftIssueOf,
  needsIssue,
  renderDriftGone,
  renderDriftIssue,
  type DriftFinding,
  type DriftRun,
} from './drift-issue-body';

export interface Repository {
  readonly owner: string;
  readonly repo: string;
}

export interface DriftIssue {
  readonly number: number;
  readonly body: string;
  readonly url: string;
}

const MARKER = /^<!-- kitt:drift flag=([a-z0-9-]+) -->$/;

/** kitt's open drift issues, by FLAG id (the oldest, should there ever be two). */
export async function findDriftIssues(
  octokit: GitHubClient,
  where: Repository,
  author: CommentAuthor,
): Promise<Map<string, DriftIssue>> {
  let issues: readonly {
    number: number;
    body?: string | null;
    html_url: string;
    user: { login: string; type?: string } | null;
    pull_request?: unknown;
  }[];
  try {
    issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...where, state: 'open', per_page: 100 });
  } catch (error) {
    throw toGitHubError(error, `listing the open issues of ${where.owner}/${where.repo}`);
  }
  const found = new Map<string, DriftIssue>();
  for (const issue of [...issues].sort((a, b) => a.number - b.number)) {
    if (issue.pull_request !== undefined || !isWrittenBy(author, issue.user)) continue;
    const flagId = MARKER.exec((issue.body ?? '').split('\n', 1)[0]?.trimEnd() ?? '')?.[1];
    if (flagId === undefined || found.has(flagId)) continue;
    found.set(flagId, { number: issue.number, body: issue.body ?? '', url: issue.html_url });
  }
  return found;
}

export type DriftIssueAction = 'opened' | 'updated' | 'unchanged' | 'closed' | 'none';

export interface DriftIssueOutcome {
  readonly flagId: string;
  readonly action: DriftIssueAction;
  readonly number?: number;
  readonly url?: string;
}

/**
 * Brings one FLAG's issue in line with the finding: opened or updated when there is drift or an unapplied merge,
 * closed (with a comment saying so) when there is neither. `existing` must come from `findDriftIssues`: kitt's own.
 */
export async function reconcileDriftIssue(
  octokit: GitHubClient,
  where: Repository,
  finding: DriftFinding,
  existing: DriftIssue | undefined,
  run: DriftRun,
): Promise<DriftIssueOutcome> {
  const { flagId } = finding;
  if (existing !== undefined && !isDriftIssueOf(existing.body, flagId)) {
    throw new RangeError(`issue #${existing.number} is not the drift issue of ${flagId} (a bug)`);
  }
  const operation = (what: string) => `${what} the drift issue of ${flagId} in ${where.owner}/${where.repo}`;
  try {
    if (!needsIssue(finding)) {
      if (existing === undefined) return { flagId, action: 'none' };
      const issue_number = existing.number;
      await octokit.rest.issues.createComment({ ...where, issue_number, body: renderDriftGone(flagId, run) });
      await octokit.rest.issues.update({ ...where, issue_number, state: 'closed', state_reason: 'completed' });
      return { flagId, action: 'closed', number: issue_number, url: existing.url };
    }
    const body = renderDriftIssue(finding, run);
    if (existing === undefined) {
      const { data } = await octokit.rest.issues.create({ ...where, title: driftIssueTitle(flagId), body });
      return { flagId, action: 'opened', number: data.number, url: data.html_url };
    }
    if (existing.body === body) return { flagId, action: 'unchanged', number: existing.number, url: existing.url };
    await octokit.rest.issues.update({ ...where, issue_number: existing.number, body });
    return { flagId, action: 'updated', number: existing.number, url: existing.url };
  } catch (error) {
    throw toGitHubError(error, operation(existing === undefined ? 'opening' : 'updating or closing'));
  }
}
