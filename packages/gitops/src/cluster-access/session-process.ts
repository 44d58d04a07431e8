/**
 * A long-running child process that must not outlive kitt: an `aws ssm
 * start-session`, which itself runs session-manager-plugin. It gets a process
 * group of its own, so that ending it ends the plugin too (the CLI does not
 * pass SIGTERM on), and every live one is ended when kitt is interrupted
 * (SIGINT, SIGTERM) or exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';

type Env = Readonly<Record<string, string | undefined>>;

/** How long a session has to end after SIGTERM before its group gets SIGKILL. */
const TERM_GRACE_MS = 3_000;
/** Most characters of the child's output kept for messages. */
const OUTPUT_LIMIT = 4_000;

export interface SessionProcess {
  readonly pid: number | undefined;
  /** How it ended, once it has: exit code or signal; `startError` when it never started. */
  readonly ended:
    | { readonly code: number | null; readonly signal: string | null; readonly startError?: Error }
    | undefined;
  /** What it printed (stdout and stderr interleaved, the last `OUTPUT_LIMIT` characters). */
  output(): string;
  /** Resolves once it has ended (never rejects). */
  readonly exited: Promise<void>;
  /** Ends the process group: SIGTERM, then SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<SessionProcess & { killGroup(signal: NodeJS.Signals): void }>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * On SIGINT or SIGTERM, every live session's group is signalled at once
 * (synchronously, as the process may be about to go). When nobody else
 * listens for the signal, it is raised again so kitt ends as it would have.
 */
function onSignal(signal: NodeJS.Signals): void {
  for (const session of live) session.killGroup('SIGTERM');
  live.clear();
  uninstall();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
function onExit(): void {
  for (const session of live) session.killGroup('SIGKILL');
}

function install(): void {
  if (live.size !== 1) return;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
}
function uninstall(): void {
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off('exit', onExit);
}

/** Starts `binary args` in a process group of its own, registered to be ended with kitt. */
export function startSessionProcess(binary: string, args: readonly string[], env: Env): SessionProcess {
  const child: ChildProcess = spawn(binary, [...args], {
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    windowsHide: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let ended: SessionProcess['ended'];
  let markExited: () => void = () => {};
  const exited = new Promise<void>((resolve) => (markExited = resolve));
  const session = {
    pid: child.pid,
    get ended() {
      return ended;
    },
    output: () => output.trim(),
    exited,
    killGroup(signal: NodeJS.Signals) {
      if (ended !== undefined || child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    },
    async stop() {
      live.delete(session);
      if (live.size === 0) uninstall();
      if (ended !== undefined) return;
      session.killGroup('SIGTERM');
      const timer = setTimeout(() => session.killGroup('SIGKILL'), TERM_GRACE_MS);
      await exited;
      clearTimeout(timer);
      // The leader has gone; anything left of its group follows it.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Nothing was left.
        }
      }
    },
  };
  child.on('error', (startError) => {
    ended = { code: null, signal: null, startError };
    live.delete(session);
    if (live.size === 0) uninstall();
    markExited();
  });
  child.on('exit', (code, signal) => {
    ended = { code, signal };
    live.delete(session);
    if (live.size === 0) uninstall();
    markExited();
  });
  if (child.pid !== undefined) {
    live.add(session);
    install();
  }
  return session;
}
