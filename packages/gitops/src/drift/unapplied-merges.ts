/**
 * The pull requests merged into main whose apply left no trace: for each commit on main's first-parent line since
 * a date (a merge commit, or a squashed one) that changes files of a FLAG, its merged pull request (GitHub's pull
 * requests of the commit, merged with that commit) must carry kitt's apply record for that commit and FLAG (or for
 * every FLAG), found by marker and author. A commit no pull request was merged as (a direct push) is not reported.
 */
import { flagDirOfPath, flagIdOfDir } from '@kitt/flag-config';
import { applyFinished, NOT_APPLIED_RESULTS } from '../apply/apply-record';
import type { Git } from '../checkout/git';
import type { GitHubClient } from '../github/client';
import { toGitHubError } from '../github/errors';
import { isWrittenBy, type CommentAuthor } from '../github/identity';
import type { UnappliedMerge } from './drift-issue-body';
import type { Repository } from './drift-issues';

export interface UnappliedMergesInput extends Repository {
  /** main's commit the walk starts from. */
  readonly head: string;
  /** Commits older than this are not looked at. */
  readonly since: Date;
  readonly author: CommentAuthor;
}

interface MainCommit {
  readonly sha: string;
  readonly committedAt: string;
  readonly flagIds: readonly string[];
}

/** Commits on main's first-parent line since the date that change a FLAG's files, oldest first. */
async function flagCommits(git: Git, head: string, since: Date): Promise<MainCommit[]> {
  const log = await git.exec([
    'log',
    '--first-parent',
    '--format=%H %P%x09%cI',
    `--since=${since.toISOString()}`,
    head,
  ]);
  const commits: MainCommit[] = [];
  for (const line of log.split('\n').filter(Boolean).reverse()) {
    const [shas = '', committedAt = ''] = line.split('\t');
    const [sha, parent] = shas.split(' ').filter(Boolean);
    if (sha === undefined || parent === undefined) continue; // the root commit: nothing merged into it
    const files = await git.changedFiles(parent, sha);
    const dirs = new Set(files.flatMap((f) => flagDirOfPath(f) ?? []));
    if (dirs.size > 0) commits.push({ sha, committedAt, flagIds: [...dirs].map(flagIdOfDir).sort() });
  }
  return commits;
}

/** The merged pull request `sha` is the merge (or squash) commit of, if any. */
async function mergedPullRequest(octokit: GitHubClient, where: Repository, sha: string): Promise<number | undefined> {
  const pulls = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
    ...where,
    commit_sha: sha,
    per_page: 100,
  });
  return pulls.find((p) => p.merged_at !== null && p.merge_commit_sha === sha)?.number;
}

/** Unapplied merges by FLAG id, oldest first. */
export async function unappliedMerges(
  octokit: GitHubClient,
  git: Git,
  input: UnappliedMergesInput,
): Promise<Map<string, UnappliedMerge[]>> {
  const where = { owner: input.owner, repo: input.repo };
  const found = new Map<string, UnappliedMerge[]>();
  for (const commit of await flagCommits(git, input.head, input.since)) {
    const operation = `looking for the apply record of commit ${commit.sha.slice(0, 12)} in ${where.owner}/${where.repo}`;
    try {
      const pr = await mergedPullRequest(octokit, where, commit.sha);
      if (pr === undefined) continue;
      const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        ...where,
        issue_number: pr,
        per_page: 100,
      });
      const records = comments.filter((c) => isWrittenBy(input.author, c.user)).map((c) => c.body);
      for (const flagId of commit.flagIds) {
        if (applyFinished(records, commit.sha, flagId, NOT_APPLIED_RESULTS)) continue;
        const merge = { pr, commit: commit.sha, committedAt: commit.committedAt };
        found.set(flagId, [...(found.get(flagId) ?? []), merge]);
      }
    } catch (error) {
      throw toGitHubError(error, operation);
    }
  }
  return found;
}
