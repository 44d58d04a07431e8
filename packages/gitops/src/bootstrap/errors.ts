import { KittError } from '@kitt/flag-config';

/** Stable codes of what stops `kitt bootstrap` after org.yaml was accepted. */
export const BootstrapRunErrorCode = {
  /** `--apply` without GITHUB_TOKEN: the repository's OIDC settings cannot be set or checked. */
  GITHUB_TOKEN_MISSING: 'BOOTSTRAP_GITHUB_TOKEN_MISSING',
  /** GitHub reports other subject claims than the ones just set. */
  OIDC_SUBJECT_MISMATCH: 'BOOTSTRAP_OIDC_SUBJECT_MISMATCH',
  /** An apply Environment is missing or may deploy from more than main. */
  ENVIRONMENT_NOT_LIMITED: 'BOOTSTRAP_ENVIRONMENT_NOT_LIMITED',
  /** `terraform` (or `KITT_TERRAFORM`) is not installed. */
  TERRAFORM_NOT_FOUND: 'TERRAFORM_NOT_FOUND',
  /** A terraform step failed. */
  TERRAFORM_FAILED: 'BOOTSTRAP_TERRAFORM_FAILED',
} as const;

export type BootstrapRunErrorCode = (typeof BootstrapRunErrorCode)[keyof typeof BootstrapRunErrorCode];

export function bootstrapRunError(code: BootstrapRunErrorCode, message: string): KittError {
  const kind = code === BootstrapRunErrorCode.GITHUB_TOKEN_MISSING ? 'input' : 'external';
  return new KittError({ code, kind, message });
}
