import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KittError } from '@kitt/flag-config';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../../github/client';
import { readGitHubEnvironment } from '../../github/environment';
import { GitHubError } from '../../github/errors';
import { postPlanRecord } from '../../github/post-plan-record';
import { recordBodies } from '../../github/record-parts';
import { defineCommand, UsageError, type Command } from '../command';
import { appendToStepSummary, approvedHeadLine, describe, stepSummaryLine } from './comment-output';

export interface CommentCommandDependencies {
  /** Builds the GitHub client; tests pass one whose back-off takes milliseconds. @default createGitHubClient */
  readonly createClient?: (options: GitHubClientOptions) => GitHubClient;
}

const USAGE = `Usage: kitt comment (--pr N | --pr-of-head) --body-file FILE [--head SHA]

Posts the plan record (the Markdown from 'kitt render') on pull request N: one
comment per head commit, found again by a hidden marker and by its author; a
record kitt render wrote in parts is posted as one comment per part, each
marked part k of n. A re-run for the same head (or without --head) updates
those comments, or leaves them alone when nothing changed, posts parts the
record gained and deletes parts it lost; a new head posts a new record and
minimizes every part of the older ones as outdated. A part too large for a
comment is posted as its summary only. When $GITHUB_STEP_SUMMARY is set, a
line linking each part is appended to it (kitt render writes the record
itself there).

Only comments written by kitt's own identity are records: it asks GitHub
once per run who the token is (GraphQL viewer), or takes KITT_COMMENT_AUTHOR.
A comment anyone else wrote is never edited, deleted or minimized, marker or not.
With --head, nothing is posted when the pull request has moved on to a newer
head: a late or re-run plan never replaces the current record. Once someone
other than the author approved --head, its record is never edited again: a
re-run with the same plan (fingerprints and statuses) leaves it alone, and a
changed plan is posted as a new record, which needs a new approval.

Options:
  --pr N            pull request number
  --pr-of-head      find the pull request from --head instead: the one open
                    pull request of this repository with that head commit
  --body-file FILE  the Markdown to post
  --head SHA        the pull request head commit this record is for

Environment (as GitHub Actions sets it):
  GITHUB_TOKEN         token with 'pull-requests: write'
  GITHUB_REPOSITORY    owner/repo
  GITHUB_API_URL       API root (default https://api.github.com)
  KITT_COMMENT_AUTHOR  the token's login, e.g. 'kitt-app[bot]' for a GitHub
                       App token (default: asked of GitHub)

Example:
  kitt comment --pr 42 --body-file out/plan-comment.md --head "$PR_HEAD_SHA"
`;

export function createCommentCommand(dependencies: CommentCommandDependencies = {}): Command {
  const createClient = dependencies.createClient ?? createGitHubClient;
  return defineCommand({
    name: 'comment',
    usage: USAGE,
    options: {
      pr: { type: 'string' },
      'pr-of-head': { type: 'boolean', default: false },
      'body-file': { type: 'string' },
      head: { type: 'string' },
    },
    async run({ values }, ctx) {
      const { head } = values;
      const pr = pullRequestOption(values.pr, values['pr-of-head'], head);
      const bodyFile = values['body-file'];
      if (bodyFile === undefined || bodyFile === '') throw new UsageError('--body-file is required', 'comment');
      const env = readGitHubEnvironment(ctx.env);
      const body = readBody(ctx.cwd, bodyFile);
      recordBodies(body); // broken parts are refused before anything is asked of GitHub
      const octokit = createClient({
        token: env.token,
        baseUrl: env.baseUrl,
        log: (message) => ctx.stderr(`kitt comment: ${message}\n`),
      });
      try {
        const outcome = await postPlanRecord(octokit, env, { pr, body, ...(head !== undefined ? { head } : {}) });
        const where = `${env.owner}/${env.repo}#${outcome.pr}`;
        if (!outcome.posted) {
          const [now, then] = [outcome.currentHead.slice(0, 12), (head ?? '').slice(0, 12)];
          ctx.stdout(`! ${where} has moved on to head ${now}: the record for ${then} is not posted\n`);
          return 0;
        }
        ctx.stdout(describe(outcome.result, where, head));
        if (outcome.approved) ctx.stdout(approvedHeadLine(outcome.result));
        appendToStepSummary(ctx, stepSummaryLine(outcome.result));
        return 0;
      } catch (error) {
        if (error instanceof GitHubError) {
          const caution = `\n> [!CAUTION]\n> The plan record could not be posted on the pull request: ${error.message}\n`;
          appendToStepSummary(ctx, caution);
        }
        throw error;
      }
    },
  });
}

export const commentCommand: Command = createCommentCommand();

function readBody(cwd: string, bodyFile: string): string {
  let body: string;
  try {
    body = readFileSync(resolve(cwd, bodyFile), 'utf8');
  } catch (error) {
    const message = `cannot read --body-file '${bodyFile}': ${(error as Error).message}`;
    throw new KittError({ code: 'BODY_FILE_UNREADABLE', kind: 'input', message });
  }
  if (body.trim() !== '') return body;
  const message = `--body-file '${bodyFile}' is empty: expected the Markdown from 'kitt render'`;
  throw new KittError({ code: 'BODY_FILE_EMPTY', kind: 'input', message });
}

/** `--pr N`, or `--pr-of-head` (which needs `--head`); exactly one of them. */
function pullRequestOption(value: string | undefined, ofHead: boolean, head: string | undefined): number | 'of-head' {
  if (ofHead && value !== undefined) throw new UsageError('give --pr or --pr-of-head, not both', 'comment');
  if (!ofHead) return parsePullRequestNumber(value);
  if (head === undefined)
    throw new UsageError('--pr-of-head needs --head: the commit to find the pull request of', 'comment');
  return 'of-head';
}

function parsePullRequestNumber(value: string | undefined): number {
  if (value === undefined) throw new UsageError('--pr is required (or --pr-of-head)', 'comment');
  if (typeof value !== 'string' || !/^[1-9]\d*$/.test(value)) {
    throw new UsageError(`--pr must be a pull request number, got '${String(value)}'`, 'comment');
  }
  return Number(value);
}
