/**
 * Whether a pull request head has an approving review: someone other than the pull request's author approved
 * that very commit (`commit_id`). `kitt comment` never edits the record of such a head (`plan-record-comment.ts`).
 * Any approval counts, even one a later review overrode: that errs on the side of not editing what was approved.
 */
import type { GitHubClient } from './client';
import { toGitHubError } from './errors';
import type { PullRequestRef } from './pull-request-of-head';

export interface HeadApprovalInput extends PullRequestRef {
  /** The head commit (7 to 40 characters, lower case). */
  readonly head: string;
}

export async function headIsApproved(octokit: GitHubClient, input: HeadApprovalInput): Promise<boolean> {
  const { owner, repo, pr } = input;
  const where = `${owner}/${repo}#${pr}`;
  try {
    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: pr });
    const author = (pull.user?.login ?? '').toLowerCase();
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
      owner,
      repo,
      pull_number: pr,
      per_page: 100,
    });
    return reviews.some(
      (r) =>
        r.state === 'APPROVED' &&
        (r.commit_id ?? '').toLowerCase().startsWith(input.head) &&
        r.user !== null &&
        r.user.login.toLowerCase() !== author,
    );
  } catch (error) {
    throw toGitHubError(error, `listing the reviews of ${where}`);
  }
}
