import { KittError, loadOrg } from '@kitt/flag-config';
import { fenceFor } from '../plan-markdown/markdown';
import { locateTerraform, TERRAFORM_BINARY_ENV } from '../terraform/binary';
import type { StackApplyResult } from './apply-stacks';
import { renderNotApplied, type ApplyRecordResult, type ApplyRunInfo } from './apply-record';
import { refusedError, type Refusal } from './errors';
import {
  appendStepSummary,
  executeApply,
  failedError,
  postComment,
  type ApplyContext,
  type StepOutcome,
} from './execute-apply';
import { findMergedPullRequest, gatherEvidence } from './github-evidence';
import { guardApply } from './guard';
import { pendingMerges, type PendingMerge } from './merge-walk';
import { terraformVersion } from './terraform-apply';

export interface ApplyRequest extends ApplyContext {
  /** The run's commit on main (full SHA), checked out in `repoDir`. */
  readonly commit: string;
  /** The merged pull request: only its merge is applied. @default found from the commit, with the walk below */
  readonly pr?: number;
  /**
   * Only this FLAG; with it (and no `pr`), every earlier merge of the FLAG whose apply no run finished is applied
   * first, in order (`merge-walk.ts`). @default every FLAG of the record, this merge only
   */
  readonly flagId?: string;
}

/** What one merge came to. */
export interface MergeOutcome extends Partial<StepOutcome> {
  readonly commit: string;
  readonly pr: number;
  readonly result: ApplyRecordResult;
}

export interface ApplyOutcome {
  /** Every merge the run went through, oldest first. */
  readonly merges: readonly MergeOutcome[];
  /** The run's own merge (the last), as below. @default absent when its apply had already finished */
  readonly pr?: number;
  readonly results: readonly StackApplyResult[];
  readonly recordUrl?: string;
  readonly followUps: readonly number[];
}

/**
 * `kitt apply`: per merge, the guard first (nothing is synthesized, planned or applied when it refuses, and the
 * pull request's apply record says why), then each approved stack planned again and applied when its fingerprint
 * is the approved one, the plans that need approval and the apply record posted on the pull request
 * (`execute-apply.ts`). A failed stack stops every merge after it. The run throws at the end when a merge was
 * refused (its reasons) or failed (`APPLY_FAILED`), after every record is posted.
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
  const binary = terraform.path;
  const merges = await mergesOf(request);
  let version = ''; // asked once a merge passes the guard: a refusal runs no terraform at all
  const outcomes: MergeOutcome[] = [];
  const refusals: Refusal[] = [];
  let failedAt: MergeOutcome | undefined;
  for (const merge of merges) {
    const run = runInfo(request, merge);
    if (failedAt) {
      const reason = `the apply of ${failedAt.commit.slice(0, 12)} (#${failedAt.pr}) failed before it: ${failedAt.recordUrl ?? ''}`;
      await postNotApplied(request, run, 'stopped', reason);
      outcomes.push({ ...merge, result: 'stopped' });
      continue;
    }
    const evidence = await gatherEvidence(request.octokit, { ...request, commit: merge.commit, pr: merge.pr });
    const verdict = guardApply(evidence, request.flagId !== undefined ? { flagId: request.flagId } : {});
    if (!verdict.ok) {
      const error = refusedError(verdict.refusals);
      const fence = fenceFor(error.message);
      appendStepSummary(
        request,
        `### Not applied: ${merge.commit.slice(0, 12)}\n\n${fence}\n${error.message}\n${fence}\n`,
      );
      if (evidence.pullRequest.merged) await postNotApplied(request, run, 'refused', error.message);
      refusals.push(...verdict.refusals);
      outcomes.push({ ...merge, result: 'refused' });
      continue;
    }
    version ||= await terraformVersion(binary, request.env, request.repoDir);
    const step = await executeApply(request, binary, {
      run: { ...run, pr: evidence.pullRequest.number, planRunId: verdict.runId, terraformVersion: version },
      approved: verdict.stacks,
      checkedOut: merge.commit === request.commit,
      destroyFrom: merge.commit,
    });
    const outcome = { ...merge, pr: evidence.pullRequest.number, ...step };
    outcomes.push(outcome);
    if (step.result === 'failed') failedAt = outcome;
  }
  if (failedAt)
    throw failedError(failedAt.results?.filter((r) => r.outcome === 'failed') ?? [], failedAt.recordUrl ?? '');
  if (refusals.length > 0) throw refusedError(refusals);
  const last = outcomes.at(-1);
  return {
    merges: outcomes,
    ...(last && last.commit === request.commit ? { pr: last.pr } : {}),
    results: last?.results ?? [],
    ...(last?.recordUrl ? { recordUrl: last.recordUrl } : {}),
    followUps: last?.followUps ?? [],
  };
}

/** The run's merge alone (`--pr`, or every FLAG), or the walk's pending merges of `--flag`'s FLAG. */
async function mergesOf(request: ApplyRequest): Promise<PendingMerge[]> {
  if (request.pr !== undefined || request.flagId === undefined) {
    return [{ commit: request.commit, pr: (await findMergedPullRequest(request.octokit, request)).number }];
  }
  const walk = await pendingMerges({ ...request, flagId: request.flagId, ...sinceOf(request) });
  const list = walk.pending.map((m) => `- ${m.commit.slice(0, 12)} (#${m.pr})`).join('\n');
  appendStepSummary(
    request,
    `### Merges of ${request.flagId} to apply\n\n${list || 'None: every merge since has its apply record.'}\n\nLooked back to ${walk.stoppedAt}.\n\n`,
  );
  return [...walk.pending];
}

function sinceOf(request: ApplyRequest): { since?: string } {
  const since = loadOrg(request.repoDir).applySince;
  return since ? { since } : {};
}

function runInfo(request: ApplyRequest, merge: PendingMerge): ApplyRunInfo {
  return {
    commit: merge.commit,
    pr: merge.pr,
    planRunId: '',
    ...(request.env.GITHUB_RUN_ID ? { applyRunId: request.env.GITHUB_RUN_ID } : {}),
    ...(request.runUrl ? { runUrl: request.runUrl } : {}),
    ...(request.flagId ? { flagId: request.flagId } : {}),
    terraformVersion: 'unknown',
  };
}

async function postNotApplied(
  request: ApplyRequest,
  run: ApplyRunInfo,
  result: 'refused' | 'stopped',
  reason: string,
): Promise<void> {
  await postComment(request, run.pr, renderNotApplied(run, result, reason), 'posting the apply record');
}
