/**
 * The few Kubernetes API requests kitt makes itself (readiness, cleanup
 * before a cell's addons are destroyed): HTTPS that trusts only the cell's
 * CA and checks the API's private name, wherever the bytes go (a tunnel's
 * 127.0.0.1 port or the name itself), and a bearer token from
 * aws-iam-authenticator, the credential the cell's kubeconfigs use.
 */
import { execFile } from 'node:child_process';
import * as https from 'node:https';
import { checkServerIdentity } from 'node:tls';
import { capped } from './aws-cli';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

/** Environment variable naming the aws-iam-authenticator executable; tests point it at a stand-in. */
export const AUTHENTICATOR_BINARY_ENV = 'KITT_AWS_IAM_AUTHENTICATOR';
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

/** `aws-iam-authenticator token -i <cluster>`. Pure. */
export function authenticatorArgs(cluster: string): string[] {
  return ['token', '-i', cluster];
}

/** A bearer token for the cluster under the identity kitt runs as, from aws-iam-authenticator's ExecCredential. */
export function authenticatorToken(cluster: string, env: Env): Promise<string> {
  const binary = env[AUTHENTICATOR_BINARY_ENV]?.trim() || 'aws-iam-authenticator';
  const args = authenticatorArgs(cluster);
  const failed = (why: string) =>
    clusterAccessError(ClusterAccessErrorCode.AUTHENTICATOR_FAILED, 'external', `${binary} ${args.join(' ')} ${why}`);
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { env: { ...env }, encoding: 'utf8', timeout: 60_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT')
            return reject(failed(`cannot run: not found (install it, or set ${AUTHENTICATOR_BINARY_ENV})`));
          return reject(
            failed(`failed (exit ${String(error.code ?? error.signal)}): ${capped(String(stderr).trim())}`),
          );
        }
        let token: unknown;
        try {
          token = (JSON.parse(stdout) as { status?: { token?: unknown } }).status?.token;
        } catch {
          token = undefined;
        }
        if (typeof token === 'string' && token !== '') return resolve(token);
        reject(failed('printed no ExecCredential with a status.token'));
      },
    );
  });
}
