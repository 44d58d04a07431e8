import * as path from 'node:path';
import { flagIdOfDir } from '@kitt/flag-config';
import { readApplyMatrix } from '../../apply/apply-matrix';
import type { StackApplyResult } from '../../apply/apply-stacks';
import { readGitHubEnvironment } from '../../github/environment';
import { runApply } from '../../apply/run-apply';
import type { StackSource } from '../../apply/stack-source';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../../github/client';
import { resolveCommentAuthor } from '../../github/identity';
import { defineCommand, UsageError, type Command, type CommandContext } from '../command';
import { commitOption, prOption } from './apply-options';
import { applyRetry, noTunnelHelp, stackAccessFor } from './stack-access-option';

const USAGE = `Usage: kitt apply [--commit SHA] [--pr N] [--flag DIR] [options]
       kitt apply --matrix AFFECTED_JSON

Applies a merged pull request exactly as reviewed. The guard touches nothing
when it refuses: kitt's own plan record (marker and author) for the final
head of the merged pull request of the commit (or --pr), an approval of that
head by someone other than its author, and the plan run the record names (a
successful pull_request run of .github/workflows/plan.yml on that head) whose
plan-summaries-* artifacts hold the record's fingerprints. Then per FLAG in
apply order (flag → cells → addons, then the record's destroys in reverse),
each stack is planned again on main under the state lock, and its saved plan
applied only when its fingerprint is the approved one; a plan that differs is
posted on the pull request for approval and stops its FLAG; a failed apply
stops everything after it. The apply record (a comment, and a JSON file per
stack) says what was applied, with which fingerprint, and how to retry.
An addons stack whose cell just applied waits (bounded) for the cell's API
(/readyz); before an addons stack's destroy, its cluster's LoadBalancer
Services and provisioned volumes are deleted and waited for.

Options:
  --commit SHA       the commit on main to apply (default: $GITHUB_SHA)
  --pr N             the merged pull request (default: found from the commit)
  --flag DIR         only this FLAG (flags/<customer>/<environment>/<region>)
  --out DIR          saved plans: they hold secrets (default: out/apply)
  --record-out DIR   the apply record's JSON files (default: out/apply-record)
  --synth-out DIR    where FLAGs are synthesized (default: cdktf.out)
  --matrix FILE      print apply.yml's matrix from kitt affected --json output
${noTunnelHelp(21)}

Environment: GITHUB_TOKEN (pull-requests: write, actions: read), GITHUB_SHA,
GITHUB_REPOSITORY, GITHUB_API_URL, KITT_COMMENT_AUTHOR, KITT_TERRAFORM,
GITHUB_STEP_SUMMARY (the apply record, or why nothing was applied, goes there).

Example: kitt apply --commit "$GITHUB_SHA" --flag flags/payments/prod/us-east-1
`;

export interface ApplyCommandDependencies {
  /** @default createGitHubClient */
  readonly createClient?: (options: GitHubClientOptions) => GitHubClient;
  /** @default kitt's synthesis */
  readonly stackSource?: (repoDir: string) => StackSource;
}
const MARKS: Readonly<Record<StackApplyResult['outcome'], string>> = {
  applied: '✓',
  'no-changes': '=',
  'needs-approval': '!',
  failed: '✗',
  'not-applied': '-',
};

function progressLine(ctx: CommandContext) {
  return (r: StackApplyResult) =>
    ctx.stdout(
      `${MARKS[r.outcome]} ${r.stack}${r.destroy ? ' (destroy)' : ''}: ${r.outcome.replace('-', ' ')}${r.reason ? ` (${r.reason})` : ''}\n`,
    );
}

function flagIdOption(dir: string | undefined, cwd: string): string | undefined {
  if (dir === undefined) return undefined;
  const relative = path.relative(cwd, path.resolve(cwd, dir)).split(path.sep).join('/');
  try {
    return flagIdOfDir(relative);
  } catch {
    throw new UsageError(
      `--flag must be a FLAG directory flags/<customer>/<environment>/<region>, got '${dir}'`,
      'apply',
    );
  }
}

export function createApplyCommand(dependencies: ApplyCommandDependencies = {}): Command {
  const createClient = dependencies.createClient ?? createGitHubClient;
  return defineCommand({
    name: 'apply',
    usage: USAGE,
    options: {
      commit: { type: 'string' },
      pr: { type: 'string' },
      flag: { type: 'string' },
      out: { type: 'string', default: 'out/apply' },
      'record-out': { type: 'string', default: 'out/apply-record' },
      'synth-out': { type: 'string', default: 'cdktf.out' },
      matrix: { type: 'string' },
      'no-tunnel': { type: 'boolean', default: false },
    },
    async run({ values }, ctx) {
      if (values.matrix !== undefined) {
        ctx.stdout(`${JSON.stringify(readApplyMatrix(ctx.cwd, values.matrix))}\n`);
        return 0;
      }
      const flagId = flagIdOption(values.flag, ctx.cwd);
      const pr = prOption(values.pr);
      const github = readGitHubEnvironment(ctx.env);
      const commit = commitOption(values.commit, github.sha);
      const octokit = createClient({
        token: github.token,
        baseUrl: github.baseUrl,
        log: (message) => ctx.stderr(`kitt apply: ${message}\n`),
      });
      const author = await resolveCommentAuthor(octokit, github.authorOverride);
      const outcome = await runApply({
        repoDir: ctx.cwd,
        env: ctx.env,
        octokit,
        owner: github.owner,
        repo: github.repo,
        commit,
        ...(pr !== undefined ? { pr } : {}),
        ...(flagId !== undefined ? { flagId } : {}),
        author,
        outDir: path.resolve(ctx.cwd, values.out),
        recordDir: path.resolve(ctx.cwd, values['record-out']),
        synthOut: path.resolve(ctx.cwd, values['synth-out']),
        ...(dependencies.stackSource ? { stackSource: dependencies.stackSource(ctx.cwd) } : {}),
        ...(github.runUrl ? { runUrl: github.runUrl } : {}),
        onStack: progressLine(ctx),
        ...(ctx.env.GITHUB_STEP_SUMMARY ? { stepSummaryFile: ctx.env.GITHUB_STEP_SUMMARY } : {}),
        access: stackAccessFor(ctx, values['no-tunnel'], applyRetry(commit, values.flag)),
      });
      const waiting = outcome.results.filter((r) => r.outcome === 'needs-approval').length;
      if (waiting > 0) ctx.stdout(`! ${waiting} stack(s) need approval: their plans are posted on #${outcome.pr}\n`);
      ctx.stdout(`✓ apply record posted on #${outcome.pr}: ${outcome.recordUrl}\n`);
      return 0;
    },
  });
}

export const applyCommand: Command = createApplyCommand();
