import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { SUBNET_KINDS, type BlockKind } from '@kitt/allocator';

/** Kinds of block that are real VPC subnets. */
export type SubnetKind = Exclude<BlockKind, 'service'>;

/**
 * The flag layer's demarcation point: what the cell layer may use, and
 * nothing else. On a `FlagStack` the values are references to its
 * resources (cdktf turns a use in another stack into a remote-state
 * lookup); in the state they are the Terraform outputs named in
 * `FLAG_OUTPUT_NAMES`.
 */
export interface FlagStackOutputs {
  readonly vpcId: string;
  /** By block name of the plan (`us-east-1a/slot1/worker`): how a cell finds its own subnets. */
  readonly subnetIds: Readonly<Record<string, string>>;
  /** By kind, then zone; several per zone for management and worker (one per used slot), in plan order. */
  readonly subnetIdsByKind: Readonly<Record<SubnetKind, Readonly<Record<string, readonly string[]>>>>;
  readonly securityGroupIds: {
    readonly clusterNodes: string;
    readonly datastoreClients: string;
    readonly apiLoadBalancer: string;
  };
  /** Validated wildcard certificate `*.<flag-id>.<domain>`; absent without `org.domain`. */
  readonly certificateArn?: string;
  /** Private zone `<flag-id>.<domain>`; absent without `org.domain`. */
  readonly privateZoneId?: string;
  /** Public IP of each zone's NAT gateway, by zone (for allow-lists outside AWS). */
  readonly natPublicIps: Readonly<Record<string, string>>;
  /** The etcd snapshot bucket of every cell (`etcd/<cell>/` each); it outlives the cells. */
  readonly etcdSnapshotBucket: string;
  /** The KMS key that encrypts the snapshots. */
  readonly etcdSnapshotKeyArn: string;
}

/** Terraform output name of each field: a contract with every reader of the flag state. */
export const FLAG_OUTPUT_NAMES: { readonly [K in keyof Required<FlagStackOutputs>]: string } = {
  vpcId: 'vpc_id',
  subnetIds: 'subnet_ids',
  subnetIdsByKind: 'subnet_ids_by_kind',
  securityGroupIds: 'security_group_ids',
  certificateArn: 'certificate_arn',
  privateZoneId: 'private_zone_id',
  natPublicIps: 'nat_public_ips',
  etcdSnapshotBucket: 'etcd_snapshot_bucket',
  etcdSnapshotKeyArn: 'etcd_snapshot_key_arn',
};

const DESCRIPTIONS: { readonly [K in keyof Required<FlagStackOutputs>]: string } = {
  vpcId: 'VPC of the FLAG',
  subnetIds: 'Subnet id by network plan block name',
  subnetIdsByKind: 'Subnet ids by kind, then zone',
  securityGroupIds: 'Base security groups: clusterNodes, datastoreClients, apiLoadBalancer',
  certificateArn: 'Validated wildcard certificate of the FLAG domain',
  privateZoneId: 'Private hosted zone of the FLAG domain',
  natPublicIps: 'Public IP of each zone NAT gateway, by zone',
  etcdSnapshotBucket: 'S3 bucket of the etcd snapshots of every cell, under etcd/<cell>/',
  etcdSnapshotKeyArn: 'KMS key that encrypts the etcd snapshots',
};

/** An empty `subnetIdsByKind`, every kind present so readers need no existence checks. */
export function emptySubnetIdsByKind(): Record<SubnetKind, Record<string, string[]>> {
  return Object.fromEntries(SUBNET_KINDS.map((kind) => [kind, {}])) as Record<SubnetKind, Record<string, string[]>>;
}

/** One `TerraformOutput` per present field, named from `FLAG_OUTPUT_NAMES`. */
export function addFlagOutputs(scope: Construct, outputs: FlagStackOutputs): void {
  for (const key of Object.keys(FLAG_OUTPUT_NAMES) as (keyof FlagStackOutputs)[]) {
    const value = outputs[key];
    if (value === undefined) continue;
    new TerraformOutput(scope, FLAG_OUTPUT_NAMES[key], { value, description: DESCRIPTIONS[key] });
  }
}
