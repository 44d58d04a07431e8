import { createHash } from 'node:crypto';
import type { Block } from '@kitt/allocator';
import type { FlagIdentity } from '../types';
import type { Layer } from './stack-names';

/**
 * The one home of AWS names and tags for every layer. Names are a contract:
 * a renamed resource is often a replaced one. Where AWS limits a name's
 * length, it is shortened with a stable hash of the whole.
 */

/** Value of the `kitt:managed-by` tag. */
export const MANAGED_BY = 'kitt';

/** Length limits of AWS names that we make (characters). */
export const AWS_NAME_LIMITS = {
  loadBalancer: 32,
  targetGroup: 32,
  iamRole: 64,
} as const;

/**
 * `name` if it fits in `max` characters; otherwise its head and the first 8
 * hex digits of its SHA-256, so that shortened names stay stable across runs
 * and distinct names stay distinct. Keeps AWS's rule that names of load
 * balancers and target groups do not end with a hyphen.
 */
export function shortName(name: string, max: number): string {
  if (max < 10) throw new RangeError(`shortName needs room for a hash: max must be at least 10 (received ${max}).`);
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  const head = name.slice(0, max - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

/** `<flag-id>-<part>-<part>...`: the base of every AWS name in a FLAG. */
export function resourceName(flag: FlagIdentity, ...parts: readonly string[]): string {
  return [flag.id, ...parts].join('-');
}

/** Name of a load balancer, at most 32 characters. */
export function loadBalancerName(flag: FlagIdentity, ...parts: readonly string[]): string {
  return shortName(resourceName(flag, ...parts), AWS_NAME_LIMITS.loadBalancer);
}

/** Name of a target group, at most 32 characters. */
export function targetGroupName(flag: FlagIdentity, ...parts: readonly string[]): string {
  return shortName(resourceName(flag, ...parts), AWS_NAME_LIMITS.targetGroup);
}

/** Name of an IAM role, at most 64 characters (roles are global per account, hence the FLAG id). */
export function iamRoleName(flag: FlagIdentity, ...parts: readonly string[]): string {
  return shortName(resourceName(flag, ...parts), AWS_NAME_LIMITS.iamRole);
}

/** A plan block's name as one word: `us-east-1a/slot1/worker` → `us-east-1a-slot1-worker`. */
export function blockSlug(block: Pick<Block, 'name'>): string {
  return block.name.replaceAll('/', '-');
}

/** The provider's default tags: on every resource of a stack. */
export function defaultTags(flag: FlagIdentity, layer: Layer): Record<string, string> {
  return {
    'kitt:customer': flag.customer,
    'kitt:environment': flag.environment,
    'kitt:region': flag.region,
    'kitt:layer': layer,
    'kitt:managed-by': MANAGED_BY,
  };
}

/** `Name` tag plus the subnet's kind, zone and (when it has one) cell. */
export function subnetTags(flag: FlagIdentity, block: Block): Record<string, string> {
  return {
    Name: resourceName(flag, blockSlug(block)),
    'kitt:subnet-kind': block.kind,
    'kitt:zone': block.zone,
    ...(block.cell === null ? {} : { 'kitt:cell': block.cell }),
  };
}

/** DNS zone of a FLAG under the org's domain: `<flag-id>.<domain>` (private zone, certificate). */
export function flagDomain(flag: FlagIdentity, domain: string): string {
  return `${flag.id}.${domain}`;
}

/** CloudWatch Logs group of the VPC's flow logs. */
export function flowLogGroupName(flag: FlagIdentity): string {
  return `/kitt/${flag.id}/vpc-flow-logs`;
}

/** AWS partition of a region, for ARNs written before apply (`aws`, `aws-cn`, `aws-us-gov`). */
export function awsPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

// ── Cell layer names ──

/** Tag keys the cell layer sets and that node bootstrap and IAM conditions read. */
export const CELL_TAG_KEYS = {
  flag: 'kitt:flag',
  cell: 'kitt:cell',
  etcdMember: 'kitt:etcd-member',
  role: 'kitt:node-role',
} as const;

/** The Kubernetes cluster of a cell: `<flag-id>-<cell>` (unique per account and region). */
export function clusterName(flag: FlagIdentity, cell: string): string {
  return resourceName(flag, cell);
}

/** The port of every cell's Kubernetes API: the load balancer's listener, the API servers, kubeconfigs. */
export const KUBE_API_PORT = 6443;

/**
 * The Terraform variable of an addons stack that holds its Kubernetes API URL.
 * Its default is the cell's private API name; kitt sets it to a local tunnel's
 * address (`https://127.0.0.1:<port>`) when it plans or applies from outside
 * the VPC, while `tls_server_name` stays the private name.
 */
export const KUBE_API_HOST_VARIABLE = 'kube_api_host';

/**
 * The `aws` CLI arguments that print a bearer token for a cell's Kubernetes
 * API as an ExecCredential (JSON): `aws eks get-token` presigns an STS
 * GetCallerIdentity request naming the cluster (`x-k8s-aws-id`), the
 * `k8s-aws-v1.` token the cell's aws-iam-authenticator server verifies. It
 * makes no EKS API call, so it serves a cluster EKS does not know, and needs
 * nothing beyond the AWS CLI. Every token kitt and its stacks use comes from here.
 * @param roleArn a role to assume for the token. @default the caller's own identity
 */
export function clusterTokenArgs(clusterName: string, region: string, roleArn?: string): string[] {
  return [
    'eks',
    'get-token',
    '--cluster-name',
    clusterName,
    '--region',
    region,
    ...(roleArn === undefined ? [] : ['--role-arn', roleArn]),
    '--output',
    'json',
  ];
}

/** The cell's Kubernetes API endpoint, a record in the FLAG's private zone: `api.<cell>.<flag-id>.<domain>`. */
export function cellApiDomain(flag: FlagIdentity, cell: string, domain: string): string {
  return `api.${cell}.${flagDomain(flag, domain)}`;
}

/** Where the cell's instances keep their SSM parameters: `/kitt/<flag-id>/<cell>/` (trailing slash). */
export function cellSsmPrefix(flag: FlagIdentity, cell: string): string {
  return `/kitt/${flag.id}/${cell}/`;
}

/**
 * The SSM parameters of a cell, under `/kitt/<flag-id>/<cell>/`. The node
 * roles' IAM policies follow these names: workers read only `join/*` and
 * `ca.crt`, etcd members only `pki/etcd/*`, controllers everything.
 */
export interface CellSsmParameters {
  /** String; created without `--overwrite` by the controller that wins the PKI race. */
  readonly pkiLock: string;
  /** String: the cluster CA certificate (public), written last by the winner: it marks the PKI complete. */
  readonly clusterCaCert: string;
  /** SecureString: the cluster CA key. */
  readonly clusterCaKey: string;
  /** String: the etcd CA certificate. */
  readonly etcdCaCert: string;
  /** SecureString: the etcd CA key (etcd members and controllers sign their own certificates with it). */
  readonly etcdCaKey: string;
  /** String: the front proxy CA certificate. */
  readonly frontProxyCaCert: string;
  /** SecureString: the front proxy CA key. */
  readonly frontProxyCaKey: string;
  /** String: the service account token verification key. */
  readonly serviceAccountPublicKey: string;
  /** SecureString: the service account token signing key. */
  readonly serviceAccountKey: string;
  /** SecureString: a bootstrap token (TTL 2 h), rewritten every hour by each controller. */
  readonly joinToken: string;
}

export function cellSsmParameters(ssmPrefix: string): CellSsmParameters {
  return {
    pkiLock: `${ssmPrefix}pki/lock`,
    clusterCaCert: `${ssmPrefix}ca.crt`,
    clusterCaKey: `${ssmPrefix}pki/ca.key`,
    etcdCaCert: `${ssmPrefix}pki/etcd/ca.crt`,
    etcdCaKey: `${ssmPrefix}pki/etcd/ca.key`,
    frontProxyCaCert: `${ssmPrefix}pki/front-proxy-ca.crt`,
    frontProxyCaKey: `${ssmPrefix}pki/front-proxy-ca.key`,
    serviceAccountPublicKey: `${ssmPrefix}pki/sa.pub`,
    serviceAccountKey: `${ssmPrefix}pki/sa.key`,
    joinToken: `${ssmPrefix}join/token`,
  };
}

/** The SSM String parameter that holds the cell's cluster CA certificate (public): `<prefix>ca.crt`. */
export function clusterCaCertificateParameterName(flag: FlagIdentity, cell: string): string {
  return cellSsmParameters(cellSsmPrefix(flag, cell)).clusterCaCert;
}

/** Alias of the cell's customer-managed KMS key: `alias/kitt-<flag-id>-<cell>`. */
export function cellKmsAliasName(flag: FlagIdentity, cell: string): string {
  return `alias/kitt-${resourceName(flag, cell)}`;
}

/** `kitt:flag` and `kitt:cell`: together unambiguous even when two FLAGs share an account and a cell name. */
export function cellTags(flag: FlagIdentity, cell: string): Record<string, string> {
  return { [CELL_TAG_KEYS.flag]: flag.id, [CELL_TAG_KEYS.cell]: cell };
}

/** Value of the `kitt:node-role` tag on a cell's control-plane instances. */
export const CONTROL_PLANE_NODE_ROLE = 'control-plane';

/**
 * The tags that find a cell's control-plane instances: its cell tags and
 * `kitt:node-role=control-plane`. kitt's tunnel looks instances up by them,
 * and the plan role may start port-forwarding sessions only on instances
 * that carry them.
 */
export function controlPlaneInstanceTags(flag: FlagIdentity, cell: string): Record<string, string> {
  return { ...cellTags(flag, cell), [CELL_TAG_KEYS.role]: CONTROL_PLANE_NODE_ROLE };
}

/** The tag by which Kubernetes' AWS integrations know a cluster's nodes and the resources they create. */
export function kubernetesClusterTag(cluster: string): Record<string, string> {
  return { [`kubernetes.io/cluster/${cluster}`]: 'owned' };
}

/** The tags cluster-autoscaler discovers a cluster's worker groups by (`--node-group-auto-discovery`). */
export function clusterAutoscalerTags(cluster: string): Record<string, string> {
  return { 'k8s.io/cluster-autoscaler/enabled': 'true', [`k8s.io/cluster-autoscaler/${cluster}`]: 'owned' };
}

// ── etcd snapshots and cell alarms ──

/** Length limit of an S3 bucket name (characters). */
export const S3_BUCKET_NAME_LIMIT = 63;

/**
 * The FLAG's etcd snapshot bucket (flag layer; it outlives every cell):
 * `kitt-<flag-id>-etcd-<account-id>`. Bucket names are global across AWS,
 * hence the account id; shortened with a stable hash past 63 characters.
 */
export function etcdSnapshotBucketName(flag: FlagIdentity & { readonly aws: { readonly accountId: string } }): string {
  return shortName(`kitt-${flag.id}-etcd-${flag.aws.accountId}`, S3_BUCKET_NAME_LIMIT);
}

/** Alias of the KMS key that encrypts the FLAG's etcd snapshots: `alias/kitt-<flag-id>-etcd-snapshots`. */
export function etcdSnapshotKeyAliasName(flag: FlagIdentity): string {
  return `alias/kitt-${resourceName(flag, 'etcd-snapshots')}`;
}

/** First segment of every snapshot key; the snapshot script adds `<cell>/<timestamp>.db`. */
export const ETCD_SNAPSHOT_KEY_ROOT = 'etcd';

/** A cell's prefix in the snapshot bucket, `etcd/<cell>/`: its etcd members may write only below it. */
export function etcdSnapshotPrefix(cell: string): string {
  return `${ETCD_SNAPSHOT_KEY_ROOT}/${cell}/`;
}

/** CloudWatch namespace of the metrics kitt's nodes publish. */
export const KITT_METRIC_NAMESPACE = 'kitt';

/** Metrics the nodes publish, each with the dimensions of `cellMetricDimensions`. */
export const CELL_METRICS = {
  /** 1 for every etcd snapshot the leader uploaded. */
  etcdSnapshotUploaded: 'EtcdSnapshotUploaded',
  /** Days until the first kubeadm-managed certificate or CA of a controller expires (floor). */
  kubeadmCertificateDaysLeft: 'KubeadmCertificateDaysLeft',
} as const;

/** `Flag` and `Cell`: the dimensions of every cell metric. */
export function cellMetricDimensions(flag: FlagIdentity, cell: string): Record<string, string> {
  return { Flag: flag.id, Cell: cell };
}

/** A CloudWatch alarm of a cell: `<flag-id>-<cell>-<what>`. */
export function cellAlarmName(flag: FlagIdentity, cell: string, what: string): string {
  return resourceName(flag, cell, what);
}
