import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  installScripts,
  itWithEtcd,
  removeDir,
  run,
  startCluster,
  stopAll,
  stopMember,
  waitFor,
  type Member,
} from '@kitt/cell-layer/src/etcd-ops/__fixtures__/etcd-cluster';
import { ETCD_HEALTH_SCRIPT_NAME } from '@kitt/cell-layer';
import type { AwsRunner } from './aws-cli';
import { roll } from './roll';

/**
 * `kitt roll`'s gate against a real three-member etcd: the aws calls are
 * answered in-process, and SSM Run Command runs its commands here with
 * bash, so the gate is the real etcd-health.sh against real members.
 */

let dir: string;
let scripts: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kitt-roll-etcd-'));
  scripts = installScripts(join(dir, 'bin'));
});
afterEach(async () => {
  await stopAll();
  removeDir(dir);
});

const flag = { id: 'payments-prod-us-east-1', customer: 'payments', environment: 'prod', region: 'us-east-1' };

/** The aws CLI of a cell of three etcd instances, whose Run Command runs here; terminating is recorded and stops the roll. */
function localAws(calls: string[][]): AwsRunner {
  const outcomes = new Map<string, { Status: string; ResponseCode: number; StandardOutputContent: string }>();
  return async (args) => {
    calls.push([...args]);
    const option = (name: string) => args[args.indexOf(name) + 1] ?? '';
    if (args[1] === 'describe-instances') {
      const Instances = [0, 1, 2].map((member) => ({
        InstanceId: `i-0e00000000000000${member}`,
        PrivateDnsName: `etcd-${member}.internal`,
        State: { Name: 'running' },
        Tags: [{ Key: 'kitt:etcd-member', Value: String(member) }],
      }));
      return JSON.stringify({ Reservations: [{ Instances }] });
    }
    if (args[1] === 'send-command') {
      const { commands } = JSON.parse(option('--parameters')) as { commands: string[] };
      const result = await run('bash', ['-c', commands.join('\n')]);
      const id = `00000000-0000-4000-8000-${String(outcomes.size).padStart(12, '0')}`;
      outcomes.set(id, {
        Status: result.status === 0 ? 'Success' : 'Failed',
        ResponseCode: result.status ?? -1,
        StandardOutputContent: result.stdout,
      });
      return id;
    }
    if (args[1] === 'get-command-invocation') return JSON.stringify(outcomes.get(option('--command-id')));
    if (args[1] === 'terminate-instance-in-auto-scaling-group')
      throw new Error('terminated: the gate let the roll start');
    throw new Error(`unexpected aws ${args.join(' ')}`);
  };
}

async function rollEtcd(endpoints: readonly string[], calls: string[][]): Promise<unknown> {
  try {
    await roll(
      {
        flag,
        cell: 'a1',
        target: 'etcd',
        kubernetesVersion: '1.34.2',
        etcdHealth: [join(scripts, ETCD_HEALTH_SCRIPT_NAME), ...endpoints],
      },
      { aws: localAws(calls), sleep: async () => undefined, log: () => undefined, pollMs: 0 },
    );
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("kitt roll's etcd gate against a real etcd", () => {
  itWithEtcd('lets the roll start on a healthy three-member cluster', async () => {
    const cluster = await startCluster(dir, 'gate-open');
    await waitFor('the health script to pass', async () => {
      const result = await run(join(scripts, ETCD_HEALTH_SCRIPT_NAME), cluster.endpoints);
      return result.status === 0;
    });
    const calls: string[][] = [];
    const error = await rollEtcd(cluster.endpoints, calls);
    expect((error as Error).message).toBe('terminated: the gate let the roll start');
  });

  itWithEtcd('refuses to start with two members stopped, terminating nothing', async () => {
    const cluster = await startCluster(dir, 'gate-closed');
    const [first, second] = cluster.members as [Member, Member, Member];
    await stopMember(first);
    await stopMember(second);
    const calls: string[][] = [];
    const error = await rollEtcd(cluster.endpoints, calls);
    expect(error).toMatchObject({ code: 'ROLL_ETCD_UNHEALTHY' });
    expect((error as Error).message).toContain('"healthy":false');
    expect(calls.filter((args) => args[1] === 'terminate-instance-in-auto-scaling-group')).toEqual([]);
  });
});
