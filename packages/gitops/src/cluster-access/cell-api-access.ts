/**
 * How kitt plan and kitt apply reach an addons stack's cell API (see
 * `terraform/stack-access.ts` for the contract): a tunnel from outside the VPC
 * whose URL the providers' host variable gets, or, on a runner inside the VPC
 * (`tunnel: false`), the API's private name, the variable's default. After its
 * cell applied, the API must be ready first; before a destroy, what the
 * cluster made in AWS goes.
 */
import {
  cellApiDomain,
  clusterCaCertificateParameterName,
  clusterName,
  KUBE_API_HOST_VARIABLE,
  KUBE_API_PORT,
  parseFlagId,
  splitStackName,
  type FlagIdentity,
} from '@kitt/flag-config';
import { readSsmParameter } from './aws-cli';
import { removeCloudResources, TEARDOWN_TIMEOUT_MS } from './cell-teardown';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';
import { clusterToken } from './kube-api';
import { checkCaCertificate } from './kubeconfig';
import { CELL_API_TIMEOUT_MS, openTunnelWhenReady, waitForCellApi } from './readiness';
import { openTunnel, type Tunnel } from './tunnel';

type Env = Readonly<Record<string, string | undefined>>;

/** Environment variable that turns the tunnel off (`true`/`1`), as `--no-tunnel` does: a runner inside the VPC. */
export const NO_TUNNEL_ENV = 'KITT_NO_TUNNEL';

/** `--no-tunnel`, or `KITT_NO_TUNNEL` set to `1`/`true`. */
export function tunnelWanted(noTunnelOption: boolean, env: Env): boolean {
  return !noTunnelOption && !['1', 'true'].includes((env[NO_TUNNEL_ENV] ?? '').trim().toLowerCase());
}

export interface CellApiAccessConfig {
  readonly env: Env;
  /** `flags/org.yaml` `domain`, read when first needed. */
  readonly domain: () => string | undefined;
  /** Open a tunnel (outside the VPC); false: reach the API's private name directly. */
  readonly tunnel: boolean;
  /** The command that retries, for timeouts' messages. */
  readonly retry: string;
  /** Told when a tunnel opens and what the cleanup does. @default nothing */
  readonly progress?: (line: string) => void;
  /** Bound on a just-applied cell's API becoming ready, tunnel included. @default CELL_API_TIMEOUT_MS */
  readonly readyTimeoutMs?: number;
  /** Bound on the cleanup before a destroy. @default TEARDOWN_TIMEOUT_MS */
  readonly teardownTimeoutMs?: number;
  /** Pause between tries while waiting. @default each wait's own */
  readonly intervalMs?: number;
}

interface AccessRequest {
  readonly stack: { readonly flagId: string; readonly stack: string };
  readonly cellJustApplied?: boolean;
}
interface AccessSession {
  readonly variables: Readonly<Record<string, string>>;
  beforeDestroy(): Promise<void>;
}

interface CellTarget {
  readonly flag: FlagIdentity;
  readonly cell: string;
  readonly domain: string;
  readonly apiDomain: string;
}

function targetOf(stack: AccessRequest['stack'], domain: string | undefined): CellTarget {
  const part = splitStackName(stack.stack);
  const triple = parseFlagId(stack.flagId);
  if (part?.cell === undefined || triple === undefined) {
    throw clusterAccessError(
      ClusterAccessErrorCode.CELL_UNKNOWN,
      'input',
      `stack ${stack.stack} names no cell of a FLAG: no Kubernetes API to reach`,
    );
  }
  if (domain === undefined) {
    throw clusterAccessError(
      ClusterAccessErrorCode.DOMAIN_MISSING,
      'input',
      `flags/org.yaml has no domain: the API of ${stack.stack}'s cell is named api.<cell>.<flag-id>.<domain>`,
    );
  }
  const flag = { id: stack.flagId, ...triple };
  return { flag, cell: part.cell, domain, apiDomain: cellApiDomain(flag, part.cell, domain) };
}

/** The `StackAccess` of kitt plan and kitt apply (see the module comment). */
export function cellApiAccess(config: CellApiAccessConfig) {
  const say = config.progress ?? (() => {});
  const interval = config.intervalMs === undefined ? {} : { intervalMs: config.intervalMs };
  return {
    async around<T>(request: AccessRequest, use: (session: AccessSession) => Promise<T>): Promise<T> {
      const target = targetOf(request.stack, config.domain());
      const { flag, cell, domain, apiDomain } = target;
      const deadline = Date.now() + (config.readyTimeoutMs ?? CELL_API_TIMEOUT_MS);
      const tunnelOptions = { flag, cell, env: config.env };
      let tunnel: Tunnel | undefined;
      try {
        if (config.tunnel) {
          tunnel = request.cellJustApplied
            ? await openTunnelWhenReady({ ...tunnelOptions, deadline, retry: config.retry, ...interval })
            : await openTunnel(tunnelOptions);
          say(`tunnel to cell ${cell} of ${flag.id} through ${tunnel.instanceId}: ${tunnel.url}`);
        }
        const apiUrl = tunnel?.url ?? `https://${apiDomain}:${KUBE_API_PORT}`;
        if (request.cellJustApplied) {
          const timeoutMs = Math.max(0, deadline - Date.now());
          await waitForCellApi({
            flag,
            cell,
            domain,
            apiUrl,
            env: config.env,
            retry: config.retry,
            timeoutMs,
            ...interval,
          });
        }
        return await use({
          variables: tunnel ? { [KUBE_API_HOST_VARIABLE]: tunnel.url } : {},
          beforeDestroy: () => clearCloudResources(target, apiUrl, config),
        });
      } finally {
        await tunnel?.close();
      }
    },
  };
}

async function clearCloudResources(target: CellTarget, apiUrl: string, config: CellApiAccessConfig): Promise<void> {
  const { flag, cell, apiDomain } = target;
  const parameter = clusterCaCertificateParameterName(flag, cell);
  const caPem = checkCaCertificate(
    await readSsmParameter(parameter, flag.region, config.env),
    `SSM parameter ${parameter} (${flag.region})`,
    'external',
  );
  const token = await clusterToken(clusterName(flag, cell), flag.region, config.env);
  await removeCloudResources(
    { url: apiUrl, caPem, serverName: apiDomain, token },
    {
      timeoutMs: config.teardownTimeoutMs ?? TEARDOWN_TIMEOUT_MS,
      ...(config.intervalMs === undefined ? {} : { intervalMs: config.intervalMs }),
      ...(config.progress
        ? { progress: (line: string) => config.progress?.(`cell ${cell} of ${flag.id}: ${line}`) }
        : {}),
    },
  );
}
