import { KittError, type InputIssue } from '@kitt/flag-config';

/** Stable codes of what stops `kitt bootstrap` before anything is synthesized. */
export const BootstrapErrorCode = {
  /** The account id given is not 12 digits. */
  ACCOUNT_ID_INVALID: 'BOOTSTRAP_ACCOUNT_ID_INVALID',
  /** The account is not under org.yaml `accounts`: it has no roles to make. */
  ACCOUNT_NOT_LISTED: 'BOOTSTRAP_ACCOUNT_NOT_LISTED',
  /** org.yaml has no `github.repository`: the trust policies would name no repository. */
  REPOSITORY_MISSING: 'BOOTSTRAP_REPOSITORY_MISSING',
  /** org.yaml has no `state.accountId`: no account would own the state bucket. */
  STATE_ACCOUNT_MISSING: 'BOOTSTRAP_STATE_ACCOUNT_MISSING',
  /** org.yaml has no `environments`: the apply role would trust no run at all. */
  ENVIRONMENTS_MISSING: 'BOOTSTRAP_ENVIRONMENTS_MISSING',
} as const;

export type BootstrapErrorCode = (typeof BootstrapErrorCode)[keyof typeof BootstrapErrorCode];

/** org.yaml (or the account id given) cannot make a bootstrap stack; the issue says what to write where. */
export class BootstrapError extends KittError {
  constructor(readonly issue: InputIssue & { readonly code: BootstrapErrorCode }) {
    super({ code: issue.code, kind: 'input', message: issue.message, issues: [issue] });
  }

  /** The same error, its issue at its line in org.yaml (the CLI's edge knows the file, the stack does not). */
  atLine(lineOf: (path: string) => number | undefined): BootstrapError {
    const line = lineOf(this.issue.path);
    return line === undefined ? this : new BootstrapError({ ...this.issue, line });
  }
}
