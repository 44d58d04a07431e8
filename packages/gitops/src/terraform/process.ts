import { spawn } from 'node:child_process';

/** What a finished process left behind. */
export interface ProcessResult {
  /** Exit code; `null` when the process was killed by a signal or never started. */
  readonly exitCode: number | null;
  /** Set when the process was killed by a signal. */
  readonly signal?: string;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process could not be started at all (e.g. `ENOENT`). */
  readonly startError?: string;
}

export interface RunProcessOptions {
  readonly cwd: string;
  /** The complete environment of the child (nothing is inherited implicitly). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs `command` with `args` passed as an argument vector (no shell, so no
 * quoting to get wrong) and collects its output. Never rejects: a non-zero
 * exit is an answer for the caller to read (`plan -detailed-exitcode`).
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  return new Promise((resolveResult) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const env = Object.fromEntries(Object.entries(options.env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
    const child = spawn(command, [...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let startError: string | undefined;
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      startError = error.message;
    });
    child.on('close', (code, signal) => {
      resolveResult({
        exitCode: startError ? null : code,
        ...(signal ? { signal } : {}),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        ...(startError ? { startError } : {}),
      });
    });
  });
}
