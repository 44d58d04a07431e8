import { KittError } from '@kitt/flag-config';

/** Stable codes of what can stop `kitt affected`. */
export const AffectedErrorCode = {
  /** git does not know the ref, or the directory is not a git repository. */
  GIT_REF_INVALID: 'AFFECTED_GIT_REF_INVALID',
  /** A git command failed for another reason (its stderr is in the message). */
  GIT_FAILED: 'AFFECTED_GIT_FAILED',
  /** `nx show projects --affected` failed. */
  NX_FAILED: 'AFFECTED_NX_FAILED',
  /** `kitt synth` failed in the head or base tree. */
  SYNTH_FAILED: 'AFFECTED_SYNTH_FAILED',
  /** `kitt synth` succeeded but did not write what it should have for a FLAG. */
  SYNTH_OUTPUT_MISSING: 'AFFECTED_SYNTH_OUTPUT_MISSING',
  /** A flag.yaml has no readable `aws.accountId`. */
  ACCOUNT_ID_MISSING: 'AFFECTED_ACCOUNT_ID_MISSING',
  /** flags/ at head has a FLAG directory without a regular flag.yaml (or a link): its FLAG would count as removed. */
  FLAG_LAYOUT_INVALID: 'AFFECTED_FLAG_LAYOUT_INVALID',
  /** More AWS accounts than a matrix has jobs. */
  MATRIX_TOO_LARGE: 'AFFECTED_MATRIX_TOO_LARGE',
} as const;

export type AffectedErrorCode = (typeof AffectedErrorCode)[keyof typeof AffectedErrorCode];

/** Why change detection could not answer: thrown by the core, printed once by the CLI. */
export class AffectedError extends KittError {
  constructor(
    code: AffectedErrorCode,
    message: string,
    /** The file or ref the problem is about, where there is one. */
    readonly subject?: string,
  ) {
    super({ code, kind: EXTERNAL.has(code) ? 'external' : 'input', message });
  }
}

/** Failures of the tools change detection runs, as opposed to input it was given. */
const EXTERNAL: ReadonlySet<string> = new Set([
  AffectedErrorCode.GIT_FAILED,
  AffectedErrorCode.NX_FAILED,
  AffectedErrorCode.SYNTH_FAILED,
  AffectedErrorCode.SYNTH_OUTPUT_MISSING,
]);
