import { KittError, loadOrg } from '@kitt/flag-config';
import { fenceFor } from '../plan-markdown/markdown';
import { locateTerraform, TERRAFORM_BINARY_ENV } from '../terraform/binary';
import { refusedError } from './errors';
import { appendStepSummary, executeApply, failedError, type ApplyContext } from './execute-apply';
import { gatherFollowUpEvidence } from './follow-up-evidence';
import { guardFollowUp } from './follow-up-guard';
import type { ApplyOutcome } from './run-apply';
import { terraformVersion } from './terraform-apply';

export interface ApproveRequest extends ApplyContext {
  /** The run's commit on main (full SHA), checked out in `repoDir`: what is planned and applied. */
  readonly commit: string;
  readonly pr: number;
  /** The follow-up record's comment id. */
  readonly recordId: number;
  /** The FLAG whose Environment and role the job has: the record must be of it. @default any */
  readonly flagId?: string;
}

/**
 * `kitt apply --approve`: an approver applies what a follow-up record shows. The follow-up guard first (nothing
 * is planned or applied when it refuses); then the FLAG's stacks are planned again on main under the state lock,
 * the record's stacks applied when their fingerprints are still the approved ones, and any other change posted
 * for approval as the next follow-up record; the apply record names the approver.
 */
export async function runApprove(request: ApproveRequest): Promise<ApplyOutcome> {
  const terraform = locateTerraform(request.env, request.repoDir);
  if (terraform.path === undefined) {
    throw new KittError({
      code: 'TERRAFORM_NOT_FOUND',
      kind: 'external',
      message: `'${terraform.command}' is not installed or not on PATH (or name it with ${TERRAFORM_BINARY_ENV}): nothing was applied`,
    });
  }
  const evidence = await gatherFollowUpEvidence(request);
  const verdict = guardFollowUp(evidence, loadOrg(request.repoDir), request.flagId);
  if (!verdict.ok) {
    const error = refusedError(verdict.refusals);
    const fence = fenceFor(error.message);
    appendStepSummary(request, `### Not approved\n\n${fence}\n${error.message}\n${fence}\n`);
    throw error;
  }
  const by = evidence.actors.join(' and ');
  const step = await executeApply(request, terraform.path, {
    run: {
      commit: request.commit,
      pr: request.pr,
      planRunId: verdict.runId,
      ...(request.env.GITHUB_RUN_ID ? { applyRunId: request.env.GITHUB_RUN_ID } : {}),
      ...(request.runUrl ? { runUrl: request.runUrl } : {}),
      flagId: verdict.flagId,
      terraformVersion: await terraformVersion(terraform.path, request.env, request.repoDir),
      approval: { by, followUp: request.recordId },
    },
    approved: verdict.stacks,
    checkedOut: true,
    destroyFrom: verdict.commit,
    followUp: true,
  });
  if (step.result === 'failed')
    throw failedError(
      step.results.filter((r) => r.outcome === 'failed'),
      step.recordUrl,
    );
  const merge = { commit: request.commit, pr: request.pr, ...step };
  return {
    merges: [merge],
    pr: request.pr,
    results: step.results,
    recordUrl: step.recordUrl,
    followUps: step.followUps,
  };
}
