import { KittError } from '@kitt/flag-config';

/**
 * Stable codes of what can go wrong building a kubeconfig, asking AWS through
 * the `aws` CLI, tunnelling to a cell's API and talking to it.
 */
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
  /** The aws CLI answered with something kitt cannot read (not the JSON it asked for). */
  AWS_OUTPUT_INVALID: 'AWS_OUTPUT_INVALID',
  /** `kitt roll` will not start: etcd is not healthy with three members (or the check could not run). */
  ROLL_ETCD_UNHEALTHY: 'ROLL_ETCD_UNHEALTHY',
  /** A replaced instance's successor did not appear, or did not become healthy or ready, in time. */
  ROLL_TIMEOUT: 'ROLL_TIMEOUT',
  /** The cell has not the instances a roll or a restore expects (e.g. not one running instance per etcd member). */
  INSTANCES_UNEXPECTED: 'CELL_INSTANCES_UNEXPECTED',
  /** A command run through SSM Run Command failed on its instance. */
  SSM_COMMAND_FAILED: 'SSM_COMMAND_FAILED',
  /** `--snapshot` is not a snapshot key of this FLAG's bucket and this cell. */
  SNAPSHOT_INVALID: 'ETCD_SNAPSHOT_INVALID',
  /** No running control-plane instance of the cell (by its tags) to open a tunnel to. */
  TUNNEL_NO_CONTROL_PLANE: 'TUNNEL_NO_CONTROL_PLANE',
  /** The local port asked for is taken (or not allowed). */
  TUNNEL_PORT_BUSY: 'TUNNEL_PORT_BUSY',
  /** The port-forwarding session did not accept connections on its local port in time. */
  TUNNEL_OPEN_TIMEOUT: 'TUNNEL_OPEN_TIMEOUT',
  /** `aws ssm start-session` ended (failed to start, or the session closed) while it was needed. */
  TUNNEL_SESSION_ENDED: 'TUNNEL_SESSION_ENDED',
  /** The cell's CA parameter or its API's `/readyz` was not there in time after the cell applied. */
  CELL_API_NOT_READY: 'CELL_API_NOT_READY',
  /** `aws eks get-token` succeeded but printed no ExecCredential with a token (its failures are `AWS_CLI_*`). */
  CLUSTER_TOKEN_INVALID: 'CLUSTER_TOKEN_INVALID',
  /** A Kubernetes API request failed (status and the API's message in the text). */
  KUBERNETES_API_FAILED: 'KUBERNETES_API_FAILED',
  /** LoadBalancer Services or dynamically provisioned volumes were still there when the bound ran out. */
  CELL_CLEANUP_TIMEOUT: 'CELL_CLEANUP_TIMEOUT',
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
