import { appendFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../../github/client';
import { GitHubError } from '../../github/errors';
import { publishPlanRecord, type PublishPlanRecordResult } from '../../github/plan-record-comment';
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
}

const USAGE = `Usage: kitt comment --pr N --body-file FILE [--head SHA]

Posts the plan record (the Markdown from 'kitt render') on pull request N: one
comment per head commit, found again by a hidden marker; a record kitt render
wrote in parts is posted as one comment per part, each marked part k of n. A
re-run for the same head (or without --head) updates those comments, or
leaves them alone when nothing changed, posts parts the record gained and
deletes parts it lost; a new head posts a new record and minimizes every part
of the older ones as outdated. A part too large for a comment is posted as its
summary only. When $GITHUB_STEP_SUMMARY is set, a line linking each part is
appended to it (kitt render writes the record itself there).

Options:
  --pr N            pull request number
  --body-file FILE  the Markdown to post
  --head SHA        the pull request head commit this record is for

Environment (as GitHub Actions sets it):
  GITHUB_TOKEN       token with 'pull-requests: write'
  GITHUB_REPOSITORY  owner/repo
  GITHUB_API_URL     API root (default https://api.github.com)

Example:
  kitt comment --pr 42 --body-file out/plan-comment.md --head "$PR_HEAD_SHA"
`;

export function createCommentCommand(dependencies: CommentCommandDependencies = {}): Command {
  const createClient = dependencies.createClient ?? createGitHubClient;
  return {
    name: 'comment',
    usage: USAGE,
    options: { pr: { type: 'string' }, 'body-file': { type: 'string' }, head: { type: 'string' } },
    async run({ values }, ctx) {
      const pr = parsePullRequestNumber(values.pr);
      const bodyFile = values['body-file'];
      if (typeof bodyFile !== 'string' || bodyFile === '') throw new UsageError('--body-file is required', 'comment');
      const head = typeof values.head === 'string' ? values.head : undefined;

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

      try {
        const octokit = createClient({
          token: env.token,
          baseUrl: env.baseUrl,
          log: (message) => ctx.stderr(`kitt comment: ${message}\n`),
        });
        const result = await publishPlanRecord(octokit, {
          owner: env.owner,
          repo: env.repo,
          pr,
          body,
          head,
          detailsUrl: env.runUrl,
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

function parsePullRequestNumber(value: unknown): number {
  if (value === undefined) throw new UsageError('--pr is required', 'comment');
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
