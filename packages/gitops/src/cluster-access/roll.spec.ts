import type { AwsRunner } from './aws-cli';
import { parseCellInstances } from './cell-instances';
import { kubeadmUpgradeLines, roll, type RollInput } from './roll';

const flag = { id: 'payments-prod-us-east-1', customer: 'payments', environment: 'prod', region: 'us-east-1' };
const input: RollInput = {
  flag,
  cell: 'a1',
  target: 'etcd',
  kubernetesVersion: '1.34.2',
  etcdHealth: ['/usr/local/lib/kitt/etcd-health.sh', 'https://10.0.192.10:2379'],
};

interface World {
  /** Instance ids by etcd member; a terminate replaces the member's id with `<id>-next`. */
  members: string[];
  successorHealthy: boolean;
}

/** An in-process aws of three etcd members whose successors are healthy only when `world.successorHealthy`. */
function fakeAws(world: World, calls: string[]): AwsRunner {
  const outcomes: string[] = [];
  return async (args) => {
    const option = (name: string) => args[args.indexOf(name) + 1] ?? '';
    calls.push(`${args[0]} ${args[1]}`);
    switch (args[1]) {
      case 'describe-instances':
        return JSON.stringify({
          Reservations: [
            {
              Instances: world.members.map((id, member) => ({
                InstanceId: id,
                State: { Name: 'running' },
                Tags: [{ Key: 'kitt:etcd-member', Value: String(member) }],
              })),
            },
          ],
        });
      case 'terminate-instance-in-auto-scaling-group': {
        const member = world.members.indexOf(option('--instance-id'));
        world.members[member] = `i-0f00000000000000${member}`;
        return '{}';
      }
      case 'send-command': {
        const original = /^i-0e/.test(option('--instance-ids'));
        outcomes.push(original || world.successorHealthy ? 'Success' : 'Failed');
        return `00000000-0000-4000-8000-${String(outcomes.length).padStart(12, '0')}`;
      }
      case 'get-command-invocation':
        return JSON.stringify({ Status: outcomes[Number(option('--command-id').slice(-12)) - 1], ResponseCode: 0 });
      default:
        throw new Error(`unexpected ${args.join(' ')}`);
    }
  };
}

const deps = (aws: AwsRunner) => ({ aws, sleep: async () => undefined, log: () => undefined, pollMs: 0, maxWaits: 5 });

describe('roll', () => {
  it('stops with ROLL_TIMEOUT when a successor never becomes healthy, replacing nothing more', async () => {
    const world: World = {
      members: ['i-0e000000000000000', 'i-0e000000000000001', 'i-0e000000000000002'],
      successorHealthy: false,
    };
    const calls: string[] = [];
    await expect(roll(input, deps(fakeAws(world, calls)))).rejects.toMatchObject({
      code: 'ROLL_TIMEOUT',
      message: expect.stringContaining('i-0f000000000000000 to be healthy'),
    });
    expect(calls.filter((call) => call.includes('terminate'))).toHaveLength(1);
  });

  it('replaces all three members when each successor is healthy', async () => {
    const world: World = {
      members: ['i-0e000000000000000', 'i-0e000000000000001', 'i-0e000000000000002'],
      successorHealthy: true,
    };
    await roll(input, deps(fakeAws(world, [])));
    expect(world.members).toEqual(['i-0f000000000000000', 'i-0f000000000000001', 'i-0f000000000000002']);
  });
});

describe('kubeadmUpgradeLines', () => {
  it('refuses a version that is not MAJOR.MINOR.PATCH, as it lands in a shell', () => {
    expect(() => kubeadmUpgradeLines('1.34.2; rm -rf /')).toThrow(RangeError);
  });

  it("checks a downloaded kubeadm against dl.k8s.io's SHA-256 before running it", () => {
    const lines = kubeadmUpgradeLines('1.34.2').join('\n');
    expect(lines).toMatch(
      /curl -fsSLo "\$kubeadm" "https:\/\/dl\.k8s\.io\/release\/v1\.34\.2\/bin\/linux\/\$arch\/kubeadm"/,
    );
    expect(lines.indexOf('sha256sum --check')).toBeLessThan(lines.indexOf('upgrade apply'));
  });
});

describe('parseCellInstances', () => {
  it('refuses output that is not JSON as AWS_OUTPUT_INVALID', () => {
    expect(() => parseCellInstances('<html>', 'etcd')).toThrow(expect.objectContaining({ code: 'AWS_OUTPUT_INVALID' }));
  });

  it('refuses an instance id that could not have come from EC2', () => {
    const text = JSON.stringify({ Reservations: [{ Instances: [{ InstanceId: 'i-1; reboot' }] }] });
    expect(() => parseCellInstances(text, 'worker')).toThrow(expect.objectContaining({ code: 'AWS_OUTPUT_INVALID' }));
  });
});
