import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { decideTool, type DebianTool } from '../../bootstrap/__fixtures__/debian-tool';
import { ETCD_OPS_SCRIPTS } from '../scripts';

/**
 * Real etcd clusters for tests: three members on 127.0.0.1, plain HTTP,
 * free ports, data in a temporary directory. Every member is a child
 * process that `stopAll` kills; every wait is bounded in time.
 */

export const ETCD_TOOLS: readonly DebianTool[] = [
  { command: 'etcd', debianPackage: 'etcd-server' },
  { command: 'etcdctl', debianPackage: 'etcd-client' },
];

/** Longest any single command or wait may take. */
const COMMAND_TIMEOUT_MS = 20_000;

/** `it` for a test that needs etcd and etcdctl: skipped naming the packages when absent, failing under CI=true. */
export function itWithEtcd(name: string, test: () => Promise<void>, timeoutMs = 60_000): void {
  const missing = ETCD_TOOLS.map((tool) => decideTool(tool)).filter((decision) => decision.action !== 'run');
  if (missing.length === 0) {
    it(name, test, timeoutMs);
  } else if (missing.some((decision) => decision.action === 'fail')) {
    const messages = missing.map((decision) => ('message' in decision ? decision.message : '')).join('; ');
    it(name, () => {
      throw new Error(`${messages}; CI=true requires them`);
    });
  } else {
    console.log(`skipping "${name}": ${missing.map((d) => ('message' in d ? d.message : '')).join('; ')}`);
    it.skip(name, () => undefined);
  }
}

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (bounded), never throwing on a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = COMMAND_TIMEOUT_MS,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { ...process.env, ETCDCTL_API: '3', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => resolve({ status: null, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function etcdctl(endpoints: readonly string[], args: readonly string[]): Promise<CommandResult> {
  return run('etcdctl', ['--dial-timeout=2s', '--command-timeout=5s', `--endpoints=${endpoints.join(',')}`, ...args]);
}

/** Polls `check` until it returns true, failing after `timeoutMs` with `what` and the last detail. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = COMMAND_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Member {
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly dataDir: string;
  readonly logFile: string;
}

const running = new Map<string, ChildProcess>();

/** Starts a member's etcd; `initialCluster` and `state` matter only for an empty data directory. */
export function startMember(
  member: Member,
  initialCluster: string,
  options: { readonly state?: 'new' | 'existing'; readonly token?: string } = {},
): void {
  if (running.has(member.dataDir)) throw new Error(`${member.name} is already running`);
  const log = openSync(member.logFile, 'a');
  const child = spawn(
    'etcd',
    [
      `--name=${member.name}`,
      `--data-dir=${member.dataDir}`,
      `--listen-client-urls=${member.clientUrl}`,
      `--advertise-client-urls=${member.clientUrl}`,
      `--listen-peer-urls=${member.peerUrl}`,
      `--initial-advertise-peer-urls=${member.peerUrl}`,
      `--initial-cluster=${initialCluster}`,
      `--initial-cluster-state=${options.state ?? 'new'}`,
      `--initial-cluster-token=${options.token ?? 'kitt-test'}`,
      '--logger=zap',
      '--log-level=warn',
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  running.set(member.dataDir, child);
  child.on('exit', () => running.delete(member.dataDir));
}

/** Stops a member's etcd (SIGTERM, then SIGKILL after 5 s) and waits until the process is gone. */
export async function stopMember(member: Member): Promise<void> {
  const child = running.get(member.dataDir);
  if (child === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
  clearTimeout(killer);
  clearTimeout(timer);
  running.delete(member.dataDir);
}

/** Kills every member any test started. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(resolve, 5_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGKILL');
        }),
    ),
  );
  running.clear();
}

export class Cluster {
  constructor(
    readonly dir: string,
    readonly members: readonly Member[],
  ) {}

  get endpoints(): string[] {
    return this.members.map((member) => member.clientUrl);
  }

  get initialCluster(): string {
    return this.members.map((member) => `${member.name}=${member.peerUrl}`).join(',');
  }

  /** Every member's log, for a failure message. */
  logs(): string {
    return this.members.map((member) => `--- ${member.name}\n${readFileSync(member.logFile, 'utf8').slice(-3000)}`).join('\n');
  }
}

/** Three members' names, ports and directories under `dir` (nothing started). */
export async function defineCluster(dir: string, label: string): Promise<Cluster> {
  const members: Member[] = [];
  for (const index of [0, 1, 2]) {
    const name = `etcd-${index}`;
    const base = join(dir, `${label}-${name}`);
    mkdirSync(base, { recursive: true });
    members.push({
      name,
      clientUrl: `http://127.0.0.1:${await freePort()}`,
      peerUrl: `http://127.0.0.1:${await freePort()}`,
      dataDir: join(base, 'data'),
      logFile: join(base, 'etcd.log'),
    });
  }
  return new Cluster(dir, members);
}

/** Waits until every member answers a quorum read. */
export async function waitForQuorum(cluster: Cluster, members: readonly Member[] = cluster.members): Promise<void> {
  for (const member of members) {
    await waitFor(`${member.name} to serve a quorum read`, async () => {
      const result = await etcdctl([member.clientUrl], ['get', '--consistency=l', 'kitt-probe']);
      return result.status === 0;
    });
  }
}

/** Starts a new three-member cluster and waits until it serves quorum reads on every member. */
export async function startCluster(dir: string, label: string): Promise<Cluster> {
  const cluster = await defineCluster(dir, label);
  for (const member of cluster.members) startMember(member, cluster.initialCluster);
  await waitForQuorum(cluster);
  return cluster;
}

/** Writes the etcd-ops scripts into `dir` as executables; returns the directory. */
export function installScripts(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of ETCD_OPS_SCRIPTS) {
    writeFileSync(join(dir, name), content);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
