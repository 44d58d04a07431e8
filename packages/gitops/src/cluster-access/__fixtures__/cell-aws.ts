import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The stand-in aws of a cell's instances (see the header of `cell-aws/aws`). */
export const CELL_AWS = path.join(__dirname, 'cell-aws', 'aws');

export interface StandInInstance {
  readonly id: string;
  readonly role: 'etcd' | 'control-plane' | 'worker';
  readonly member?: number;
  readonly state: string;
  readonly dns: string;
}

export interface StandInState {
  readonly next: number;
  readonly instances: StandInInstance[];
  readonly etcdHealthy: boolean;
  readonly successorHealthFailures?: number;
  readonly failMatching?: string;
  readonly commands: Record<string, { readonly instance: string; readonly outcome: { readonly Status: string } }>;
}

/** Three etcd members, three controllers and two workers, all running, etcd healthy. */
export function healthyCell(changes: Partial<StandInState> = {}): StandInState {
  const instance = (id: string, role: StandInInstance['role'], member?: number): StandInInstance => ({
    id,
    role,
    ...(member === undefined ? {} : { member }),
    state: 'running',
    dns: `${id.replace('i-', 'ip-')}.ec2.internal`,
  });
  return {
    next: 0,
    instances: [
      instance('i-0e000000000000000', 'etcd', 0),
      instance('i-0e000000000000001', 'etcd', 1),
      instance('i-0e000000000000002', 'etcd', 2),
      instance('i-0c000000000000000', 'control-plane'),
      instance('i-0c000000000000001', 'control-plane'),
      instance('i-0c000000000000002', 'control-plane'),
      instance('i-0a000000000000000', 'worker'),
      instance('i-0a000000000000001', 'worker'),
    ],
    etcdHealthy: true,
    commands: {},
    ...changes,
  };
}

/** What happened, in order: `terminate <id>`, or `<kind> <instance> <status>` for each SSM command. */
export function events(logFile: string, stateFile: string): string[] {
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as StandInState;
  const outcomes = Object.values(state.commands).map((command) => command.outcome.Status);
  const calls = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { args: string[] }).args);
  const option = (args: string[], name: string) => args[args.indexOf(name) + 1] ?? '';
  let sent = 0;
  return calls.flatMap((args) => {
    if (args[1] === 'terminate-instance-in-auto-scaling-group') return [`terminate ${option(args, '--instance-id')}`];
    if (args[1] !== 'send-command') return [];
    const script = (JSON.parse(option(args, '--parameters')) as { commands: string[] }).commands.join('\n');
    const kind = script.includes('etcd-health.sh')
      ? 'health'
      : script.includes('upgrade apply')
        ? 'upgrade'
        : script.includes(' drain ')
          ? 'drain'
          : script.includes(' wait ')
            ? 'ready'
            : (/etcd-restore\.sh|systemctl stop|systemctl start|s3 cp|\bmv\b/.exec(script)?.[0] ?? 'other');
    return [`${kind} ${option(args, '--instance-ids')} ${outcomes[sent++] ?? 'refused'}`];
  });
}

export function writeState(file: string, state: StandInState): void {
  writeFileSync(file, JSON.stringify(state, null, 2));
}
