import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { KittError } from '@kitt/flag-config';
import type { GitHubClient } from '../github/client';
import { toGitHubError } from '../github/errors';
import type { CommentAuthor } from '../github/identity';
import { recordBodies } from '../github/record-parts';
import { fenceFor } from '../plan-markdown/markdown';
import { buildPlanRecord } from '../plan/record';
import { renderPlanComment } from '../plan-markdown/render';
import type { StackToPlan } from '../stacks/stack-order';
import { locateTerraform, TERRAFORM_BINARY_ENV } from '../terraform/binary';
import type { StackAccess } from '../terraform/stack-access';
import { applyStacks, type StackApplyResult, type StackToApply } from './apply-stacks';
import { followUpBody, renderApplyRecord, stackApplyRecord, type ApplyRunInfo } from './apply-record';
import { ApplyError, ApplyErrorCode, refusedError } from './errors';
import { gatherEvidence } from './github-evidence';
import { guardApply, type ApprovedStack } from './guard';
import { synthesizedStacks, type StackSource } from './stack-source';
import { terraformVersion } from './terraform-apply';

type Env = Readonly<Record<string, string | undefined>>;

export interface ApplyRequest {
  /** Repository root, checked out at `commit`. */
  readonly repoDir: string;
  readonly env: Env;
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  /** The commit on main to apply (full SHA). */
  readonly commit: string;
  /** The merged pull request. @default found from the commit */
  readonly pr?: number;
  /** Only this FLAG. @default every FLAG of the record */
  readonly flagId?: string;
  /** kitt's identity: only its comments are records. */
  readonly author: CommentAuthor;
  /** Saved plans (secrets: never uploaded). */
  readonly outDir: string;
  /** The apply record's JSON files, one per stack (safe to upload). */
  readonly recordDir: string;
  /** Where FLAGs are synthesized. */
  readonly synthOut: string;
  /** @default kitt's synthesis */
  readonly stackSource?: StackSource;
  /** Link to this run, for the records. @default none */
  readonly runUrl?: string;
  readonly onStack?: (result: StackApplyResult) => void;
  /** `GITHUB_STEP_SUMMARY`: the apply record, or the guard's refusal, is appended to it. @default none */
  readonly stepSummaryFile?: string;
  /**
   * Reaches addons stacks' Kubernetes APIs around their plan and apply (a tunnel; after their cell applied, once
   * its API is ready; before a destroy, the cluster's load balancers and volumes removed). @default none
   */
  readonly access?: StackAccess;
}

export interface ApplyOutcome {
  readonly pr: number;
  readonly results: readonly StackApplyResult[];
  readonly recordUrl: string;
  /** Comment ids of the plans posted for approval. */
  readonly followUps: readonly number[];
}

const APPLIED_STATUSES = new Set(['changes', 'waits', 'no-changes']);

/**
 * `kitt apply`: the guard first (nothing is synthesized, planned or applied when it refuses), then each approved
 * stack planned again on main and applied when its fingerprint is the approved one (`apply-stacks.ts`), then the
 * plans that need approval and the apply record posted on the pull request. A stack that failed makes it throw
 * `APPLY_FAILED` after the record is posted.
 */
export async function runApply(request: ApplyRequest): Promise<ApplyOutcome> {
  const terraform = locateTerraform(request.env, request.repoDir);
  if (terraform.path === undefined) {
    throw new KittError({
      code: 'TERRAFORM_NOT_FOUND',
      kind: 'external',
      message: `'${terraform.command}' is not installed or not on PATH (or name it with ${TERRAFORM_BINARY_ENV}): nothing was applied`,
    });
  }
  const evidence = await gatherEvidence(request.octokit, request);
  const verdict = guardApply(evidence, request.flagId !== undefined ? { flagId: request.flagId } : {});
  if (!verdict.ok) {
    const error = refusedError(verdict.refusals);
    const fence = fenceFor(error.message);
    appendStepSummary(request, `### Not applied\n\n${fence}\n${error.message}\n${fence}\n`);
    throw error;
  }
  const pr = evidence.pullRequest.number;

  const stacks = await stacksToApply(request, verdict.stacks);
  const run: ApplyRunInfo = {
    commit: request.commit,
    pr,
    planRunId: verdict.runId,
    ...(request.env.GITHUB_RUN_ID ? { applyRunId: request.env.GITHUB_RUN_ID } : {}),
    ...(request.runUrl ? { runUrl: request.runUrl } : {}),
    ...(request.flagId ? { flagId: request.flagId } : {}),
    terraformVersion: await terraformVersion(terraform.path, request.env, request.repoDir),
  };
  const results = await applyStacks({
    stacks,
    outDir: request.outDir,
    binary: terraform.path,
    env: request.env,
    provenance: { headSha: request.commit, ...(run.applyRunId ? { runId: run.applyRunId } : {}) },
    ...(request.onStack ? { onStack: request.onStack } : {}),
    ...(request.access ? { access: request.access } : {}),
  });

  writeRecordFiles(request.recordDir, results, run);
  const followUps = await postFollowUps(request, pr, results, run);
  const record = renderApplyRecord(results, run);
  appendStepSummary(request, record.slice(record.indexOf('\n') + 1));
  const recordUrl = await postComment(request, pr, record, 'posting the apply record');
  const failed = results.filter((r) => r.outcome === 'failed');
  if (failed.length > 0) {
    throw new ApplyError(
      ApplyErrorCode.APPLY_FAILED,
      `${failed.map((r) => r.stack).join(', ')} failed; nothing after it was applied (the apply record says which stacks were: ${recordUrl.url}):\n${failed.map((r) => r.error).join('\n')}`,
    );
  }
  return { pr, results, recordUrl: recordUrl.url, followUps };
}

/** The approved stacks with their synthesized directories; one missing on main stops the apply before it starts. */
async function stacksToApply(request: ApplyRequest, approved: readonly ApprovedStack[]): Promise<StackToApply[]> {
  const source = request.stackSource ?? synthesizedStacks(request.repoDir, request.synthOut);
  const present = approved.filter((s) => !s.removed && APPLIED_STATUSES.has(s.status));
  const removed = approved.filter((s) => s.removed);
  const current = await source.current([...new Set(present.map((s) => s.flagId))].sort());
  const before = await source.removed(`${request.commit}^1`, removed);
  const pick = (list: readonly StackToPlan[], s: ApprovedStack, destroy: boolean): StackToApply => {
    const stack = list.find((p) => p.stack === s.stack);
    if (!stack) {
      throw new ApplyError(
        ApplyErrorCode.RECORD_NOT_APPLICABLE,
        `the record approves ${destroy ? 'the destroy of ' : ''}${s.stack}, which synthesizing ${destroy ? 'the commit before the merge' : 'main'} does not produce: nothing was applied`,
      );
    }
    return { stack, approved: s, destroy };
  };
  return [...present.map((s) => pick(current, s, false)), ...removed.map((s) => pick(before, s, true))];
}

function writeRecordFiles(dir: string, results: readonly StackApplyResult[], run: ApplyRunInfo): void {
  mkdirSync(dir, { recursive: true });
  for (const r of results) {
    writeFileSync(path.join(dir, `${r.stack}.json`), `${JSON.stringify(stackApplyRecord(r, run), null, 2)}\n`);
  }
}

/** Per FLAG, the plans made on main that need approval, as one record (in parts when long). */
async function postFollowUps(
  request: ApplyRequest,
  pr: number,
  results: readonly StackApplyResult[],
  run: ApplyRunInfo,
): Promise<number[]> {
  const ids: number[] = [];
  const waiting = results.filter((r) => r.outcome === 'needs-approval' && r.plan);
  for (const flagId of [...new Set(waiting.map((r) => r.flagId))]) {
    const plans = waiting.filter((r) => r.flagId === flagId).flatMap((r) => (r.plan ? [r.plan] : []));
    const record = buildPlanRecord(plans, {
      headSha: request.commit,
      ...(run.applyRunId ? { runId: run.applyRunId } : {}),
    });
    for (const part of recordBodies(renderPlanComment(record))) {
      const posted = await postComment(
        request,
        pr,
        followUpBody(run, flagId, part),
        `posting the plan of ${flagId} that needs approval`,
      );
      ids.push(posted.id);
    }
  }
  return ids;
}

async function postComment(
  request: ApplyRequest,
  pr: number,
  body: string,
  operation: string,
): Promise<{ id: number; url: string }> {
  try {
    const { data } = await request.octokit.rest.issues.createComment({
      owner: request.owner,
      repo: request.repo,
      issue_number: pr,
      body,
    });
    return { id: data.id, url: data.html_url };
  } catch (error) {
    throw toGitHubError(error, `${operation} on ${request.owner}/${request.repo}#${pr}`);
  }
}

/** The job summary shows what the run did; a summary that cannot be written must not stop the apply. */
function appendStepSummary(request: ApplyRequest, markdown: string): void {
  if (!request.stepSummaryFile) return;
  try {
    appendFileSync(request.stepSummaryFile, markdown);
  } catch {
    // The apply record on the pull request and the job's log say the same.
  }
}
