import type { FlagIdentity } from '@kitt/flag-config';
import type { AwsRunner } from './aws-cli';
import { describeCellInstances, etcdInstancesByMember, type CellInstance, type NodeRole } from './cell-instances';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';
import { runOnInstance, runStep, shellLine, type CommandOutcome, type RunOptions } from './ssm-command';

/**
 * `kitt roll`: replace a cell's instances of one role, one at a time. Each
 * instance is terminated in its Auto Scaling group (which launches its
 * successor from the current launch template); the next waits until the
 * successor is healthy (etcd) or its node Ready (controllers, workers). An
 * etcd successor takes over its member's interface and data volume, so it
 * rejoins as the same member. Nothing starts unless etcd is healthy with
 * three members.
 */

export type RollTarget = 'etcd' | 'control-plane' | 'workers';
export const ROLL_TARGETS: readonly RollTarget[] = ['etcd', 'control-plane', 'workers'];

const ROLE_OF: Record<RollTarget, NodeRole> = { etcd: 'etcd', 'control-plane': 'control-plane', workers: 'worker' };
const ADMIN_KUBECONFIG = '/etc/kubernetes/admin.conf';

export interface RollInput {
  readonly flag: FlagIdentity;
  readonly cell: string;
  readonly target: RollTarget;
  /** The cell's `kubernetesVersion` (`1.32.1`): what `kubeadm upgrade apply` moves the cluster to. */
  readonly kubernetesVersion: string;
  /** The etcd health check, an argument vector run on an etcd member. */
  readonly etcdHealth: readonly string[];
}

export interface RollDeps {
  readonly aws: AwsRunner;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (line: string) => void;
  /** Milliseconds between polls (SSM invocations, successors, health). @default 10000 */
  readonly pollMs?: number;
  /** Polls before a successor that does not appear or become healthy fails the roll. @default 90 */
  readonly maxWaits?: number;
}

/** The lines that fetch kubeadm of `version` when the controller has another (checked against dl.k8s.io's SHA-256) and run `kubeadm upgrade apply`. */
export function kubeadmUpgradeLines(version: string): string[] {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new RangeError(`not a Kubernetes version: ${JSON.stringify(version)}`);
  const release = `https://dl.k8s.io/release/v${version}/bin/linux`;
  return [
    `version=v${version}`,
    'case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;; esac',
    'kubeadm=kubeadm',
    'if [ "$(kubeadm version -o short)" != "$version" ]; then',
    '  kubeadm="/usr/local/lib/kitt/kubeadm-$version"',
    `  curl -fsSLo "$kubeadm" "${release}/$arch/kubeadm"`,
    `  printf '%s  %s\\n' "$(curl -fsSL "${release}/$arch/kubeadm.sha256")" "$kubeadm" | sha256sum --check --status`,
    '  chmod 0755 "$kubeadm"',
    'fi',
    '"$kubeadm" upgrade apply "$version" --yes',
  ];
}

/** `kubectl` as a controller's administrator. */
function kubectl(...args: string[]): string {
  return shellLine(['kubectl', '--kubeconfig', ADMIN_KUBECONFIG, ...args]);
}

export async function roll(input: RollInput, deps: RollDeps): Promise<void> {
  const { flag, cell, target } = input;
  const where = `cell ${cell} of ${flag.id}`;
  const run: RunOptions = { region: flag.region, sleep: deps.sleep, pollMs: deps.pollMs ?? 10_000 };
  const describe = (role: NodeRole) => describeCellInstances(deps.aws, flag, cell, role);
  const healthOf = (instance: CellInstance) =>
    runOnInstance(deps.aws, instance.instanceId, [shellLine(input.etcdHealth)], 'kitt roll: etcd health', run);

  const etcd = etcdInstancesByMember(await describe('etcd'), where);
  const before = await healthOf(etcd[0] as CellInstance);
  if (before.status !== 'Success') {
    throw clusterAccessError(
      ClusterAccessErrorCode.ROLL_ETCD_UNHEALTHY,
      'external',
      `kitt roll ${target} refused: etcd of ${where} is not healthy with three members, so replacing any instance could cost its quorum. The check said: ${(before.stdout + before.stderr).trim() || before.status}`,
    );
  }
  deps.log(`✓ etcd of ${where} is healthy with three members`);

  const role = ROLE_OF[target];
  const olds = role === 'etcd' ? etcd : (await describe(role)).filter((instance) => instance.state === 'running');
  if (olds.length === 0) {
    throw clusterAccessError(
      ClusterAccessErrorCode.INSTANCES_UNEXPECTED,
      'external',
      `${where} has no running ${role} instance`,
    );
  }
  const seen = new Set(olds.map((instance) => instance.instanceId));
  const controllers = async (except: ReadonlySet<string>) => {
    const found = (await describe('control-plane')).filter(
      (instance) => instance.state === 'running' && !except.has(instance.instanceId),
    );
    if (found.length === 0)
      throw clusterAccessError(
        ClusterAccessErrorCode.INSTANCES_UNEXPECTED,
        'external',
        `${where} has no running controller to ask`,
      );
    return found[0] as CellInstance;
  };

  if (target === 'control-plane') {
    const first = olds[0] as CellInstance;
    deps.log(`… kubeadm upgrade apply v${input.kubernetesVersion} on ${first.instanceId}`);
    await runStep(
      deps.aws,
      first.instanceId,
      kubeadmUpgradeLines(input.kubernetesVersion),
      'kitt roll: kubeadm upgrade apply',
      run,
    );
    deps.log(`✓ kubeadm upgrade apply v${input.kubernetesVersion} on ${first.instanceId}`);
  }

  for (const old of olds) {
    if (role !== 'etcd') {
      const asker = await controllers(new Set([old.instanceId]));
      await runStep(
        deps.aws,
        asker.instanceId,
        [kubectl('drain', old.privateDnsName, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=600s')],
        `kitt roll: drain ${old.privateDnsName}`,
        run,
      );
    }
    await deps.aws([
      'autoscaling',
      'terminate-instance-in-auto-scaling-group',
      '--region',
      flag.region,
      '--instance-id',
      old.instanceId,
      '--no-should-decrement-desired-capacity',
      '--output',
      'json',
    ]);
    deps.log(`… replacing ${old.instanceId}${old.etcdMember === undefined ? '' : ` (etcd member ${old.etcdMember})`}`);
    const successor = await waitFor(deps, `a successor of ${old.instanceId}`, async () => {
      const found = (await describe(role)).find(
        (instance) =>
          instance.state === 'running' && !seen.has(instance.instanceId) && instance.etcdMember === old.etcdMember,
      );
      return found;
    });
    seen.add(successor.instanceId);
    await waitFor(deps, `${successor.instanceId} to be ${role === 'etcd' ? 'healthy' : 'Ready'}`, async () => {
      const outcome: CommandOutcome =
        role === 'etcd'
          ? await healthOf(successor)
          : await runOnInstance(
              deps.aws,
              (await controllers(new Set([old.instanceId, successor.instanceId]))).instanceId,
              [kubectl('wait', '--for=condition=Ready', `node/${successor.privateDnsName}`, '--timeout=30s')],
              `kitt roll: wait for ${successor.privateDnsName}`,
              run,
            );
      return outcome.status === 'Success' ? true : undefined;
    });
    deps.log(
      `✓ ${old.instanceId} replaced by ${successor.instanceId}, ${role === 'etcd' ? 'etcd healthy' : 'node Ready'}`,
    );
  }
}

/** Polls `check` until it returns a value; a check that throws counts as "not yet" (a new instance's agent may not have registered). */
async function waitFor<T>(deps: RollDeps, what: string, check: () => Promise<T | undefined>): Promise<T> {
  const maxWaits = deps.maxWaits ?? 90;
  let last = '';
  for (let attempt = 0; attempt < maxWaits; attempt += 1) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = (error as Error).message;
    }
    await deps.sleep(deps.pollMs ?? 10_000);
  }
  throw clusterAccessError(
    ClusterAccessErrorCode.ROLL_TIMEOUT,
    'external',
    `gave up waiting for ${what} after ${maxWaits} polls; the roll stopped here${last === '' ? '' : ` (last error: ${last})`}`,
  );
}
