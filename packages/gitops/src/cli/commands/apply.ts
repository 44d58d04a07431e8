import * as path from 'node:path';
import { readApplyMatrix, readFlagApplyMatrix } from '../../apply/apply-matrix';
import { readGitHubEnvironment } from '../../github/environment';
import { runApply } from '../../apply/run-apply';
import { runApprove } from '../../apply/run-approve';
import type { StackSource } from '../../apply/stack-source';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../../github/client';
import { resolveCommentAuthor } from '../../github/identity';
import { defineCommand, type Command } from '../command';
import { approveOptions, commitOption, flagIdOption, numberOption, outcomeLines, progressLine } from './apply-options';
import { applyRetry, noTunnelHelp, stackAccessFor } from './stack-access-option';

const USAGE = `Usage: kitt apply [--commit SHA] [--pr N] [--flag DIR] [options]
       kitt apply --approve --pr N --record COMMENT_ID [options]
       kitt apply --matrix AFFECTED_JSON | --matrix-flag DIR

Applies a merged pull request exactly as reviewed. The guard touches nothing
when it refuses: kitt's own plan record (marker and author) for the final
head of the merged pull request of the commit (or --pr), an approval of that
head by someone other than its author, and the plan run the record names (a
successful pull_request run of .github/workflows/plan.yml on that head) whose
plan-summaries-* artifacts hold the record's fingerprints. Then per FLAG,
the record's destroys first (addons → cells → flag: a removed cell goes
before the flag stack takes its subnets), then the rest in apply order
(flag → cells → addons): each stack is planned again on main under the
state lock, and its saved plan applied only when its fingerprint is the
approved one; a plan that differs is posted on the pull request for
approval and stops its FLAG; a failed apply
stops everything after it. The apply record (a comment, and a JSON file per
stack) says what was applied, with which fingerprint, and how to retry.
With --flag (and no --pr), every earlier merge of the FLAG whose apply no run
finished (a cancelled or failed run) is applied first, in order, each through
the guard, back to the last finished one or flags/org.yaml applySince.
--approve applies a follow-up record (a plan made at apply time) when the
run's actor (GITHUB_ACTOR, GITHUB_TRIGGERING_ACTOR) is listed in org.yaml
environments.<env>.approvers for its FLAG and is not the pull request's author,
in a workflow_dispatch run; fingerprints must still match on the new plan.
An addons stack whose cell just applied waits (bounded) for the cell's API
(/readyz); before an addons stack's destroy, its cluster's LoadBalancer
Services and provisioned volumes are deleted and waited for.

Options:
  --commit SHA       the commit on main to apply (default: $GITHUB_SHA)
  --pr N             the merged pull request, alone (default: found from the commit)
  --approve          approve and apply the follow-up record --record of --pr
  --record ID        the follow-up record's comment id (with --flag: it must be
                     of that FLAG, whose Environment and role the job has)
  --flag DIR         only this FLAG (flags/<customer>/<environment>/<region>)
  --out DIR          saved plans: they hold secrets (default: out/apply)
  --record-out DIR   the apply record's JSON files (default: out/apply-record)
  --synth-out DIR    where FLAGs are synthesized (default: cdktf.out)
  --matrix FILE      print apply.yml's matrix from kitt affected --json output
  --matrix-flag DIR  print apply.yml's matrix of one FLAG (a retry or an approval)
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
      'matrix-flag': { type: 'string' },
      approve: { type: 'boolean' },
      record: { type: 'string' },
      'no-tunnel': { type: 'boolean', default: false },
    },
    async run({ values }, ctx) {
      if (values.matrix !== undefined) {
        ctx.stdout(`${JSON.stringify(readApplyMatrix(ctx.cwd, values.matrix))}\n`);
        return 0;
      }
      if (values['matrix-flag'] !== undefined) {
        flagIdOption(values['matrix-flag'], ctx.cwd);
        ctx.stdout(`${JSON.stringify(readFlagApplyMatrix(ctx.cwd, values['matrix-flag']))}\n`);
        return 0;
      }
      const flagId = flagIdOption(values.flag, ctx.cwd);
      const pr = numberOption(values.pr, 'pr', 'a pull request number');
      const approval = approveOptions(values, pr);
      const github = readGitHubEnvironment(ctx.env);
      const commit = commitOption(values.commit, github.sha);
      const octokit = createClient({
        token: github.token,
        baseUrl: github.baseUrl,
        log: (message) => ctx.stderr(`kitt apply: ${message}\n`),
      });
      const context = {
        repoDir: ctx.cwd,
        env: ctx.env,
        octokit,
        owner: github.owner,
        repo: github.repo,
        author: await resolveCommentAuthor(octokit, github.authorOverride),
        outDir: path.resolve(ctx.cwd, values.out),
        recordDir: path.resolve(ctx.cwd, values['record-out']),
        synthOut: path.resolve(ctx.cwd, values['synth-out']),
        ...(dependencies.stackSource ? { stackSource: dependencies.stackSource(ctx.cwd) } : {}),
        ...(github.runUrl ? { runUrl: github.runUrl } : {}),
        onStack: progressLine(ctx),
        ...(ctx.env.GITHUB_STEP_SUMMARY ? { stepSummaryFile: ctx.env.GITHUB_STEP_SUMMARY } : {}),
        access: stackAccessFor(ctx, values['no-tunnel'], applyRetry(commit, values.flag)),
      };
      const outcome = approval
        ? await runApprove({ ...context, commit, ...approval, ...(flagId !== undefined ? { flagId } : {}) })
        : await runApply({
            ...context,
            commit,
            ...(pr !== undefined ? { pr } : {}),
            ...(flagId !== undefined ? { flagId } : {}),
          });
      outcomeLines(ctx, outcome);
      return 0;
    },
  });
}

export const applyCommand: Command = createApplyCommand();
