import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defineCluster,
  etcdctl,
  freePort,
  installScripts,
  itWithEtcd,
  removeDir,
  run,
  startCluster,
  startMember,
  stopAll,
  stopMember,
  waitFor,
  type Cluster,
  type CommandResult,
  type Member,
} from './__fixtures__/etcd-cluster';
import { exampleConfig } from '../bootstrap/__fixtures__/example-config';
import { restorePlan, restoreSteps } from './restore-plan';
import { ETCD_HEALTH_SCRIPT_NAME, ETCD_SNAPSHOT_SCRIPT_NAME } from './scripts';

let dir: string;
let scripts: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kitt-etcd-ops-'));
  scripts = installScripts(join(dir, 'bin'));
});
afterEach(async () => {
  await stopAll();
  removeDir(dir);
});

function health(endpoints: readonly string[]) {
  return run(join(scripts, ETCD_HEALTH_SCRIPT_NAME), endpoints);
}

async function waitHealthy(cluster: Cluster): Promise<void> {
  await waitFor('the health script to pass', async () => (await health(cluster.endpoints)).status === 0);
}

/** A linearizable read through `members`: it needs a quorum of the whole cluster. */
async function expectQuorumRead(members: readonly Member[], key = 'kitt-probe'): Promise<string> {
  const result = await etcdctl(
    members.map((member) => member.clientUrl),
    ['get', '--consistency=l', '--print-value-only', key],
  );
  expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
    status: 0,
    stderr: '',
  });
  return result.stdout.trim();
}

/** Fails with the command's stderr unless it exited 0. */
function expectSuccess(result: CommandResult): void {
  expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
    status: 0,
    stderr: '',
  });
}

/** `id, started, name, peer, client, learner` lines of `member list -w simple`. */
async function memberIds(members: readonly Member[]): Promise<Map<string, string>> {
  const result = await etcdctl(
    members.map((member) => member.clientUrl),
    ['member', 'list', '-w', 'simple'],
  );
  expect(result.status).toBe(0);
  return new Map(
    result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(', '))
      .map(([id = '', , name = '']) => [name, id]),
  );
}

describe('etcd-health.sh against a real etcd', () => {
  itWithEtcd('passes on a healthy three-member cluster with one leader', async () => {
    const cluster = await startCluster(dir, 'healthy');
    await waitHealthy(cluster);
    const result = await health(cluster.endpoints);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      healthy: true,
      leaders: 1,
      members: 3,
      startedMembers: 3,
      unhealthy: [],
    });
  });

  itWithEtcd('refuses when two members are down, naming their endpoints', async () => {
    const cluster = await startCluster(dir, 'broken');
    await waitHealthy(cluster);
    const [first, second] = cluster.members as [Member, Member, Member];
    await stopMember(first);
    await stopMember(second);
    const result = await health(cluster.endpoints);
    expect(result.status).toBe(1);
    const verdict = JSON.parse(result.stdout) as { healthy: boolean; unhealthy: string[] };
    expect(verdict.healthy).toBe(false);
    expect(verdict.unhealthy).toEqual(expect.arrayContaining([first.clientUrl, second.clientUrl]));
    expect(result.stderr).toContain(first.clientUrl);
    expect(result.stderr).toContain(second.clientUrl);
  });
});

describe('snapshot and restore against a real etcd', () => {
  itWithEtcd(
    'a snapshot taken by the leader while writing restores into a fresh cluster with every earlier key',
    async () => {
      const cluster = await startCluster(dir, 'source');
      await waitHealthy(cluster);

      // The writer prints the index of each acknowledged put; it stops at the stop file or after 3000 puts.
      const stopFile = join(dir, 'stop-writer');
      const writer = spawn(
        'bash',
        [
          '-c',
          `i=0; while [ ! -e "$1" ] && [ "$i" -lt 3000 ]; do
           if etcdctl --dial-timeout=2s --command-timeout=3s --endpoints="$2" put "key-$i" "value-$i" >/dev/null; then
             echo "$i"; i=$((i + 1)); fi; done`,
          'writer',
          stopFile,
          cluster.endpoints.join(','),
        ],
        { env: { ...process.env, ETCDCTL_API: '3' }, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let acknowledged = 0;
      writer.stdout.on('data', (chunk: Buffer) => (acknowledged += chunk.toString().split('\n').length - 1));
      const writerDone = new Promise<void>((resolve) => writer.once('exit', () => resolve()));
      try {
        await waitFor('the writer to put 20 keys', async () => acknowledged >= 20);
        const beforeSnapshot = acknowledged;

        const bucketRoot = join(dir, 'bucket-root');
        removeDir(bucketRoot);
        await run('mkdir', ['-p', bucketRoot]);
        const results = await Promise.all(
          cluster.endpoints.map((endpoint) =>
            run(join(scripts, ETCD_SNAPSHOT_SCRIPT_NAME), [endpoint, 'kitt-snapshots', 'etcd', 'a'], {
              KITT_SNAPSHOT_UPLOAD: 'cp',
              KITT_SNAPSHOT_DIR: bucketRoot,
            }),
          ),
        );
        expect(results.map((result) => result.status)).toEqual([0, 0, 0]);
        const verdicts = results.map((result) => JSON.parse(result.stdout) as { snapshot?: string; skipped?: boolean });
        expect(verdicts.filter((verdict) => verdict.skipped === true)).toHaveLength(2);
        const taken = verdicts.filter((verdict) => verdict.snapshot !== undefined);
        expect(taken).toHaveLength(1);
        const snapshotUrl = taken[0]?.snapshot ?? '';
        expect(snapshotUrl).toMatch(/^s3:\/\/kitt-snapshots\/etcd\/a\/\d{8}T\d{6}Z\.db$/);
        // The restore plan takes the location the script printed.
        expect(() => restorePlan(exampleConfig, snapshotUrl)).not.toThrow();
        const snapshotFile = join(bucketRoot, snapshotUrl.slice('s3://'.length));
        expect(existsSync(snapshotFile)).toBe(true);

        // Writes went on while the snapshot ran.
        await waitFor('the writer to go on writing', async () => acknowledged > beforeSnapshot + 5);
        writeFileSync(stopFile, '');
        await writerDone;

        // Restore: the old cluster stops, a fresh one is restored member by member, then starts.
        await Promise.all(cluster.members.map(stopMember));
        const fresh = await defineCluster(dir, 'restored');
        const steps = restoreSteps({
          members: fresh.members,
          snapshotUrl,
          snapshotFile,
          clusterToken: 'kitt-test-restored',
          stamp: 'test',
          scriptDir: scripts,
          etcdctlEnv: [],
          stopCommand: ['true'],
          startCommand: ['true'],
        });
        for (const step of steps.filter((candidate) => candidate.kind === 'restore')) {
          const [command = '', ...args] = step.argv;
          const result = await run(command, args);
          expect({
            step: step.description,
            status: result.status,
            stderr: result.status === 0 ? '' : result.stderr,
          }).toEqual({
            step: step.description,
            status: 0,
            stderr: '',
          });
        }
        for (const member of fresh.members) startMember(member, fresh.initialCluster, { token: 'kitt-test-restored' });
        const wait = steps.at(-1);
        expect(wait?.kind).toBe('wait-healthy');
        const [waitCommand = '', ...waitArgs] = wait?.argv ?? [];
        await waitFor(
          'the restored cluster to be healthy',
          async () => (await run(waitCommand, waitArgs)).status === 0,
        );

        const ids = await memberIds(fresh.members);
        expect([...ids.keys()].sort()).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
        const listed = await etcdctl(fresh.endpoints, ['get', '--prefix', '--keys-only', 'key-']);
        expect(listed.status).toBe(0);
        const keys = new Set(listed.stdout.split('\n').filter(Boolean));
        const missing = Array.from({ length: beforeSnapshot }, (_, i) => `key-${i}`).filter((key) => !keys.has(key));
        expect(missing).toEqual([]);
        expect(await expectQuorumRead(fresh.members, `key-${beforeSnapshot - 1}`)).toBe(`value-${beforeSnapshot - 1}`);
      } finally {
        writeFileSync(stopFile, '');
        writer.kill('SIGKILL');
      }
    },
  );
});

describe('etcd-snapshot.sh against a real etcd', () => {
  itWithEtcd('uploads with aws s3 cp by default, a snapshot etcdctl can read', async () => {
    const cluster = await startCluster(dir, 'upload');
    await waitHealthy(cluster);
    // A stand-in aws records its arguments and keeps a copy of the file it was given.
    const fakes = join(dir, 'fakes');
    await run('mkdir', ['-p', fakes]);
    writeFileSync(
      join(fakes, 'aws'),
      `#!/bin/sh\nprintf '%s\\n' "$@" >"${dir}/aws-args"\ncp "$4" "${dir}/uploaded.db"\n`,
      { mode: 0o755 },
    );
    const env = { PATH: `${fakes}:${process.env['PATH'] ?? ''}` };
    const results = await Promise.all(
      cluster.endpoints.map((endpoint) =>
        run(join(scripts, ETCD_SNAPSHOT_SCRIPT_NAME), [endpoint, 'kitt-snapshots', 'etcd', 'a'], env),
      ),
    );
    expect(results.map((result) => result.status)).toEqual([0, 0, 0]);
    const url = results.map((result) => (JSON.parse(result.stdout) as { snapshot?: string }).snapshot).find(Boolean);
    const args = readFileSync(join(dir, 'aws-args'), 'utf8').trim().split('\n');
    expect(args).toEqual(['s3', 'cp', '--only-show-errors', expect.stringMatching(/\/snapshot\.db$/), url]);
    expectSuccess(await run('etcdctl', ['snapshot', 'status', join(dir, 'uploaded.db')]));
    // The temporary snapshot is gone.
    expect(existsSync(args[3] ?? '')).toBe(false);
  });

  itWithEtcd('fails when it cannot ask its own member whether it leads', async () => {
    const port = await freePort();
    const result = await run(join(scripts, ETCD_SNAPSHOT_SCRIPT_NAME), [
      `http://127.0.0.1:${port}`,
      'kitt-snapshots',
      'etcd',
      'a',
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
  });
});

describe('member replacement against a real etcd', () => {
  itWithEtcd(
    'replacing one member at a time never loses quorum: a writer and reader succeed throughout',
    async () => {
      const cluster = await startCluster(dir, 'rolling');
      await waitHealthy(cluster);
      const put = await etcdctl(cluster.endpoints, ['put', 'kitt-probe', 'before']);
      expectSuccess(put);

      // Each round writes a new value and reads it back linearizably through any member that answers (a stopped
      // member's clients move on, as a real client's balancer does); a round fails only when no member can: no quorum.
      const stopFile = join(dir, 'stop-loop');
      const loop = spawn(
        'bash',
        [
          '-c',
          `i=0; while [ ! -e "$1" ]; do
           ok=false
           for endpoint in $2; do
             if etcdctl --dial-timeout=1s --command-timeout=2s --endpoints="$endpoint" put roll-key "v$i" >/dev/null 2>&1 &&
               [ "$(etcdctl --dial-timeout=1s --command-timeout=2s --endpoints="$endpoint" get --consistency=l --print-value-only roll-key 2>/dev/null)" = "v$i" ]; then
               ok=true; break
             fi
           done
           if $ok; then echo "ok $i"; else echo "FAIL $i"; fi
           i=$((i + 1))
         done`,
          'loop',
          stopFile,
          cluster.endpoints.join(' '),
        ],
        { env: { ...process.env, ETCDCTL_API: '3' }, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const rounds: string[] = [];
      loop.stdout.on('data', (chunk: Buffer) => rounds.push(...chunk.toString().split('\n').filter(Boolean)));
      const loopDone = new Promise<void>((resolve) => loop.once('exit', () => resolve()));
      await waitFor('the writer and reader to complete a round', async () => rounds.length > 0);

      try {
        for (const member of cluster.members) {
          const others = cluster.members.filter((candidate) => candidate !== member);
          const ids = await memberIds(cluster.members);
          // A careful roll hands leadership away first, so the cluster never waits for an election.
          const status = await etcdctl([member.clientUrl], ['endpoint', 'status', '-w', 'simple']);
          if (status.stdout.split(', ')[4] === 'true') {
            const moved = await etcdctl([member.clientUrl], ['move-leader', ids.get(others[0]?.name ?? '') ?? '']);
            expectSuccess(moved);
          }
          expect(await expectQuorumRead(cluster.members)).toBe('before');

          await stopMember(member);
          expect(await expectQuorumRead(others)).toBe('before');

          const removed = await etcdctl(
            others.map((other) => other.clientUrl),
            ['member', 'remove', ids.get(member.name) ?? ''],
          );
          expectSuccess(removed);
          expect(await expectQuorumRead(others)).toBe('before');

          removeDir(member.dataDir);
          // etcd refuses a new member ("unhealthy cluster") until the leader has been connected to every voting member
          // for 5 seconds; a roll retries.
          let added: CommandResult | undefined;
          await waitFor(`etcd to accept ${member.name} again`, async () => {
            added = await etcdctl(
              others.map((other) => other.clientUrl),
              ['member', 'add', member.name, `--peer-urls=${member.peerUrl}`],
            );
            return added.status === 0 || !added.stderr.includes('unhealthy cluster');
          });
          expectSuccess(added as CommandResult);
          expect(await expectQuorumRead(others)).toBe('before');

          startMember(member, cluster.initialCluster, { state: 'existing' });
          await waitHealthy(cluster);
          expect(await expectQuorumRead(cluster.members)).toBe('before');
        }
        const after = await memberIds(cluster.members);
        expect([...after.keys()].sort()).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
      } finally {
        writeFileSync(stopFile, '');
        await loopDone;
      }
      expect(rounds.length).toBeGreaterThan(20);
      expect(rounds.filter((round) => !round.startsWith('ok '))).toEqual([]);
    },
    120_000,
  );
});
