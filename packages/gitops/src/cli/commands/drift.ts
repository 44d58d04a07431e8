import * as path from 'node:path';
import { Git } from '../../checkout/git';
import { driftMatrix } from '../../drift/drift-matrix';
import { runDrift } from '../../drift/run-drift';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../../github/client';
import { readGitHubEnvironment } from '../../github/environment';
import { resolveCommentAuthor } from '../../github/identity';
import { defineCommand, UsageError, type Command } from '../command';
import { appendToStepSummary } from './comment-output';

const USAGE = `Usage: kitt drift --matrix
       kitt drift --plans DIR [--since-days N] [--commit SHA]

The drift check of main (.github/workflows/drift.yml). With --matrix, prints
the plan jobs: every FLAG on main with its account's plan role from
flags/org.yaml ({"include": [...]}, as kitt affected's matrix); each job runs
kitt plan on its FLAGs (no state lock, like pull request plans).

With --plans, reads those plans' summary.json files from DIR and, per FLAG,
opens or updates ONE issue (titled "Drift: <flag-id>", found again by a hidden
marker and by its author: kitt's own identity; an issue anyone else wrote is
never touched) listing the stacks whose plan is not "no changes", rendered as
the plan record renders them, and the pull requests merged in the last N days
that changed the FLAG but carry no apply record of kitt for their commit. When
there is neither, the issue is closed with a comment. A FLAG on main without a
plan in DIR is not judged: its issue stays as it is, and the exit code is 1.

Options:
  --matrix          print the plan jobs' matrix
  --plans DIR       the plan summaries of every FLAG (downloaded artifacts)
  --since-days N    how far back merges are checked for an apply record (default: 30)
  --commit SHA      main's commit that was planned (default: $GITHUB_SHA, else HEAD)

Environment: GITHUB_TOKEN (issues: write, pull-requests: read), GITHUB_REPOSITORY,
GITHUB_API_URL, GITHUB_SHA, KITT_COMMENT_AUTHOR, GITHUB_STEP_SUMMARY.

Example: kitt drift --plans "$RUNNER_TEMP/plans" --since-days 30
`;

export interface DriftCommandDependencies {
  /** @default createGitHubClient */
  readonly createClient?: (options: GitHubClientOptions) => GitHubClient;
}

function sinceOption(value: string): Date {
  if (!/^[1-9]\d{0,3}$/.test(value))
    throw new UsageError(`--since-days must be a number of days, got '${value}'`, 'drift');
  return new Date(Date.now() - Number(value) * 24 * 60 * 60 * 1000);
}

export function createDriftCommand(dependencies: DriftCommandDependencies = {}): Command {
  const createClient = dependencies.createClient ?? createGitHubClient;
  return defineCommand({
    name: 'drift',
    usage: USAGE,
    options: {
      matrix: { type: 'boolean', default: false },
      plans: { type: 'string' },
      'since-days': { type: 'string', default: '30' },
      commit: { type: 'string' },
    },
    async run({ values }, ctx) {
      if (values.matrix) {
        ctx.stdout(`${JSON.stringify(driftMatrix(ctx.cwd))}\n`);
        return 0;
      }
      if (values.plans === undefined) throw new UsageError('give --matrix, or --plans DIR', 'drift');
      const since = sinceOption(values['since-days']);
      const github = readGitHubEnvironment(ctx.env);
      const git = new Git(ctx.cwd);
      const commit = await git.resolveCommit(values.commit ?? github.sha ?? 'HEAD');
      const octokit = createClient({
        token: github.token,
        baseUrl: github.baseUrl,
        log: (message) => ctx.stderr(`kitt drift: ${message}\n`),
      });
      const author = await resolveCommentAuthor(octokit, github.authorOverride);
      const runId = ctx.env['GITHUB_RUN_ID'];
      const outcome = await runDrift({
        repoDir: ctx.cwd,
        git,
        octokit,
        owner: github.owner,
        repo: github.repo,
        author,
        plansDir: path.resolve(ctx.cwd, values.plans),
        since,
        run: { commit, ...(runId ? { runId } : {}), ...(github.runUrl ? { runUrl: github.runUrl } : {}) },
      });
      const lines = outcome.issues.map(
        (i) =>
          `- \`${i.flagId}\`: ${i.action === 'none' ? 'no drift' : `issue ${i.action}`}${i.url ? ` (${i.url})` : ''}`,
      );
      const missing = outcome.notPlanned.map((id) => `- \`${id}\`: no plan, not judged (its plan job failed?)`);
      ctx.stdout([...lines, ...missing].map((l) => `${l.slice(2)}\n`).join(''));
      appendToStepSummary(ctx, ['### Drift', '', ...lines, ...missing].join('\n'));
      return outcome.notPlanned.length > 0 ? 1 : 0;
    },
  });
}

export const driftCommand: Command = createDriftCommand();
