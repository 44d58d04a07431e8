/**
 * A cell's API after its cell stack applies: the first controller publishes
 * the CA parameter, and the API answers `/readyz`, minutes after Terraform
 * returns. Its addons are planned only after both, within a bound; a timeout
 * says what was missing and how to retry.
 */
import { cellApiDomain, clusterCaCertificateParameterName, KittError, type FlagIdentity } from '@kitt/flag-config';
import { capped, readSsmParameter } from './aws-cli';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';
import { checkCaCertificate } from './kubeconfig';
import { kubeRequest } from './kube-api';
import { openTunnel, TUNNEL_OPEN_TIMEOUT_MS, type Tunnel, type TunnelOptions } from './tunnel';

type Env = Readonly<Record<string, string | undefined>>;

/** @default of `CellApiWait.timeoutMs`. */
export const CELL_API_TIMEOUT_MS = 15 * 60_000;
/** @default of `CellApiWait.intervalMs`. */
export const CELL_API_INTERVAL_MS = 10_000;

export interface CellApiWait {
  readonly flag: FlagIdentity;
  readonly cell: string;
  /** `flags/org.yaml` `domain`: the API is `api.<cell>.<flag-id>.<domain>`. */
  readonly domain: string;
  /** Where the API is reached: a tunnel's URL, or its name inside the VPC. */
  readonly apiUrl: string;
  readonly env: Env;
  /** The command that retries, for the timeout's message. */
  readonly retry: string;
  /** @default CELL_API_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Pause between tries. @default CELL_API_INTERVAL_MS */
  readonly intervalMs?: number;
}

/** Waits for the CA parameter, then `/readyz`; returns the CA. A coded error (CELL_API_NOT_READY) at the bound. */
export async function waitForCellApi(wait: CellApiWait): Promise<{ readonly caPem: string }> {
  const { flag, cell, env } = wait;
  const timeoutMs = wait.timeoutMs ?? CELL_API_TIMEOUT_MS;
  const intervalMs = wait.intervalMs ?? CELL_API_INTERVAL_MS;
  const deadline = Date.now() + timeoutMs;
  const parameter = clusterCaCertificateParameterName(flag, cell);
  const serverName = cellApiDomain(flag, cell, wait.domain);
  let waitingFor = `the CA parameter ${parameter}`;
  let lastAnswer = 'none yet';
  let caPem: string | undefined;
  for (;;) {
    try {
      caPem ??= checkCaCertificate(
        await readSsmParameter(parameter, flag.region, env),
        `SSM parameter ${parameter} (${flag.region})`,
        'external',
      );
      waitingFor = `${serverName}/readyz through ${wait.apiUrl}`;
      const response = await kubeRequest({ url: wait.apiUrl, caPem, serverName }, 'GET', '/readyz');
      if (response.status === 200) return { caPem };
      lastAnswer = `${response.status} ${response.body.trim()}`;
    } catch (error) {
      lastAnswer = (error as Error).message;
    }
    if (Date.now() + intervalMs > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw clusterAccessError(
    ClusterAccessErrorCode.CELL_API_NOT_READY,
    'external',
    `the API of cell ${cell} of ${flag.id} was not ready within ${formatDuration(timeoutMs)}: waiting for ${waitingFor} ` +
      `(last answer: ${capped(lastAnswer)}). Its addons were not planned. Once the cell's controllers are up, retry: ${wait.retry}`,
  );
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

/** What a tunnel to a cell that is still coming up meets, and is worth another try. */
const NOT_UP_YET: readonly string[] = [
  ClusterAccessErrorCode.TUNNEL_NO_CONTROL_PLANE,
  ClusterAccessErrorCode.TUNNEL_SESSION_ENDED,
  ClusterAccessErrorCode.TUNNEL_OPEN_TIMEOUT,
];

/**
 * Opens a tunnel to a cell that was just applied: its control-plane instances
 * may still be launching, or their SSM agent starting, so a failure that says
 * so is tried again until `deadline` (epoch ms), then CELL_API_NOT_READY.
 */
export async function openTunnelWhenReady(
  options: TunnelOptions & { readonly deadline: number; readonly retry: string; readonly intervalMs?: number },
): Promise<Tunnel> {
  const intervalMs = options.intervalMs ?? CELL_API_INTERVAL_MS;
  let lastAnswer = 'none yet';
  for (;;) {
    const left = options.deadline - Date.now();
    try {
      return await openTunnel({ ...options, openTimeoutMs: Math.max(1_000, Math.min(left, TUNNEL_OPEN_TIMEOUT_MS)) });
    } catch (error) {
      if (!(error instanceof KittError) || !NOT_UP_YET.includes(error.code)) throw error;
      lastAnswer = error.message;
    }
    if (Date.now() + intervalMs > options.deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw clusterAccessError(
    ClusterAccessErrorCode.CELL_API_NOT_READY,
    'external',
    `the API of cell ${options.cell} of ${options.flag.id} could not be reached in time: waiting for a control-plane ` +
      `instance to tunnel to (last answer: ${capped(lastAnswer)}). Its addons were not planned. Once the cell's ` +
      `controllers are up, retry: ${options.retry}`,
  );
}
