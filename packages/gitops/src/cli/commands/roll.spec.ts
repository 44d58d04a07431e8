import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import {
  CELL_AWS,
  events,
  healthyCell,
  writeState,
  type StandInState,
} from '../../cluster-access/__fixtures__/cell-aws';
import { runKittIn } from '../__fixtures__/run-kitt';

const FLAG = 'flags/payments/prod/us-east-1';

describe('kitt roll', () => {
  let repo: TempRepo;
  let stateFile: string;
  let logFile: string;
  beforeEach(() => {
    repo = new TempRepo('kitt-roll-').copyExampleFlags().write({ 'aws-calls.log': '' });
    stateFile = path.join(repo.root, 'aws-state.json');
    logFile = path.join(repo.root, 'aws-calls.log');
  });
  afterEach(() => repo.dispose());

  const rollWith = (state: StandInState, args: readonly string[]) => {
    writeState(stateFile, state);
    return runKittIn(['roll', ...args], {
      cwd: repo.root,
      env: {
        PATH: process.env.PATH,
        KITT_AWS: CELL_AWS,
        KITT_POLL_MS: '0',
        STAND_IN_AWS_STATE: stateFile,
        STAND_IN_AWS_LOG: logFile,
      },
    });
  };
  const happened = () => events(logFile, stateFile);
  const terminations = () => happened().filter((event) => event.startsWith('terminate '));

  it('replaces the etcd members one at a time, each only after the previous successor is healthy', async () => {
    const { code, stderr } = await rollWith(healthyCell({ successorHealthFailures: 1 }), [FLAG, 'a1', 'etcd']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as StandInState;
    const successors = state.instances.filter((i) => i.role === 'etcd' && i.state === 'running').map((i) => i.id);
    expect(successors).toHaveLength(3);
    expect(happened()).toEqual([
      'health i-0e000000000000000 Success',
      'terminate i-0e000000000000000',
      `health ${successors[0]} Failed`,
      `health ${successors[0]} Success`,
      'terminate i-0e000000000000001',
      `health ${successors[1]} Failed`,
      `health ${successors[1]} Success`,
      'terminate i-0e000000000000002',
      `health ${successors[2]} Failed`,
      `health ${successors[2]} Success`,
    ]);
    // Each successor took its predecessor's member index.
    expect(state.instances.filter((i) => successors.includes(i.id)).map((i) => i.member)).toEqual([0, 1, 2]);
  });

  it('terminates in the Auto Scaling group without lowering its desired capacity, in the FLAG region', async () => {
    await rollWith(healthyCell(), [FLAG, 'a1', 'etcd']);
    const calls = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { args: string[] }).args);
    expect(calls.find((args) => args[1] === 'terminate-instance-in-auto-scaling-group')).toEqual([
      'autoscaling',
      'terminate-instance-in-auto-scaling-group',
      '--region',
      'us-east-1',
      '--instance-id',
      'i-0e000000000000000',
      '--no-should-decrement-desired-capacity',
      '--output',
      'json',
    ]);
  });

  it('checks etcd with etcd-health.sh on a member over TLS, naming the three plan addresses', async () => {
    await rollWith(healthyCell(), [FLAG, 'a1', 'workers']);
    const first = JSON.parse(readFileSync(logFile, 'utf8').split('\n')[1] ?? '') as { args: string[] };
    const parameters = JSON.parse(first.args[first.args.indexOf('--parameters') + 1] ?? '') as { commands: string[] };
    expect(parameters.commands.at(-1)).toMatch(
      /^env ETCDCTL_CACERT=\/etc\/etcd\/pki\/ca\.crt ETCDCTL_CERT=\/etc\/etcd\/pki\/server\.crt ETCDCTL_KEY=\/etc\/etcd\/pki\/server\.key \/usr\/local\/lib\/kitt\/etcd-health\.sh https:\/\/10\.\d+\.\d+\.10:2379 https:\/\/10\.\d+\.\d+\.11:2379 https:\/\/10\.\d+\.\d+\.12:2379$/,
    );
  });

  it('refuses to start when etcd is not healthy with three members, replacing nothing', async () => {
    const { code, stderr } = await rollWith(healthyCell({ etcdHealthy: false }), [FLAG, 'a1', 'control-plane']);
    expect(code).toBe(1);
    expect(stderr).toContain('[ROLL_ETCD_UNHEALTHY]');
    expect(stderr).toContain('"healthy":false');
    expect(happened()).toEqual(['health i-0e000000000000000 Failed']);
  });

  it('refuses to start when an etcd member has no running instance', async () => {
    const state = healthyCell();
    const { code, stderr } = await rollWith({ ...state, instances: state.instances.filter((i) => i.member !== 2) }, [
      FLAG,
      'a1',
      'etcd',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('[CELL_INSTANCES_UNEXPECTED]');
    expect(stderr).toContain('etcd member 2');
    expect(happened()).toEqual([]);
  });

  it('runs kubeadm upgrade apply on one existing controller before replacing any controller', async () => {
    const { code, stderr } = await rollWith(healthyCell(), [FLAG, 'a1', 'control-plane']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const list = happened();
    expect(list.slice(0, 2)).toEqual(['health i-0e000000000000000 Success', 'upgrade i-0c000000000000000 Success']);
    expect(list.filter((event) => event.startsWith('upgrade'))).toHaveLength(1);
    expect(terminations()).toEqual([
      'terminate i-0c000000000000000',
      'terminate i-0c000000000000001',
      'terminate i-0c000000000000002',
    ]);
    const upgrade = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('upgrade apply'))
      .map((line) => (JSON.parse(line) as { args: string[] }).args)
      .map((args) => (JSON.parse(args[args.indexOf('--parameters') + 1] ?? '') as { commands: string[] }).commands)[0];
    expect(upgrade).toContain('version=v1.34.2');
    expect(upgrade?.at(-1)).toBe('"$kubeadm" upgrade apply "$version" --yes');
  });

  it('stops before replacing anything when kubeadm upgrade apply fails', async () => {
    const { code, stderr } = await rollWith(healthyCell({ failMatching: 'upgrade apply' }), [
      FLAG,
      'a1',
      'control-plane',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('[SSM_COMMAND_FAILED]');
    expect(terminations()).toEqual([]);
  });

  it('drains each worker through a controller, replaces it, and waits until its successor is Ready', async () => {
    const { code, stderr } = await rollWith(healthyCell(), [FLAG, 'a1', 'workers']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as StandInState;
    const [first, second] = state.instances.filter((i) => i.role === 'worker' && i.state === 'running');
    expect(happened()).toEqual([
      'health i-0e000000000000000 Success',
      'drain i-0c000000000000000 Success',
      'terminate i-0a000000000000000',
      'ready i-0c000000000000000 Success',
      'drain i-0c000000000000000 Success',
      'terminate i-0a000000000000001',
      'ready i-0c000000000000000 Success',
    ]);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain(`node/${first?.dns}`);
    expect(log).toContain(`node/${second?.dns}`);
    expect(log).toContain('drain ip-0a000000000000000.ec2.internal --ignore-daemonsets --delete-emptydir-data');
  });

  it('refuses an unknown role as a usage error, without calling AWS', async () => {
    const { code, stderr } = await rollWith(healthyCell(), [FLAG, 'a1', 'everything']);
    expect(code).toBe(2);
    expect(stderr).toContain('etcd, control-plane, workers');
    expect(happened()).toEqual([]);
  });

  it('refuses a cell the FLAG does not have', async () => {
    const { code, stderr } = await rollWith(healthyCell(), [FLAG, 'z9', 'etcd']);
    expect(code).toBe(1);
    expect(stderr).toContain("has no cell 'z9'");
    expect(happened()).toEqual([]);
  });
});
