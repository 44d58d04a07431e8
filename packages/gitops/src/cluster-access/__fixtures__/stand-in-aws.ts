import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The node stand-in for the aws CLI of the tunnel specs (see its header for what it answers). */
export const TUNNEL_STAND_IN_AWS = path.join(__dirname, 'tunnel-bin/aws');

/** A scratch directory for one spec: the stand-in's call log and pid file, and the environment pointing at them. */
export class StandInAws {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'kitt-aws-'));
  readonly log = path.join(this.dir, 'aws-calls.log');
  readonly pids = path.join(this.dir, 'aws-pids');

  /** The environment `aws` runs with: the stand-in, its files, and `extra` on top. */
  env(extra: Record<string, string> = {}): Record<string, string | undefined> {
    return {
      PATH: process.env.PATH,
      KITT_AWS: TUNNEL_STAND_IN_AWS,
      STAND_IN_AWS_LOG: this.log,
      STAND_IN_AWS_PIDS: this.pids,
      ...extra,
    };
  }

  /** The argument vectors it was called with, in order. */
  calls(): string[][] {
    if (!existsSync(this.log)) return [];
    return readFileSync(this.log, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line) as { args: string[] }).args);
  }

  /** The pids of every start-session it ran and of their plugins. */
  sessionPids(): number[] {
    if (!existsSync(this.pids)) return [];
    return readFileSync(this.pids, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
  }

  dispose(): void {
    for (const pid of this.sessionPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** True while `pid` runs (a zombie, waiting for its parent to reap it, has ended). */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** Waits (bounded) until none of `pids` runs; returns the ones still running. */
export async function waitUntilGone(pids: readonly number[], timeoutMs = 5_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && pids.some(isRunning)) await new Promise((resolve) => setTimeout(resolve, 50));
  return pids.filter(isRunning);
}

/** A TCP server on a free loopback port that answers every connection with `reply` and closes. */
export async function replyServer(reply: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((socket) => socket.end(reply));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Everything a TCP connection to 127.0.0.1:`port` receives until it closes. */
export function readFrom(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = net.connect(port, '127.0.0.1');
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}
