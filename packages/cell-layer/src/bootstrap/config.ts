import { cidrContains, isCanonicalCidr } from '@kitt/allocator';
import { KittError } from '@kitt/flag-config';

/** What an instance of a cell is for; each role boots differently. */
export type NodeRole = 'etcd' | 'control-plane' | 'worker';

export const NODE_ROLES: readonly NodeRole[] = ['etcd', 'control-plane', 'worker'];

/** One etcd member as the network plan places it. */
export interface EtcdMember {
  /** 0, 1 or 2; the member is named `etcd-<index>` and its ENI and volume carry `kitt:etcd-member=<index>`. */
  readonly index: number;
  /** The member's fixed address (its own ENI), host 10 + index of its management subnet. */
  readonly ip: string;
  /** Availability zone of the member's subnet, e.g. `eu-west-1a`. */
  readonly zone: string;
}

/** An IAM-mapped team; the addons layer gives the group its namespace and quota. */
export interface TeamRoles {
  /** Team name; its Kubernetes group is `kitt:team:<name>`. */
  readonly name: string;
  readonly roleArns: readonly string[];
}

/**
 * Everything a node of a cell needs to boot, from the network plan and
 * `flag.yaml`. Every value is checked against a strict pattern before it is
 * written into user data, where it lands inside shell scripts.
 */
export interface CellBootstrapConfig {
  /** `<customer>-<environment>-<region>`. */
  readonly flagId: string;
  /** Cell name, `[a-z][a-z0-9]{0,7}`. */
  readonly cell: string;
  /** Kubernetes cluster name (controller-manager `--cluster-name`, aws-iam-authenticator cluster ID). */
  readonly clusterName: string;
  /** AWS region of the FLAG; every AWS CLI call on the node goes there. */
  readonly region: string;
  /** Kubernetes version on the AMI, `1.<minor>.<patch>` with minor ≥ 31 (kubeadm API v1beta4). */
  readonly kubernetesVersion: string;
  /** Service network of the cell (kube-apiserver `--service-cluster-ip-range`). */
  readonly serviceCidr: string;
  /** `kubernetes.default`: first address of the service network; a SAN of the API server certificate. */
  readonly apiServiceIp: string;
  /** Cluster DNS service address (kubelet `clusterDNS`). */
  readonly dnsServiceIp: string;
  /** Pod network, shared by every cell and never routed. */
  readonly podCidr: string;
  /** Prefix length of each node's pod range (controller-manager `--node-cidr-mask-size`). */
  readonly nodePodPrefix: number;
  /** Exactly three members, indices 0, 1 and 2. */
  readonly etcdMembers: readonly EtcdMember[];
  /** DNS name of the API: `api.<cell>.<flag-id>.<domain>`, served on port 6443. */
  readonly apiEndpoint: string;
  /** SSM Parameter Store prefix of the cell: `/kitt/<flag-id>/<cell>/`. */
  readonly ssmPrefix: string;
  /** The cell's KMS key that encrypts its SecureStrings, `alias/kitt-<flag-id>-<cell>`. */
  readonly kmsKeyAlias: string;
  /** The FLAG's etcd snapshot bucket; the leader uploads under `etcd/<cell>/` of it. */
  readonly etcdSnapshotBucket: string;
  /** Roles mapped to the group `kitt:admins` (bound to `cluster-admin`). */
  readonly adminRoleArns: readonly string[];
  /** Roles mapped to the group `kitt:readonly` (bound to `view`). */
  readonly readOnlyRoleArns: readonly string[];
  readonly teams: readonly TeamRoles[];
}

/** Stable code of every bad bootstrap configuration. */
export const BOOTSTRAP_CONFIG_INVALID = 'BOOTSTRAP_CONFIG_INVALID';

/** A bootstrap configuration that cannot be rendered safely; `fields` names every offending field. */
export class BootstrapConfigError extends KittError {
  readonly fields: readonly string[];

  constructor(problems: readonly FieldProblem[]) {
    super({
      code: BOOTSTRAP_CONFIG_INVALID,
      kind: 'input',
      message: `Cell bootstrap configuration is invalid:\n${problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`,
    });
    this.fields = problems.map((problem) => problem.field);
  }
}

interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

const FLAG_ID = /^([a-z][a-z0-9]{0,11})-([a-z][a-z0-9]{0,11})-([a-z]{2}(?:-[a-z]+)+-\d)$/;
const CELL = /^[a-z][a-z0-9]{0,7}$/;
const CLUSTER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const ZONE = /^[a-z]{2}(?:-[a-z]+)+-\d[a-z]$/;
const KUBERNETES_VERSION = /^1\.(\d{2})\.(0|[1-9]\d{0,2})$/;
/** kubeadm's v1beta4 configuration API, which the rendered files use, starts at 1.31. */
const MIN_KUBERNETES_MINOR = 31;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const KMS_ALIAS = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const TEAM = /^[a-z][a-z0-9-]{0,62}$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

function isIpv4(value: unknown): value is string {
  return typeof value === 'string' && isCanonicalCidr(`${value}/32`);
}

function isDnsName(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 253) return false;
  const labels = value.split('.');
  return labels.length >= 2 && labels.every((label) => DNS_LABEL.test(label));
}

function quoted(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Collects problems field by field, so one error names them all. */
class Checker {
  readonly problems: FieldProblem[] = [];

  check(ok: boolean, field: string, message: string): boolean {
    if (!ok) this.problems.push({ field, message });
    return ok;
  }

  pattern(value: unknown, pattern: RegExp, field: string, expected: string): value is string {
    return this.check(
      typeof value === 'string' && pattern.test(value),
      field,
      `expected ${expected} (received ${quoted(value)})`,
    );
  }

  cidr(value: unknown, field: string): value is string {
    return this.check(
      typeof value === 'string' && isCanonicalCidr(value),
      field,
      `expected an IPv4 CIDR in canonical form, e.g. 10.0.144.0/21 (received ${quoted(value)})`,
    );
  }

  ipv4(value: unknown, field: string): value is string {
    return this.check(isIpv4(value), field, `expected an IPv4 address (received ${quoted(value)})`);
  }

  roleArns(value: unknown, field: string): void {
    if (!this.check(Array.isArray(value), field, 'expected a list of IAM role ARNs')) return;
    (value as unknown[]).forEach((arn, i) =>
      this.pattern(arn, ROLE_ARN, `${field}[${i}]`, 'an IAM role ARN, arn:aws:iam::<account>:role/<name>'),
    );
  }
}

function checkNetwork(c: Checker, config: CellBootstrapConfig): void {
  const serviceOk = c.cidr(config.serviceCidr, 'serviceCidr');
  for (const field of ['apiServiceIp', 'dnsServiceIp'] as const) {
    const value = config[field];
    if (c.ipv4(value, field) && serviceOk)
      c.check(
        cidrContains(config.serviceCidr, `${value}/32`),
        field,
        `${value} is outside serviceCidr ${config.serviceCidr}`,
      );
  }
  const podOk = c.cidr(config.podCidr, 'podCidr');
  const prefix = config.nodePodPrefix;
  const minimum = podOk ? Number(config.podCidr.split('/')[1]) + 1 : 1;
  c.check(
    Number.isInteger(prefix) && prefix >= minimum && prefix <= 30,
    'nodePodPrefix',
    `expected an integer from ${minimum} to 30 (received ${quoted(prefix)})`,
  );
}

function checkEtcd(c: Checker, members: unknown): void {
  if (!c.check(Array.isArray(members) && members.length === 3, 'etcdMembers', 'expected exactly three members')) return;
  (members as EtcdMember[]).forEach((member, i) => {
    c.check(member?.index === i, `etcdMembers[${i}].index`, `expected ${i} (received ${quoted(member?.index)})`);
    c.ipv4(member?.ip, `etcdMembers[${i}].ip`);
    c.pattern(member?.zone, ZONE, `etcdMembers[${i}].zone`, 'an availability zone such as eu-west-1a');
  });
  const ips = (members as EtcdMember[]).map((member) => member?.ip);
  c.check(new Set(ips).size === 3, 'etcdMembers', `expected three distinct addresses (received ${ips.join(', ')})`);
}

function checkIdentity(c: Checker, config: CellBootstrapConfig): void {
  const flagOk = c.pattern(config.flagId, FLAG_ID, 'flagId', '<customer>-<environment>-<region>');
  const cellOk = c.pattern(config.cell, CELL, 'cell', 'a cell name, [a-z][a-z0-9]{0,7}');
  c.pattern(config.clusterName, CLUSTER_NAME, 'clusterName', 'a DNS label of at most 63 characters');
  if (c.pattern(config.region, REGION, 'region', 'an AWS region such as eu-west-1') && flagOk)
    c.check(
      config.flagId.endsWith(`-${config.region}`),
      'region',
      `${config.region} is not the region of ${config.flagId}`,
    );
  const version = KUBERNETES_VERSION.exec(String(config.kubernetesVersion));
  c.check(
    version !== null && Number(version[1]) >= MIN_KUBERNETES_MINOR,
    'kubernetesVersion',
    `expected 1.<minor>.<patch> with minor ${MIN_KUBERNETES_MINOR} or later (received ${quoted(config.kubernetesVersion)})`,
  );
  c.check(isDnsName(config.apiEndpoint), 'apiEndpoint', `expected a DNS name (received ${quoted(config.apiEndpoint)})`);
  if (flagOk && cellOk) {
    const expected = `/kitt/${config.flagId}/${config.cell}/`;
    c.check(config.ssmPrefix === expected, 'ssmPrefix', `expected ${expected} (received ${quoted(config.ssmPrefix)})`);
  }
  c.pattern(config.kmsKeyAlias, KMS_ALIAS, 'kmsKeyAlias', 'a KMS alias, alias/<name>');
  c.pattern(config.etcdSnapshotBucket, S3_BUCKET, 'etcdSnapshotBucket', 'an S3 bucket name without dots');
}

function checkAccess(c: Checker, config: CellBootstrapConfig): void {
  c.roleArns(config.adminRoleArns, 'adminRoleArns');
  c.roleArns(config.readOnlyRoleArns, 'readOnlyRoleArns');
  if (!c.check(Array.isArray(config.teams), 'teams', 'expected a list of teams')) return;
  config.teams.forEach((team, i) => {
    c.pattern(team?.name, TEAM, `teams[${i}].name`, 'a team name, [a-z][a-z0-9-]{0,62}');
    c.roleArns(team?.roleArns, `teams[${i}].roleArns`);
  });
}

/**
 * Throws `BootstrapConfigError` (code `BOOTSTRAP_CONFIG_INVALID`) naming every
 * field that does not match its pattern. Only a config that passes is ever
 * written into a script.
 */
export function validateBootstrapConfig(config: CellBootstrapConfig): void {
  const c = new Checker();
  checkIdentity(c, config);
  checkNetwork(c, config);
  checkEtcd(c, config.etcdMembers);
  checkAccess(c, config);
  if (c.problems.length > 0) throw new BootstrapConfigError(c.problems);
}

/** Checks the role and, for etcd, the member index; returns the member this node is, if any. */
export function selectEtcdMember(
  role: NodeRole,
  config: CellBootstrapConfig,
  etcdMemberIndex: number | undefined,
): EtcdMember | undefined {
  if (!NODE_ROLES.includes(role))
    throw new BootstrapConfigError([{ field: 'role', message: `expected one of ${NODE_ROLES.join(', ')}` }]);
  if (role !== 'etcd') {
    if (etcdMemberIndex === undefined) return undefined;
    throw new BootstrapConfigError([
      { field: 'etcdMemberIndex', message: `only an etcd node takes one (role ${role})` },
    ]);
  }
  const member = config.etcdMembers.find((candidate) => candidate.index === etcdMemberIndex);
  if (member === undefined)
    throw new BootstrapConfigError([
      { field: 'etcdMemberIndex', message: `expected 0, 1 or 2 for role etcd (received ${quoted(etcdMemberIndex)})` },
    ]);
  return member;
}
