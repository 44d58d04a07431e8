/**
 * The few Kubernetes API requests kitt makes itself (readiness, cleanup
 * before a cell's addons are destroyed): HTTPS that trusts only the cell's
 * CA and checks the API's private name, wherever the bytes go (a tunnel's
 * 127.0.0.1 port or the name itself), and a bearer token from
 * `aws eks get-token`, the credential the cell's kubeconfigs and the addons
 * stacks' providers use.
 */
import * as https from 'node:https';
import { checkServerIdentity } from 'node:tls';
import { clusterTokenArgs } from '@kitt/flag-config';
import { awsBinary, capped, runAws } from './aws-cli';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;
const REQUEST_TIMEOUT_MS = 30_000;

/** Where a cell's API is, and whom to trust there. */
export interface KubeApiEndpoint {
  /** `https://127.0.0.1:<port>` through a tunnel, or `https://<apiDomain>:6443`. */
  readonly url: string;
  /** The cluster CA certificate (PEM): the only one trusted. */
  readonly caPem: string;
  /** The API's private name, which its certificate carries. */
  readonly serverName: string;
  /** Bearer token. @default none (anonymous: enough for /readyz) */
  readonly token?: string;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

/** One request; rejects only when no answer came (TLS, connection, timeout), never for a status. */
export function kubeRequest(
  endpoint: KubeApiEndpoint,
  method: 'GET' | 'DELETE' | 'PATCH',
  path: string,
  body?: { readonly contentType: string; readonly json: unknown },
): Promise<KubeResponse> {
  const url = new URL(path, endpoint.url);
  const payload = body === undefined ? undefined : JSON.stringify(body.json);
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method,
        ca: endpoint.caPem,
        servername: endpoint.serverName,
        // The name checked is the API's, whatever host the URL has (a tunnel's 127.0.0.1).
        checkServerIdentity: (_host, cert) => checkServerIdentity(endpoint.serverName, cert),
        headers: {
          Accept: 'application/json',
          ...(endpoint.token ? { Authorization: `Bearer ${endpoint.token}` } : {}),
          ...(payload === undefined
            ? {}
            : { 'Content-Type': body?.contentType, 'Content-Length': Buffer.byteLength(payload) }),
        },
        timeout: REQUEST_TIMEOUT_MS,
        agent: false,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(payload);
  });
}

/** A request whose answer must be 2xx (or a status in `also`); its JSON body, or a coded error. */
export async function kubeJson(
  endpoint: KubeApiEndpoint,
  method: 'GET' | 'DELETE' | 'PATCH',
  path: string,
  options: { readonly also?: readonly number[]; readonly body?: { contentType: string; json: unknown } } = {},
): Promise<unknown> {
  let response: KubeResponse;
  try {
    response = await kubeRequest(endpoint, method, path, options.body);
  } catch (error) {
    throw clusterAccessError(
      ClusterAccessErrorCode.KUBERNETES_API_FAILED,
      'external',
      `${method} ${path} on ${endpoint.serverName} (${endpoint.url}) got no answer: ${(error as Error).message}`,
      error,
    );
  }
  const ok = (response.status >= 200 && response.status < 300) || (options.also ?? []).includes(response.status);
  if (!ok) {
    throw clusterAccessError(
      ClusterAccessErrorCode.KUBERNETES_API_FAILED,
      'external',
      `${method} ${path} on ${endpoint.serverName} answered ${response.status}: ${capped(statusMessage(response.body))}`,
    );
  }
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return undefined;
  }
}

/** A Kubernetes `Status`'s message, or the body as it came. */
function statusMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON
  }
  return body.trim();
}

/**
 * A bearer token for the cluster under the identity kitt runs as: the
 * ExecCredential of `aws eks get-token` (`clusterTokenArgs`), through the
 * `aws` CLI that `KITT_AWS` names, like every other AWS call kitt makes.
 */
export async function clusterToken(cluster: string, region: string, env: Env): Promise<string> {
  const args = clusterTokenArgs(cluster, region);
  const stdout = await runAws(args, env);
  let token: unknown;
  try {
    token = (JSON.parse(stdout) as { status?: { token?: unknown } }).status?.token;
  } catch {
    token = undefined;
  }
  if (typeof token === 'string' && token !== '') return token;
  throw clusterAccessError(
    ClusterAccessErrorCode.CLUSTER_TOKEN_INVALID,
    'external',
    `${awsBinary(env)} ${args.join(' ')} printed no ExecCredential with a status.token: ${capped(stdout.trim()) || '(nothing)'}`,
  );
}
