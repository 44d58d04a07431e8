/**
 * A local tunnel to a cell's Kubernetes API, for whoever is outside the VPC
 * (GitHub-hosted runners, people): an SSM Session Manager port-forwarding
 * session to one running control-plane instance's own port 6443, not through
 * the internal load balancer, which does not hairpin. Nothing is exposed
 * inbound; IAM decides who may start it, and CloudTrail records it.
 *
 *   aws ec2 describe-instances (cell tags + node-role=control-plane, running) ─▶ instance id
 *   aws ssm start-session --document-name AWS-StartPortForwardingSession ─▶ 127.0.0.1:<free port>
 *   wait (bounded) until the local port accepts a connection ─▶ use ─▶ close (also on failure)
 *
 * TLS still checks the API's private name (`tls-server-name`, `servername`):
 * the tunnel changes where bytes go, not whom kitt trusts.
 */
import * as net from 'node:net';
import { controlPlaneInstanceTags, KUBE_API_PORT, type FlagIdentity } from '@kitt/flag-config';
import { awsBinary, awsCliNotFound, capped, runAws } from './aws-cli';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';
import { startSessionProcess, type SessionProcess } from './session-process';

type Env = Readonly<Record<string, string | undefined>>;

/** The SSM document that forwards a local port to a port of the instance itself. */
export const PORT_FORWARDING_DOCUMENT = 'AWS-StartPortForwardingSession';
/** @default of `TunnelOptions.openTimeoutMs`: a session takes a few seconds to come up. */
export const TUNNEL_OPEN_TIMEOUT_MS = 60_000;
/** `kitt tunnel`'s local port unless told otherwise, so that a kubeconfig made with `--tunnel` keeps working. */
export const DEFAULT_TUNNEL_PORT = 16443;
const POLL_MS = 200;
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/** `aws ec2 describe-instances` of the cell's running control-plane instances' ids. Pure. */
export function controlPlaneInstancesArgs(flag: FlagIdentity, cell: string): string[] {
  const tags = Object.entries(controlPlaneInstanceTags(flag, cell)).map(([k, v]) => `Name=tag:${k},Values=${v}`);
  return [
    'ec2',
    'describe-instances',
    '--region',
    flag.region,
    '--filters',
    ...tags,
    'Name=instance-state-name,Values=running',
    '--query',
    'Reservations[].Instances[].InstanceId',
    '--output',
    'text',
  ];
}

/** `aws ssm start-session` forwarding `localPort` to the instance's API port. Pure. */
export function portForwardingArgs(instanceId: string, localPort: number, region: string): string[] {
  return [
    'ssm',
    'start-session',
    '--region',
    region,
    '--target',
    instanceId,
    '--document-name',
    PORT_FORWARDING_DOCUMENT,
    '--parameters',
    `portNumber=${KUBE_API_PORT},localPortNumber=${localPort}`,
  ];
}

/** The first (in sorted order) running control-plane instance of the cell; a coded error when there is none. */
export async function findControlPlaneInstance(flag: FlagIdentity, cell: string, env: Env): Promise<string> {
  const text = await runAws(controlPlaneInstancesArgs(flag, cell), env);
  const ids = text.split(/\s+/).filter((word) => INSTANCE_ID.test(word));
  const first = ids.sort()[0];
  if (first !== undefined) return first;
  const tags = Object.entries(controlPlaneInstanceTags(flag, cell)).map(([k, v]) => `${k}=${v}`);
  throw clusterAccessError(
    ClusterAccessErrorCode.TUNNEL_NO_CONTROL_PLANE,
    'external',
    `cell ${cell} of ${flag.id} has no running control-plane instance in ${flag.region} (tags ${tags.join(', ')}): ` +
      `is the cell applied, and its control-plane Auto Scaling group healthy?`,
  );
}

export interface TunnelOptions {
  readonly flag: FlagIdentity;
  readonly cell: string;
  /** The environment `aws` runs with (`KITT_AWS` names a stand-in). */
  readonly env: Env;
  /** How long the session has to accept connections on its local port. @default TUNNEL_OPEN_TIMEOUT_MS */
  readonly openTimeoutMs?: number;
  /** The local port. @default one the kernel finds free */
  readonly localPort?: number;
}

export interface Tunnel {
  readonly instanceId: string;
  readonly localPort: number;
  /** `https://127.0.0.1:<localPort>`: the API's URL through the tunnel. */
  readonly url: string;
  /** Rejects with TUNNEL_SESSION_ENDED should the session end before `close`. */
  readonly ended: Promise<never>;
  /** Ends the session (its whole process group). Idempotent. */
  close(): Promise<void>;
}

/** Opens a tunnel (see the module comment). On any failure, the session is already ended. */
export async function openTunnel(options: TunnelOptions): Promise<Tunnel> {
  const { flag, cell, env } = options;
  const instanceId = await findControlPlaneInstance(flag, cell, env);
  const localPort = options.localPort ?? (await freeLocalPort());
  if (options.localPort !== undefined) await checkPortFree(localPort);
  const binary = awsBinary(env);
  const args = portForwardingArgs(instanceId, localPort, flag.region);
  const session = startSessionProcess(binary, args, env);
  const what = `the SSM session to ${instanceId} (cell ${cell} of ${flag.id})`;
  try {
    await waitUntilOpen(session, localPort, options.openTimeoutMs ?? TUNNEL_OPEN_TIMEOUT_MS, binary, what);
  } catch (error) {
    await session.stop();
    throw error;
  }
  let closing = false;
  const ended = session.exited.then(() => {
    if (!closing) throw sessionEnded(session, what);
    return new Promise<never>(() => {});
  });
  ended.catch(() => {}); // read by whoever awaits it; never an unhandled rejection
  return {
    instanceId,
    localPort,
    url: `https://127.0.0.1:${localPort}`,
    ended,
    async close() {
      closing = true;
      await session.stop();
    },
  };
}

/** Opens a tunnel, runs `use` with it, and closes it whatever `use` does. */
export async function withTunnel<T>(options: TunnelOptions, use: (tunnel: Tunnel) => Promise<T>): Promise<T> {
  const tunnel = await openTunnel(options);
  try {
    return await use(tunnel);
  } finally {
    await tunnel.close();
  }
}

async function waitUntilOpen(
  session: SessionProcess,
  port: number,
  timeoutMs: number,
  binary: string,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (session.ended?.startError) {
      const code = (session.ended.startError as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw awsCliNotFound(binary);
      throw sessionEnded(session, what);
    }
    if (session.ended) throw sessionEnded(session, what);
    if (await accepts(port)) return;
    if (Date.now() >= deadline) {
      const said = session.output();
      throw clusterAccessError(
        ClusterAccessErrorCode.TUNNEL_OPEN_TIMEOUT,
        'external',
        `${what} did not accept connections on 127.0.0.1:${port} within ${Math.round(timeoutMs / 1000)} s` +
          `${said ? `; it said: ${capped(said)}` : ''}. Is session-manager-plugin installed, and the instance's SSM agent online?`,
      );
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, POLL_MS)), session.exited]);
  }
}

function sessionEnded(session: SessionProcess, what: string) {
  const how = session.ended?.startError
    ? `could not start: ${session.ended.startError.message}`
    : session.ended?.signal
      ? `was killed by ${session.ended.signal}`
      : `exited with code ${String(session.ended?.code)}`;
  const said = session.output();
  return clusterAccessError(
    ClusterAccessErrorCode.TUNNEL_SESSION_ENDED,
    'external',
    `${what} ended: aws ssm start-session ${how}${said ? `: ${capped(said)}` : ''}`,
  );
}

/** True when something accepts a TCP connection on 127.0.0.1:`port` (closed at once). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Refuses a port something listens on already: the check for an open tunnel would connect to that instead. */
async function checkPortFree(port: number): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  } catch (error) {
    throw clusterAccessError(
      ClusterAccessErrorCode.TUNNEL_PORT_BUSY,
      'input',
      `local port ${port} cannot be used for the tunnel (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): is another kitt tunnel open? Choose another with --port`,
    );
  }
  await new Promise((resolve) => server.close(resolve));
}

/** A port nothing listens on now (the kernel's choice), for the session's local end. */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
