import { KittError } from '@kitt/flag-config';

/** Stable codes of what can go wrong building a kubeconfig or asking AWS through the `aws` CLI. */
export const ClusterAccessErrorCode = {
  /** The FLAG has no cell of that name. */
  CELL_UNKNOWN: 'KUBECONFIG_CELL_UNKNOWN',
  /** `flags/org.yaml` has no `domain`: a cell's API has no name without it. */
  DOMAIN_MISSING: 'KUBECONFIG_DOMAIN_MISSING',
  /** The CA (from `--ca-file` or SSM) is not one PEM CA certificate. */
  CA_INVALID: 'KUBECONFIG_CA_INVALID',
  /** `--ca-file` cannot be read. */
  CA_FILE_UNREADABLE: 'KUBECONFIG_CA_FILE_UNREADABLE',
  /** `--server` is not an https:// URL with a host. */
  SERVER_INVALID: 'KUBECONFIG_SERVER_INVALID',
  /** `--role-arn` is not an IAM role ARN. */
  ROLE_ARN_INVALID: 'KUBECONFIG_ROLE_ARN_INVALID',
  /** `--out` names a file (or symbolic link) that exists. */
  OUT_EXISTS: 'KUBECONFIG_OUT_EXISTS',
  /** `--out` cannot be created (no such directory, no permission). */
  OUT_UNWRITABLE: 'KUBECONFIG_OUT_UNWRITABLE',
  /** The `aws` CLI ran and failed (its stderr, capped, in the message). */
  AWS_CLI_FAILED: 'AWS_CLI_FAILED',
  /** There is no `aws` CLI (or no `KITT_AWS` executable) to run. */
  AWS_CLI_NOT_FOUND: 'AWS_CLI_NOT_FOUND',
} as const;

export type ClusterAccessErrorCode = (typeof ClusterAccessErrorCode)[keyof typeof ClusterAccessErrorCode];

export function clusterAccessError(
  code: ClusterAccessErrorCode,
  kind: 'input' | 'external',
  message: string,
  cause?: unknown,
): KittError {
  return new KittError({ code, kind, message, ...(cause === undefined ? {} : { cause }) });
}
