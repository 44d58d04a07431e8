/**
 * The interface between the cell stack and node bootstrap (cloud-init user
 * data, kubeadm configuration, scripts), which lives in `./bootstrap`.
 * Instances find their own ENI and EBS volume at boot by tags (`kitt:flag`,
 * `kitt:cell`, `kitt:etcd-member`), so user data holds no resource id and no
 * Terraform token: it is a pure function of the plan and the settings.
 */

export type NodeRole = 'etcd' | 'control-plane' | 'worker';

export interface CellBootstrapConfig {
  readonly flagId: string;
  readonly cell: string;
  readonly clusterName: string;
  readonly region: string;
  /** e.g. '1.34.2' */
  readonly kubernetesVersion: string;
  readonly serviceCidr: string;
  readonly apiServiceIp: string;
  readonly dnsServiceIp: string;
  readonly podCidr: string;
  readonly nodePodPrefix: number;
  readonly etcdMembers: readonly { readonly index: number; readonly ip: string; readonly zone: string }[];
  /** DNS name `api.<cell>.<flag-id>.<domain>`, port 6443. */
  readonly apiEndpoint: string;
  /** `/kitt/<flag-id>/<cell>/` */
  readonly ssmPrefix: string;
  /** `alias/kitt-<flag-id>-<cell>` */
  readonly kmsKeyAlias: string;
  readonly adminRoleArns: readonly string[];
  readonly readOnlyRoleArns: readonly string[];
  readonly teams: readonly { readonly name: string; readonly roleArns: readonly string[] }[];
}

/** Renders a node's user data: a `#cloud-config` document. */
export type UserDataRenderer = (role: NodeRole, config: CellBootstrapConfig, etcdMemberIndex?: number) => string;
