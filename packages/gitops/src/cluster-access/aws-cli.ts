import { execFile } from 'node:child_process';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';

/** Environment variable naming the `aws` executable (a name on `PATH` or a path); tests point it at a stand-in. */
export const AWS_BINARY_ENV = 'KITT_AWS';

/** How much of the CLI's stderr a failure shows. */
const STDERR_LIMIT = 2000;

type Env = Readonly<Record<string, string | undefined>>;

/** The arguments of one `aws ssm get-parameter`: a pure function a test pins. */
export function getParameterArgs(name: string, region: string): string[] {
  return ['ssm', 'get-parameter', '--name', name, '--region', region, '--query', 'Parameter.Value', '--output', 'text'];
}

/** The `aws` executable: `KITT_AWS`, or `aws` on `PATH`. */
export function awsBinary(env: Env): string {
  return env[AWS_BINARY_ENV]?.trim() || 'aws';
}

/** `aws` was not found: the coded error, with what to do (`hint`, e.g. a flag that avoids AWS). */
export function awsCliNotFound(binary: string, hint = ''): Error {
  return clusterAccessError(
    ClusterAccessErrorCode.AWS_CLI_NOT_FOUND,
    'external',
    `the aws CLI '${binary}' was not found: install AWS CLI v2${hint ? ', ' : ' or '}set ${AWS_BINARY_ENV}${hint ? `, or ${hint}` : ''}`,
  );
}

/**
 * Runs one `aws` command and returns its stdout, so that the person's own
 * profile, SSO session and region settings apply as with any `aws` call.
 * An argument vector, never a shell. `hint` completes the not-found message.
 */
export async function runAws(args: readonly string[], env: Env, hint = ''): Promise<string> {
  const binary = awsBinary(env);
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { env: { ...env }, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 120_000, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(awsCliNotFound(binary, hint));
        const said = capped(String(stderr).trim()) || error.message;
        reject(
          clusterAccessError(
            ClusterAccessErrorCode.AWS_CLI_FAILED,
            'external',
            `${binary} ${args.join(' ')} failed (exit ${String(error.code ?? error.signal)}): ${said}`,
          ),
        );
      },
    );
  });
}

/** Runs one `aws` command (an argument vector, never a shell) and resolves with its stdout. */
export type AwsRunner = (args: readonly string[]) => Promise<string>;

/** An `AwsRunner` over the CLI named by `KITT_AWS` (default `aws`), with the caller's environment. */
export function awsCli(env: Env): AwsRunner {
  return (args) => runAws(args, env);
}

/** Reads an SSM String parameter through the `aws` CLI. */
export function readSsmParameter(name: string, region: string, env: Env): Promise<string> {
  return runAws(getParameterArgs(name, region), env, 'pass --ca-file');
}

/** `text` cut to a length a message can carry. */
export function capped(text: string): string {
  return text.length <= STDERR_LIMIT
    ? text
    : `${text.slice(0, STDERR_LIMIT)}… (${text.length - STDERR_LIMIT} more characters)`;
}
