import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../../github/client';
import { GitHubError } from '../../github/errors';
import { resolveCommentAuthor } from '../../github/identity';
import { normalizeHead } from '../../github/plan-record-body';
import { publishPlanRecord, type PublishPlanRecordResult } from '../../github/plan-record-comment';
import { currentHeadOf, pullRequestOfHead } from '../../github/pull-request-of-head';
import { recordBodies } from '../../github/record-parts';
import { UsageError, type Command, type CommandContext } from '../command';

export interface CommentCommandDependencies {
  /** Builds the GitHub client; tests pass one whose back-off takes milliseconds. @default createGitHubClient */
  readonly createClient?: (options: GitHubClientOptions) => GitHubClient;
}

interface GitHubEnvironment {
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly baseUrl: string;
  /** The run page (job summary and artifacts), when Actions says which run this is. */
  readonly runUrl?: string;
  /** `KITT_COMMENT_AUTHOR`: kitt's login, instead of asking GitHub. */
  readonly authorOverride?: string;
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
head: a late or re-run plan never replaces the current record.

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
  return {
    name: 'comment',
    usage: USAGE,
    options: {
      pr: { type: 'string' },
      'pr-of-head': { type: 'boolean' },
      'body-file': { type: 'string' },
      head: { type: 'string' },
    },
    async run({ values }, ctx) {
      const head = typeof values.head === 'string' ? values.head : undefined;
      const given = pullRequestOption(values.pr, values['pr-of-head'] === true, head);
      const bodyFile = values['body-file'];
      if (typeof bodyFile !== 'string' || bodyFile === '') throw new UsageError('--body-file is required', 'comment');

      const env = readGitHubEnvironment(ctx);
      if (typeof env === 'string') return fail(ctx, env);
      let body: string;
      try {
        body = readFileSync(resolve(ctx.cwd, bodyFile), 'utf8');
      } catch (error) {
        return fail(ctx, `cannot read --body-file '${bodyFile}': ${(error as Error).message}`);
      }
      if (body.trim() === '')
        return fail(ctx, `--body-file '${bodyFile}' is empty: expected the Markdown from 'kitt render'`);

      let pr = given;
      try {
        recordBodies(body); // broken parts are refused before anything is asked of GitHub
        const octokit = createClient({
          token: env.token,
          baseUrl: env.baseUrl,
          log: (message) => ctx.stderr(`kitt comment: ${message}\n`),
        });
        // Learned once, before anything is read or written: without it no comment can be told apart.
        const author = await resolveCommentAuthor(octokit, env.authorOverride);
        if (pr === 'of-head') {
          pr = await pullRequestOfHead(octokit, { owner: env.owner, repo: env.repo, head: head as string });
        } else if (head !== undefined) {
          // A late or re-run plan of an older head must not replace (and minimize) the current head's record.
          const current = await currentHeadOf(octokit, { owner: env.owner, repo: env.repo, pr });
          if (!current.startsWith(normalizeHead(head))) {
            ctx.stdout(
              `! ${env.owner}/${env.repo}#${pr} has moved on to head ${current.slice(0, 12)}: the record for ${head.slice(0, 12)} is not posted\n`,
            );
            return 0;
          }
        }
        const result = await publishPlanRecord(octokit, {
          owner: env.owner,
          repo: env.repo,
          pr,
          body,
          head,
          detailsUrl: env.runUrl,
          author,
        });
        ctx.stdout(describe(result, `${env.owner}/${env.repo}#${pr}`, head));
        appendToStepSummary(ctx, stepSummaryLine(result));
        return 0;
      } catch (error) {
        if (!(error instanceof GitHubError)) throw error;
        appendToStepSummary(
          ctx,
          `\n> [!CAUTION]\n> The plan record could not be posted on the pull request: ${error.message}\n`,
        );
        return fail(ctx, error.message);
      }
    },
  };
}

export const commentCommand: Command = createCommentCommand();

/** `--pr N`, or `--pr-of-head` (which needs `--head`); exactly one of them. */
function pullRequestOption(value: unknown, ofHead: boolean, head: string | undefined): number | 'of-head' {
  if (ofHead && value !== undefined) throw new UsageError('give --pr or --pr-of-head, not both', 'comment');
  if (!ofHead) return parsePullRequestNumber(value);
  if (head === undefined)
    throw new UsageError('--pr-of-head needs --head: the commit to find the pull request of', 'comment');
  return 'of-head';
}

function parsePullRequestNumber(value: unknown): number {
  if (value === undefined) throw new UsageError('--pr is required (or --pr-of-head)', 'comment');
  if (typeof value !== 'string' || !/^[1-9]\d*$/.test(value)) {
    throw new UsageError(`--pr must be a pull request number, got '${String(value)}'`, 'comment');
  }
  return Number(value);
}

/** The variables GitHub Actions sets; every missing or malformed one is named in a single message. */
function readGitHubEnvironment(ctx: CommandContext): GitHubEnvironment | string {
  const token = ctx.env['GITHUB_TOKEN'];
  const repository = ctx.env['GITHUB_REPOSITORY'];
  const problems: string[] = [];
  if (!token) problems.push('GITHUB_TOKEN is not set (in a workflow: env GITHUB_TOKEN: ${{ github.token }})');
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(repository ?? '');
  if (!repository) problems.push('GITHUB_REPOSITORY is not set (expected owner/repo)');
  else if (!match) problems.push(`GITHUB_REPOSITORY must be owner/repo, got '${repository}'`);
  if (problems.length > 0 || !token || !match) return problems.join('; ');

  const { GITHUB_SERVER_URL: server, GITHUB_RUN_ID: runId } = ctx.env;
  return {
    token,
    owner: match[1] as string,
    repo: match[2] as string,
    baseUrl: ctx.env['GITHUB_API_URL'] || 'https://api.github.com',
    runUrl: server && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined,
    authorOverride: ctx.env['KITT_COMMENT_AUTHOR'] || undefined,
  };
}

function appendToStepSummary(ctx: CommandContext, markdown: string): void {
  const file = ctx.env['GITHUB_STEP_SUMMARY'];
  if (!file) return;
  try {
    appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  } catch (error) {
    // The PR comment still matters more than the job summary: say so and go on.
    ctx.stderr(`kitt comment: could not write GITHUB_STEP_SUMMARY '${file}': ${(error as Error).message}\n`);
  }
}

/** Links to the posted parts, for the job summary. */
function stepSummaryLine(result: PublishPlanRecordResult): string {
  if (result.parts.length <= 1)
    return `\nThe plan record is posted on the pull request: [plan record](${result.url}).\n`;
  const links = result.parts.map((p, i) => `[part ${i + 1}](${p.url})`).join(', ');
  return `\nThe plan record is posted on the pull request in ${result.parts.length} comments: ${links}.\n`;
}

function describe(result: PublishPlanRecordResult, where: string, head: string | undefined): string {
  const forHead = head ? ` for head ${head.slice(0, 12)}` : '';
  const lines = [`✓ plan record ${result.action} on ${where}${forHead}: ${result.url}`];
  if (result.parts.length > 1) {
    const actions = result.parts.map((p, i) => `part ${i + 1} ${p.action} ${p.url}`).join(', ');
    lines.push(`✓ in ${result.parts.length} comments: ${actions}`);
  }
  if (result.deleted.length > 0) {
    lines.push(`✓ deleted ${result.deleted.length} part(s) the record no longer has: ${result.deleted.join(', ')}`);
  }
  if (result.summaryOnly) {
    lines.push('! the full record is too large for a comment: posted the summary only (details in the job summary)');
  }
  if (result.minimized.length > 0) {
    lines.push(`✓ minimized ${result.minimized.length} outdated plan record(s): ${result.minimized.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function fail(ctx: CommandContext, reason: string): number {
  ctx.stderr(`✗ kitt comment: ${reason}\n`);
  return 1;
}
