import type { AwsRunner } from './aws-cli';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';

/**
 * Commands on a cell's instances through SSM Run Command
 * (`AWS-RunShellScript`), asked of the `aws` CLI: no SSH, no open port,
 * and CloudTrail records who ran what.
 */

/** One argument vector as one shell line, every word single-quoted (the document runs `sh`). */
export function shellLine(argv: readonly string[]): string {
  return argv
    .map((word) => (/^[A-Za-z0-9_./=:,@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}

/** The arguments of `aws ssm send-command` for `lines` on one instance: a pure function a test pins. */
export function sendCommandArgs(
  instanceId: string,
  lines: readonly string[],
  comment: string,
  region: string,
): string[] {
  return [
    'ssm',
    'send-command',
    '--region',
    region,
    '--instance-ids',
    instanceId,
    '--document-name',
    'AWS-RunShellScript',
    '--comment',
    comment.slice(0, 100),
    '--parameters',
    // Run Command's shell has no region of its own; the node's aws calls (a snapshot download) need the cell's.
    JSON.stringify({
      commands: ['set -eu', `export AWS_DEFAULT_REGION=${region}`, ...lines],
      executionTimeout: ['900'],
    }),
    '--query',
    'Command.CommandId',
    '--output',
    'text',
  ];
}

export interface CommandOutcome {
  /** `Success`, or the terminal status SSM reports (`Failed`, `TimedOut`, `Cancelled`, ...). */
  readonly status: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly region: string;
  /** Waits between polls of the invocation. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds between polls. @default 2000 */
  readonly pollMs?: number;
  /** Polls before giving up on an invocation that does not finish. @default 450 (15 min at 2 s) */
  readonly maxPolls?: number;
}

const PENDING = new Set(['Pending', 'InProgress', 'Delayed']);

interface Invocation {
  readonly Status?: unknown;
  readonly ResponseCode?: unknown;
  readonly StandardOutputContent?: unknown;
  readonly StandardErrorContent?: unknown;
}

/**
 * Runs `lines` on one instance and waits for the outcome. A failed command
 * is an outcome, not an error: callers decide (a health check that fails is
 * an answer). Errors are for the CLI failing or an invocation that never ends.
 */
export async function runOnInstance(
  aws: AwsRunner,
  instanceId: string,
  lines: readonly string[],
  comment: string,
  options: RunOptions,
): Promise<CommandOutcome> {
  const commandId = (await aws(sendCommandArgs(instanceId, lines, comment, options.region))).trim();
  if (!/^[0-9a-f-]{36}$/.test(commandId)) {
    throw clusterAccessError(
      ClusterAccessErrorCode.AWS_OUTPUT_INVALID,
      'external',
      `aws ssm send-command returned no command id (received ${JSON.stringify(commandId.slice(0, 80))})`,
    );
  }
  const maxPolls = options.maxPolls ?? 450;
  for (let poll = 0; poll < maxPolls; poll += 1) {
    await options.sleep(options.pollMs ?? 2000);
    let invocation: Invocation;
    try {
      invocation = JSON.parse(
        await aws([
          'ssm',
          'get-command-invocation',
          '--region',
          options.region,
          '--command-id',
          commandId,
          '--instance-id',
          instanceId,
          '--output',
          'json',
        ]),
      ) as Invocation;
    } catch (error) {
      // Right after send-command the invocation may not exist yet.
      if (String((error as Error).message).includes('InvocationDoesNotExist')) continue;
      throw error;
    }
    const status = String(invocation.Status);
    if (PENDING.has(status)) continue;
    return {
      status,
      exitCode: typeof invocation.ResponseCode === 'number' ? invocation.ResponseCode : -1,
      stdout: String(invocation.StandardOutputContent ?? ''),
      stderr: String(invocation.StandardErrorContent ?? ''),
    };
  }
  throw clusterAccessError(
    ClusterAccessErrorCode.ROLL_TIMEOUT,
    'external',
    `command ${commandId} (${comment}) on ${instanceId} did not finish after ${maxPolls} polls`,
  );
}

/** `runOnInstance` for a step that must succeed: a failure is an `SSM_COMMAND_FAILED` error with its output. */
export async function runStep(
  aws: AwsRunner,
  instanceId: string,
  lines: readonly string[],
  comment: string,
  options: RunOptions,
): Promise<CommandOutcome> {
  const outcome = await runOnInstance(aws, instanceId, lines, comment, options);
  if (outcome.status !== 'Success') {
    throw clusterAccessError(
      ClusterAccessErrorCode.SSM_COMMAND_FAILED,
      'external',
      `${comment} failed on ${instanceId} (${outcome.status}, exit ${outcome.exitCode}): ${outcome.stderr.trim().slice(-1500) || outcome.stdout.trim().slice(-1500)}`,
    );
  }
  return outcome;
}
