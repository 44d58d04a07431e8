import type { GitHubClient } from './client';
import type { GitHubEnvironment } from './environment';
import { headIsApproved } from './head-approval';
import { resolveCommentAuthor } from './identity';
import { normalizeHead } from './plan-record-body';
import { publishPlanRecord, type PublishPlanRecordResult } from './plan-record-comment';
import { currentHeadOf, pullRequestOfHead } from './pull-request-of-head';

export interface PostPlanRecordRequest {
  /** The pull request, or `of-head`: the one open pull request whose head is `head`. */
  readonly pr: number | 'of-head';
  /** The record, as `kitt render` wrote it (parts included). */
  readonly body: string;
  /** The head commit the record is for. Required with `pr: 'of-head'`. */
  readonly head?: string;
}

export type PostPlanRecordOutcome =
  | {
      readonly posted: true;
      readonly pr: number;
      readonly result: PublishPlanRecordResult;
      /** The head had an approving review, so its record was not edited (left alone, or a new one posted). */
      readonly approved: boolean;
    }
  /** The pull request has moved on to a newer head: a late or re-run plan never replaces the current record. */
  | { readonly posted: false; readonly pr: number; readonly currentHead: string };

/**
 * `kitt comment`: learns kitt's identity once (nothing can be told apart without it), finds the pull request,
 * refuses a superseded head, asks whether the head is approved (its record is then never edited), then publishes
 * the record as kitt's own comments.
 */
export async function postPlanRecord(
  octokit: GitHubClient,
  env: GitHubEnvironment,
  request: PostPlanRecordRequest,
): Promise<PostPlanRecordOutcome> {
  const { owner, repo } = env;
  const author = await resolveCommentAuthor(octokit, env.authorOverride);
  const { head } = request;
  let pr: number;
  if (request.pr === 'of-head') {
    pr = await pullRequestOfHead(octokit, { owner, repo, head: head as string });
  } else {
    pr = request.pr;
    if (head !== undefined) {
      const currentHead = await currentHeadOf(octokit, { owner, repo, pr });
      if (!currentHead.startsWith(normalizeHead(head))) return { posted: false, pr, currentHead };
    }
  }
  const approved =
    head !== undefined && (await headIsApproved(octokit, { owner, repo, pr, head: normalizeHead(head) }));
  const result = await publishPlanRecord(octokit, {
    owner,
    repo,
    pr,
    body: request.body,
    head,
    detailsUrl: env.runUrl,
    author,
    approved,
  });
  return { posted: true, pr, result, approved };
}
