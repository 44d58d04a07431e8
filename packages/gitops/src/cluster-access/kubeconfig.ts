import { X509Certificate } from 'node:crypto';
import { stringify } from 'yaml';
import { KUBE_API_PORT, clusterTokenArgs } from '@kitt/flag-config';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';

/** The exec credential API `aws eks get-token` speaks. */
export const EXEC_CREDENTIAL_API = 'client.authentication.k8s.io/v1beta1';

export interface KubeconfigInput {
  /** `<flag-id>-<cell>`: kubeconfig cluster, user and context name, and the token's cluster id. */
  readonly clusterName: string;
  /** The FLAG's region, where `aws eks get-token` signs its STS request. */
  readonly region: string;
  /** `api.<cell>.<flag-id>.<domain>`: the API's private name, which its serving certificate carries. */
  readonly apiDomain: string;
  /** The cluster CA certificate, PEM (checked with `checkCaCertificate`). */
  readonly caPem: string;
  /**
   * Where to reach the API instead of its name, e.g. a local tunnel
   * `https://127.0.0.1:16443`; TLS then still checks `apiDomain`.
   * @default `https://<apiDomain>:6443`
   */
  readonly server?: string;
  /** Role `aws eks get-token` assumes for the token (`--role-arn`). @default the caller's own identity */
  readonly roleArn?: string;
}

/**
 * The kubeconfig of one cell as YAML text: one cluster, one user whose
 * credential is an `aws eks get-token` token (no secret in the file), one
 * context, made current. Pure: the caller has read and checked the CA.
 */
export function buildKubeconfig(input: KubeconfigInput): string {
  const { clusterName, apiDomain } = input;
  const server = input.server ?? `https://${apiDomain}:${KUBE_API_PORT}`;
  const cluster = {
    server,
    'certificate-authority-data': Buffer.from(input.caPem, 'utf8').toString('base64'),
    // Through a tunnel the URL's host is not the certificate's: check the real name.
    ...(input.server === undefined ? {} : { 'tls-server-name': apiDomain }),
  };
  const args = clusterTokenArgs(clusterName, input.region, input.roleArn);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster }],
    users: [
      {
        name: clusterName,
        user: {
          exec: { apiVersion: EXEC_CREDENTIAL_API, command: 'aws', args, interactiveMode: 'Never' },
        },
      },
    ],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    'current-context': clusterName,
  });
}

const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----$/;

/**
 * `text` trimmed when it is exactly one PEM certificate of a CA; otherwise a
 * coded error naming `source` (`--ca-file x`, or the SSM parameter).
 */
export function checkCaCertificate(text: string, source: string, kind: 'input' | 'external'): string {
  const pem = text.trim();
  const invalid = (why: string) =>
    clusterAccessError(ClusterAccessErrorCode.CA_INVALID, kind, `${source} is not a CA certificate: ${why}`);
  if (!PEM_CERTIFICATE.test(pem))
    throw invalid('expected one PEM block -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw invalid('the PEM block does not parse as an X.509 certificate');
  }
  if (!certificate.ca) throw invalid(`'${certificate.subject}' is not a CA (basicConstraints CA:FALSE)`);
  return `${pem}\n`;
}

/** `--server`: an https:// URL with a host and nothing after the port. */
export function checkServerUrl(server: string): string {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  if (
    url?.protocol !== 'https:' ||
    url.hostname === '' ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash ||
    url.username
  ) {
    throw clusterAccessError(
      ClusterAccessErrorCode.SERVER_INVALID,
      'input',
      `--server must be an https:// URL such as https://127.0.0.1:16443, got '${server}'`,
    );
  }
  return `https://${url.host}`;
}

const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** `--role-arn`: an IAM role ARN. */
export function checkRoleArn(roleArn: string): string {
  if (!ROLE_ARN.test(roleArn)) {
    throw clusterAccessError(
      ClusterAccessErrorCode.ROLE_ARN_INVALID,
      'input',
      `--role-arn must be an IAM role ARN such as arn:aws:iam::111111111111:role/kitt-admin, got '${roleArn}'`,
    );
  }
  return roleArn;
}
