import { KittError } from '@kitt/flag-config';
import type { CellBootstrapConfig } from '../bootstrap/config';
import { validateBootstrapConfig } from '../bootstrap/config';
import { ETCD_MEMBER_ETCDCTL_ENV } from '../bootstrap/day-two';
import { ETCD_CLIENT_PORT, ETCD_PEER_PORT, etcdMemberName } from '../bootstrap/etcd';
import { SCRIPT_DIR } from '../bootstrap/shell';
import { ETCD_HEALTH_SCRIPT_NAME, ETCD_RESTORE_SCRIPT_NAME } from './scripts';

/** Stable code of a snapshot location a restore cannot use. */
export const ETCD_SNAPSHOT_INVALID = 'ETCD_SNAPSHOT_INVALID';

export class EtcdRestoreError extends KittError {
  constructor(message: string) {
    super({ code: ETCD_SNAPSHOT_INVALID, kind: 'input', message });
  }
}

/** One member of the cluster a restore rebuilds. */
export interface RestoreMember {
  /** `--name`, e.g. `etcd-0`. */
  readonly name: string;
  readonly peerUrl: string;
  readonly clientUrl: string;
  /** The member's data directory: set aside, then written fresh by the restore. */
  readonly dataDir: string;
}

export type RestoreStepKind = 'stop' | 'download' | 'set-aside' | 'restore' | 'start' | 'wait-healthy';

/** One command of a restore, run on one member (or, for `wait-healthy`, anywhere that reaches all three). */
export interface RestoreStep {
  readonly kind: RestoreStepKind;
  /** The member it runs on; absent for `wait-healthy`. */
  readonly member?: string;
  readonly description: string;
  readonly argv: readonly string[];
}

export interface RestoreStepsInput {
  readonly members: readonly RestoreMember[];
  /** `s3://bucket/key` of the snapshot. */
  readonly snapshotUrl: string;
  /** Where each member keeps the downloaded snapshot. */
  readonly snapshotFile: string;
  /** A token no earlier cluster of the cell used, so that old and restored members never mix. */
  readonly clusterToken: string;
  /** Suffix of the set-aside data directories. */
  readonly stamp: string;
  /** Where the etcd-ops scripts are installed. */
  readonly scriptDir: string;
  /** Environment for etcdctl (TLS files), as `NAME=value`, put before the scripts that call it. */
  readonly etcdctlEnv: readonly string[];
  /** Commands that stop and start the member's etcd. */
  readonly stopCommand: readonly string[];
  readonly startCommand: readonly string[];
}

/**
 * The ordered steps of a restore: every member stops before any is
 * restored (a running member would rejoin the old cluster), every member is
 * restored before any starts, and the cluster must be healthy at the end.
 */
export function restoreSteps(input: RestoreStepsInput): RestoreStep[] {
  const { members } = input;
  const initialCluster = members.map((member) => `${member.name}=${member.peerUrl}`).join(',');
  const withEnv = (argv: readonly string[]): string[] =>
    input.etcdctlEnv.length === 0 ? [...argv] : ['env', ...input.etcdctlEnv, ...argv];
  const each = (kind: RestoreStepKind, describe: (m: RestoreMember) => string, argv: (m: RestoreMember) => string[]) =>
    members.map(
      (member): RestoreStep => ({ kind, member: member.name, description: describe(member), argv: argv(member) }),
    );
  return [
    ...each(
      'stop',
      (m) => `stop etcd on ${m.name}`,
      () => [...input.stopCommand],
    ),
    ...each(
      'download',
      (m) => `download ${input.snapshotUrl} to ${m.name}`,
      () => ['aws', 's3', 'cp', '--only-show-errors', input.snapshotUrl, input.snapshotFile],
    ),
    ...each(
      'set-aside',
      (m) => `move ${m.name}'s data directory aside`,
      (m) => ['mv', m.dataDir, `${m.dataDir}.before-restore-${input.stamp}`],
    ),
    ...each(
      'restore',
      (m) => `restore ${m.name} from the snapshot into a fresh data directory`,
      (m) =>
        withEnv([
          `${input.scriptDir}/${ETCD_RESTORE_SCRIPT_NAME}`,
          '--snapshot',
          input.snapshotFile,
          '--name',
          m.name,
          '--initial-cluster',
          initialCluster,
          '--initial-cluster-token',
          input.clusterToken,
          '--initial-advertise-peer-urls',
          m.peerUrl,
          '--data-dir',
          m.dataDir,
        ]),
    ),
    ...each(
      'start',
      (m) => `start etcd on ${m.name}`,
      () => [...input.startCommand],
    ),
    {
      kind: 'wait-healthy',
      description: 'wait until all three members are healthy with one leader (repeat until it exits 0)',
      argv: withEnv([`${input.scriptDir}/${ETCD_HEALTH_SCRIPT_NAME}`, ...members.map((member) => member.clientUrl)]),
    },
  ];
}

const SNAPSHOT_URL =
  /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)*([a-z][a-z0-9]{0,7})\/[A-Za-z0-9][A-Za-z0-9._-]*\.db$/;

export interface RestorePlanOptions {
  /** When the restore is planned; names the new cluster token and the set-aside directories. @default now */
  readonly now?: Date;
}

/** `20261202T053000Z`, as the snapshot script names its files. */
function compactTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** What a restore needs of a cell: its identity and its three members' plan addresses. */
export type RestoreTarget = Pick<CellBootstrapConfig, 'flagId' | 'cell' | 'etcdMembers'>;

/**
 * The restore of a cell's etcd from `s3://<bucket>/<key>.db` onto the three
 * plan members (TLS, ports 2379/2380, data in `/var/lib/etcd/data`), run
 * through systemd and the scripts installed in the kitt script directory.
 */
export function restorePlan(
  config: CellBootstrapConfig,
  snapshotUrl: string,
  options: RestorePlanOptions = {},
): RestoreStep[] {
  validateBootstrapConfig(config);
  return restorePlanOf(config, snapshotUrl, options);
}

/** `restorePlan` for a target taken from a validated `flag.yaml` and its network plan. */
export function restorePlanOf(
  config: RestoreTarget,
  snapshotUrl: string,
  options: RestorePlanOptions = {},
): RestoreStep[] {
  const cell = SNAPSHOT_URL.exec(snapshotUrl)?.[1];
  if (cell === undefined) {
    throw new EtcdRestoreError(
      `Not an etcd snapshot location: ${JSON.stringify(snapshotUrl)} (expected s3://<bucket>/<prefix>/<cell>/<timestamp>.db).`,
    );
  }
  // Restoring another cell's snapshot would hand this cell another cluster's state.
  if (cell !== config.cell) {
    throw new EtcdRestoreError(`The snapshot ${snapshotUrl} is of cell ${cell}, not of cell ${config.cell}.`);
  }
  const stamp = compactTimestamp(options.now ?? new Date());
  return restoreSteps({
    members: config.etcdMembers.map((member) => ({
      name: etcdMemberName(member),
      peerUrl: `https://${member.ip}:${ETCD_PEER_PORT}`,
      clientUrl: `https://${member.ip}:${ETCD_CLIENT_PORT}`,
      dataDir: '/var/lib/etcd/data',
    })),
    snapshotUrl,
    snapshotFile: '/var/lib/etcd/restore.db',
    clusterToken: `kitt-${config.flagId}-${config.cell}-restored-${stamp}`,
    stamp,
    scriptDir: SCRIPT_DIR,
    etcdctlEnv: [...ETCD_MEMBER_ETCDCTL_ENV],
    stopCommand: ['systemctl', 'stop', 'etcd.service'],
    // etcd reports ready only with a quorum: start all three without waiting on each.
    startCommand: ['systemctl', 'start', '--no-block', 'etcd.service'],
  });
}

/**
 * The health check `kitt roll` waits on, as run on an etcd member (its own
 * certificate is a client certificate): exit 0 only with three healthy,
 * started members and one leader.
 */
export function etcdHealthCommand(config: Pick<CellBootstrapConfig, 'etcdMembers'>): string[] {
  return [
    'env',
    ...ETCD_MEMBER_ETCDCTL_ENV,
    `${SCRIPT_DIR}/${ETCD_HEALTH_SCRIPT_NAME}`,
    ...config.etcdMembers.map((member) => `https://${member.ip}:${ETCD_CLIENT_PORT}`),
  ];
}
