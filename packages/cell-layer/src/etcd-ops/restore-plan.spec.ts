import { parse } from 'yaml';
import { BootstrapConfigError } from '../bootstrap/config';
import { etcdConfigFile } from '../bootstrap/etcd';
import { configWith, exampleConfig } from '../bootstrap/__fixtures__/example-config';
import { ETCD_SNAPSHOT_INVALID, EtcdRestoreError, restorePlan } from './restore-plan';

const SNAPSHOT = 's3://kitt-acme-prod-eu-west-1-etcd/etcd/a/20261201T030000Z.db';
const NOW = new Date('2026-12-02T05:30:00.123Z');
const plan = () => restorePlan(exampleConfig, SNAPSHOT, { now: NOW });

describe('restorePlan', () => {
  it('stops every member, downloads, sets data aside, restores every member, starts every member, then waits for health', () => {
    expect(plan().map((step) => `${step.kind} ${step.member ?? '*'}`)).toEqual([
      ...['stop', 'download', 'set-aside', 'restore', 'start'].flatMap((kind) =>
        ['etcd-0', 'etcd-1', 'etcd-2'].map((member) => `${kind} ${member}`),
      ),
      'wait-healthy *',
    ]);
  });

  it('restores each member with its own name and peer URL, the three plan addresses and a new cluster token', () => {
    const restores = plan().filter((step) => step.kind === 'restore');
    const initialCluster =
      'etcd-0=https://10.0.192.10:2380,etcd-1=https://10.0.196.11:2380,etcd-2=https://10.0.200.12:2380';
    expect(restores[1]?.argv).toEqual([
      'env',
      'ETCDCTL_CACERT=/etc/etcd/pki/ca.crt',
      'ETCDCTL_CERT=/etc/etcd/pki/server.crt',
      'ETCDCTL_KEY=/etc/etcd/pki/server.key',
      '/usr/local/lib/kitt/etcd-restore.sh',
      '--snapshot',
      '/var/lib/etcd/restore.db',
      '--name',
      'etcd-1',
      '--initial-cluster',
      initialCluster,
      '--initial-cluster-token',
      'kitt-acme-prod-eu-west-1-a-restored-20261202T053000Z',
      '--initial-advertise-peer-urls',
      'https://10.0.196.11:2380',
      '--data-dir',
      '/var/lib/etcd/data',
    ]);
    const originalToken = (
      parse(etcdConfigFile(exampleConfig, exampleConfig.etcdMembers[1]!)) as Record<string, string>
    )['initial-cluster-token'];
    expect(restores[1]?.argv).not.toContain(originalToken);
  });

  it("restores into the data directory the member's etcd configuration uses, after moving the old one aside", () => {
    const dataDir = (parse(etcdConfigFile(exampleConfig, exampleConfig.etcdMembers[0]!)) as Record<string, string>)[
      'data-dir'
    ];
    const steps = plan();
    expect(steps.find((step) => step.kind === 'set-aside')?.argv).toEqual([
      'mv',
      dataDir,
      `${dataDir}.before-restore-20261202T053000Z`,
    ]);
    expect(steps.find((step) => step.kind === 'restore')?.argv.at(-1)).toBe(dataDir);
  });

  it('downloads the snapshot from S3 and waits on the health check of the three client endpoints over TLS', () => {
    const steps = plan();
    expect(steps.find((step) => step.kind === 'download')?.argv).toEqual([
      'aws',
      's3',
      'cp',
      '--only-show-errors',
      SNAPSHOT,
      '/var/lib/etcd/restore.db',
    ]);
    expect(steps.at(-1)?.argv.slice(-4)).toEqual([
      '/usr/local/lib/kitt/etcd-health.sh',
      'https://10.0.192.10:2379',
      'https://10.0.196.11:2379',
      'https://10.0.200.12:2379',
    ]);
  });

  it('starts every member without waiting on it, since etcd is ready only with a quorum', () => {
    expect(plan().find((step) => step.kind === 'start')?.argv).toEqual([
      'systemctl',
      'start',
      '--no-block',
      'etcd.service',
    ]);
  });

  it.each([
    'kitt-bucket/etcd/a/x.db',
    's3://kitt-bucket/etcd/a/x.tar',
    's3://kitt-bucket/../a/x.db',
    "s3://b'x/etcd/a/x.db",
  ])('refuses the snapshot location %j', (location) => {
    const call = () => restorePlan(exampleConfig, location);
    expect(call).toThrow(EtcdRestoreError);
    expect(call).toThrow(expect.objectContaining({ code: ETCD_SNAPSHOT_INVALID, kind: 'input' }));
  });

  it("refuses another cell's snapshot", () => {
    expect(() => restorePlan(exampleConfig, 's3://kitt-bucket/etcd/b/20261201T030000Z.db')).toThrow(
      'The snapshot s3://kitt-bucket/etcd/b/20261201T030000Z.db is of cell b, not of cell a.',
    );
  });

  it('refuses a cell configuration that fails validation', () => {
    expect(() => restorePlan(configWith({ etcdMembers: exampleConfig.etcdMembers.slice(0, 2) }), SNAPSHOT)).toThrow(
      BootstrapConfigError,
    );
  });
});
