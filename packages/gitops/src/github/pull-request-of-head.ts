/**
 * The pull request a plan run was for, found from trusted data: its head commit, as GitHub's `workflow_run` event
 * reports it, never a number read from the run's artifacts (those are the pull request's own output). And the
 * other way round: a pull request's current head, so that a late or re-run plan of an older head does not replace
 * the current record.
 */
import type { GitHubClient } from './client';
import { GitHubError, toGitHubError } from './errors';
import { normalizeHead } from './plan-record-body';

export interface PullRequestOfHeadInput {
  readonly owner: string;
  readonly repo: string;
  /** The head commit (full SHA) the plan run was for. */
  readonly head: string;
}

/**
 * The number of the one open pull request of `owner/repo` whose head is `head` and whose head branch lives in
 * `owner/repo` itself (a fork's pull request gets no plan). Throws `GITHUB_PULL_REQUEST_NOT_FOUND` when there is
 * none, or more than one (kitt will not guess where the record goes).
 */
export async function pullRequestOfHead(octokit: GitHubClient, input: PullRequestOfHeadInput): Promise<number> {
  const head = normalizeHead(input.head);
  const full = `${input.owner}/${input.repo}`.toLowerCase();
  const operation = `finding the pull request of commit ${head.slice(0, 12)} in ${input.owner}/${input.repo}`;
  let pulls: readonly {
    number: number;
    state: string;
    head: { sha: string; repo: { full_name: string } | null };
    base: { repo: { full_name: string } };
  }[];
  try {
    pulls = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
      owner: input.owner,
      repo: input.repo,
      commit_sha: head,
      per_page: 100,
    });
  } catch (error) {
    throw toGitHubError(error, operation);
  }
  const matching = pulls.filter(
    (p) =>
      p.state === 'open' &&
      p.head.sha.toLowerCase() === head &&
      p.head.repo?.full_name.toLowerCase() === full &&
      p.base.repo.full_name.toLowerCase() === full,
  );
  if (matching.length === 1) return (matching[0] as { number: number }).number;
  const found =
    matching.length === 0 ? 'none is open with this head' : `${matching.map((p) => `#${p.number}`).join(', ')} all are`;
  throw new GitHubError('GITHUB_PULL_REQUEST_NOT_FOUND', `${operation}: ${found}; no record is posted`, {
    operation,
    field: 'head',
    received: head,
    expected: 'the head commit of exactly one open pull request of this repository',
  });
}

export interface PullRequestRef {
  readonly owner: string;
  readonly repo: string;
  readonly pr: number;
}

/** The head commit the pull request has now (lower case). */
export async function currentHeadOf(octokit: GitHubClient, input: PullRequestRef): Promise<string> {
  const operation = `reading the head of ${input.owner}/${input.repo}#${input.pr}`;
  try {
    const { data } = await octokit.rest.pulls.get({ owner: input.owner, repo: input.repo, pull_number: input.pr });
    return data.head.sha.toLowerCase();
  } catch (error) {
    throw toGitHubError(error, operation);
  }
}
