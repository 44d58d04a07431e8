/**
 * Never silently dropped: GitHub cancels a pending run when a newer one joins the same concurrency group, so one
 * FLAG's apply run catches up every merge before it that no run finished. It walks main's first-parent history
 * back from the run's commit, over the merge commits that touch the FLAG's directory, until one whose pull
 * request carries kitt's finished apply record for that FLAG (or `flags/org.yaml` `applySince`, or a commit that
 * no merged pull request made: history before kitt). The merges after it are applied in order, oldest first.
 *
 *   applySince ─ A (applied) ─ B (run cancelled) ─ C (failed) ─ D = this run's commit
 *                              └──────────── pending: B, C, D ─────────────┘
 */
import { flagDirOfId } from '@kitt/flag-config';
import { Git } from '../checkout/git';
import type { GitHubClient } from '../github/client';
import { toGitHubError } from '../github/errors';
import { isWrittenBy, type CommentAuthor } from '../github/identity';
import { applyFinished, NOT_APPLIED_RESULTS, UNFINISHED_RESULTS, type ApplyRecordResult } from './apply-record';
import { ApplyError, ApplyErrorCode } from './errors';
import { findMergedPullRequest } from './github-evidence';

/** Most merges one run catches up; more means history before kitt, which `applySince` should cut off. */
export const MAX_PENDING_MERGES = 20;

export interface MergeWalkRequest {
  readonly repoDir: string;
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  readonly author: CommentAuthor;
  readonly flagId: string;
  /** The run's commit (`GITHUB_SHA`): always in the walk, even when it touches the FLAG only through code. */
  readonly commit: string;
  /** `flags/org.yaml` `applySince`: nothing at or before it is caught up. @default the FLAG's whole history */
  readonly since?: string;
  /** @default MAX_PENDING_MERGES */
  readonly maxPending?: number;
}

export interface PendingMerge {
  readonly commit: string;
  readonly pr: number;
}

export interface MergeWalk {
  /** Oldest first; the run's commit last, unless its own apply already finished (a re-run). */
  readonly pending: readonly PendingMerge[];
  /** Why the walk stopped where it did, for the job summary. */
  readonly stoppedAt: string;
}

/** First-parent commits from `since` (exclusive) to `commit` that change the FLAG's directory, newest first. */
async function mergesTouching(request: MergeWalkRequest): Promise<string[]> {
  const git = new Git(request.repoDir);
  const range = request.since ? `${request.since}..${request.commit}` : request.commit;
  const out = await git.exec(['log', '--first-parent', '--format=%H', range, '--', flagDirOfId(request.flagId)]);
  const commits = out.split('\n').filter((line) => /^[0-9a-f]{40}$/.test(line));
  return commits[0] === request.commit ? commits : [request.commit, ...commits];
}

/** The newest of kitt's apply records for the merge and FLAG on the pull request says it finished. */
async function finished(
  request: MergeWalkRequest,
  merge: PendingMerge,
  unfinished: ReadonlySet<ApplyRecordResult>,
): Promise<boolean> {
  const { owner, repo, octokit } = request;
  let comments;
  try {
    comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: merge.pr,
      per_page: 100,
    });
  } catch (error) {
    throw toGitHubError(error, `listing comments on ${owner}/${repo}#${merge.pr}`);
  }
  const mine = comments.filter((c) => isWrittenBy(request.author, c.user)).map((c) => c.body);
  return applyFinished(mine, merge.commit, request.flagId, unfinished);
}

/** The merges this run applies (see the module comment). */
export async function pendingMerges(request: MergeWalkRequest): Promise<MergeWalk> {
  const pending: PendingMerge[] = [];
  let stoppedAt = request.since
    ? `applySince ${request.since.slice(0, 12)} (flags/org.yaml)`
    : `the first commit of ${request.flagId}`;
  for (const commit of await mergesTouching(request)) {
    let pr: number;
    try {
      pr = (await findMergedPullRequest(request.octokit, { ...request, commit })).number;
    } catch (error) {
      // The run's own commit must have one (the guard says so); an older commit without one predates kitt.
      if (commit === request.commit || !(error instanceof ApplyError)) throw error;
      stoppedAt = `${commit.slice(0, 12)}, which no merged pull request made`;
      break;
    }
    const merge = { commit, pr };
    // A re-run of a refused merge goes through the guard again (an approval may have come since); an older refused
    // merge is left to its record, or every later run would refuse it once more.
    const unfinished = commit === request.commit ? NOT_APPLIED_RESULTS : UNFINISHED_RESULTS;
    if (await finished(request, merge, unfinished)) {
      stoppedAt = `${commit.slice(0, 12)} (#${pr}), whose apply record says it finished`;
      break;
    }
    pending.push(merge);
    const max = request.maxPending ?? MAX_PENDING_MERGES;
    if (pending.length > max) {
      throw new ApplyError(
        ApplyErrorCode.BACKLOG_TOO_LONG,
        `more than ${max} merges of ${request.flagId} before ${request.commit.slice(0, 12)} have no finished apply record: if they predate kitt's applies, set applySince in flags/org.yaml to the last commit applied by other means; nothing was applied`,
      );
    }
  }
  return { pending: pending.reverse(), stoppedAt };
}
