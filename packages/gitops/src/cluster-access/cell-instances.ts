import { CELL_TAG_KEYS, type FlagIdentity } from '@kitt/flag-config';
import type { AwsRunner } from './aws-cli';
import { ClusterAccessErrorCode, clusterAccessError } from './errors';

export type NodeRole = 'etcd' | 'control-plane' | 'worker';

/** A running (or starting) instance of a cell, as its tags say. */
export interface CellInstance {
  readonly instanceId: string;
  readonly role: NodeRole;
  /** The etcd member index (`kitt:etcd-member`); only etcd instances have one. */
  readonly etcdMember?: number;
  /** The node's name in Kubernetes (nodes register under their private DNS name). */
  readonly privateDnsName: string;
  readonly state: string;
}

/** The arguments of `aws ec2 describe-instances` for a cell's live instances of one role: pinned by a test. */
export function describeCellInstancesArgs(flag: FlagIdentity, cell: string, role: NodeRole): string[] {
  return [
    'ec2',
    'describe-instances',
    '--region',
    flag.region,
    '--filters',
    `Name=tag:${CELL_TAG_KEYS.flag},Values=${flag.id}`,
    `Name=tag:${CELL_TAG_KEYS.cell},Values=${cell}`,
    `Name=tag:${CELL_TAG_KEYS.role},Values=${role}`,
    'Name=instance-state-name,Values=pending,running',
    '--output',
    'json',
  ];
}

interface DescribeOutput {
  readonly Reservations?: readonly { readonly Instances?: readonly RawInstance[] }[];
}
interface RawInstance {
  readonly InstanceId?: unknown;
  readonly PrivateDnsName?: unknown;
  readonly State?: { readonly Name?: unknown };
  readonly Tags?: readonly { readonly Key?: unknown; readonly Value?: unknown }[];
}

/** Parses `describe-instances` JSON into the cell's instances, sorted by etcd member, then id. */
export function parseCellInstances(text: string, role: NodeRole): CellInstance[] {
  let output: DescribeOutput;
  try {
    output = JSON.parse(text) as DescribeOutput;
  } catch {
    throw clusterAccessError(
      ClusterAccessErrorCode.AWS_OUTPUT_INVALID,
      'external',
      'aws ec2 describe-instances did not return JSON',
    );
  }
  const instances = (output.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
  return instances
    .map((raw): CellInstance => {
      const instanceId = String(raw.InstanceId ?? '');
      if (!/^i-[0-9a-f]{8,17}$/.test(instanceId)) {
        throw clusterAccessError(
          ClusterAccessErrorCode.AWS_OUTPUT_INVALID,
          'external',
          `aws ec2 describe-instances returned an instance without a valid id (${JSON.stringify(instanceId)})`,
        );
      }
      const member = raw.Tags?.find((tag) => tag.Key === CELL_TAG_KEYS.etcdMember)?.Value;
      return {
        instanceId,
        role,
        ...(role === 'etcd' && typeof member === 'string' && /^[0-2]$/.test(member)
          ? { etcdMember: Number(member) }
          : {}),
        privateDnsName: String(raw.PrivateDnsName ?? ''),
        state: String(raw.State?.Name ?? ''),
      };
    })
    .sort((a, b) => (a.etcdMember ?? 0) - (b.etcdMember ?? 0) || a.instanceId.localeCompare(b.instanceId));
}

/** The cell's pending and running instances of `role`. */
export async function describeCellInstances(
  aws: AwsRunner,
  flag: FlagIdentity,
  cell: string,
  role: NodeRole,
): Promise<CellInstance[]> {
  return parseCellInstances(await aws(describeCellInstancesArgs(flag, cell, role)), role);
}

/** The one running instance of each etcd member, in member order; anything else is refused. */
export function etcdInstancesByMember(instances: readonly CellInstance[], where: string): CellInstance[] {
  return [0, 1, 2].map((member) => {
    const found = instances.filter((instance) => instance.etcdMember === member && instance.state === 'running');
    if (found.length !== 1) {
      throw clusterAccessError(
        ClusterAccessErrorCode.INSTANCES_UNEXPECTED,
        'external',
        `${where}: expected one running instance of etcd member ${member}, found ${found.length}${found.length > 0 ? ` (${found.map((i) => i.instanceId).join(', ')})` : ''}`,
      );
    }
    return found[0] as CellInstance;
  });
}
