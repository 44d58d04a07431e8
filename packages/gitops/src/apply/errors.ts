import { KittError } from '@kitt/flag-config';

/** Stable codes of why `kitt apply` refused or stopped. */
export const ApplyErrorCode = {
  /** No merged pull request of this repository has the commit as its merge commit (or `--pr` is not merged). */
  PULL_REQUEST_NOT_FOUND: 'APPLY_PULL_REQUEST_NOT_FOUND',
  /** kitt wrote no readable plan record on the pull request. */
  NO_RECORD: 'APPLY_NO_RECORD',
  /** kitt's records are all for older heads than the pull request's final head. */
  RECORD_NOT_FOR_HEAD: 'APPLY_RECORD_NOT_FOR_HEAD',
  /** No approving review of the final head by someone other than the author. */
  NOT_APPROVED: 'APPLY_NOT_APPROVED',
  /** The plan run the record names is not a successful `pull_request` run of plan.yml for the final head. */
  PLAN_RUN_UNTRUSTED: 'APPLY_PLAN_RUN_UNTRUSTED',
  /** The record's fingerprints disagree with the plan run's artifacts, or the artifacts are unreadable. */
  EVIDENCE_MISMATCH: 'APPLY_EVIDENCE_MISMATCH',
  /** The record holds a stack that cannot be applied (a preview, an error). */
  RECORD_NOT_APPLICABLE: 'APPLY_RECORD_NOT_APPLICABLE',
  /** A stack's plan or apply failed: the stacks after it were not applied. */
  APPLY_FAILED: 'APPLY_FAILED',
  /** Too many earlier merges of the FLAG have no finished apply record (history before kitt: set `applySince`). */
  BACKLOG_TOO_LONG: 'APPLY_BACKLOG_TOO_LONG',
  /** `kitt apply --approve`: the follow-up record is not one kitt posted on the pull request, or was edited. */
  FOLLOW_UP_UNTRUSTED: 'APPLY_FOLLOW_UP_UNTRUSTED',
  /** `kitt apply --approve`: the run's actor may not approve the follow-up record. */
  APPROVER_NOT_ALLOWED: 'APPLY_APPROVER_NOT_ALLOWED',
} as const;

export type ApplyErrorCode = (typeof ApplyErrorCode)[keyof typeof ApplyErrorCode];

/** One reason the guard refused. */
export interface Refusal {
  readonly code: ApplyErrorCode;
  readonly message: string;
}

/** Why an apply did not happen (or stopped): printed once by the CLI, exit 1. */
export class ApplyError extends KittError {
  declare readonly code: ApplyErrorCode;

  constructor(
    code: ApplyErrorCode,
    message: string,
    /** Every reason, when the guard refused for several. */
    readonly refusals: readonly Refusal[] = [{ code, message }],
  ) {
    super({ code, kind: 'external', message });
  }
}

/** The guard's refusals as one error: the first reason's code, every reason in the message. */
export function refusedError(refusals: readonly Refusal[]): ApplyError {
  const first = refusals[0] as Refusal;
  const lines = refusals.map((r) => `  - [${r.code}] ${r.message}`).join('\n');
  return new ApplyError(first.code, `the apply guard refused: nothing was planned or applied.\n${lines}`, refusals);
}
