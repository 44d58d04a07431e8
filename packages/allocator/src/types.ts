/**
 * The allocator's contract: plain readonly values in, plain readonly values out.
 * Everything here is serialisable as-is (`kitt network --format json` is this
 * shape plus the FLAG's identity), so field names are a public contract.
 */

export type Topology = 'single-az' | 'multi-az';

/** Slot of the address grid, as written in `flag.yaml` (1-based). */
export type Slot = 1 | 2;

export type BlockKind = 'management' | 'worker' | 'service' | 'data' | 'cache' | 'compute' | 'public';

/** Kinds that become real VPC subnets (service networks live only inside Kubernetes). */
export const SUBNET_KINDS: readonly BlockKind[] = ['management', 'worker', 'data', 'cache', 'compute', 'public'];

export interface CellInput {
  /** `[a-z][a-z0-9]{0,7}` */
  readonly name: string;
  /** Full AZ name; single-AZ cells only. */
  readonly zone?: string;
  readonly slot: Slot;
}

/** The network part of a FLAG, already normalised (defaults filled in). */
export interface NetworkInput {
  /** Always a /16. */
  readonly vpcCidr: string;
  /** Full AZ names, in grid order (index = zone coordinate). At most 3. */
  readonly zones: readonly string[];
  /** @default '100.64.0.0/16' */
  readonly podCidr: string;
  /** Prefix of each node's pod subnet. @default 24 */
  readonly nodePodPrefix: number;
  /** Ranges nothing may overlap (peered VPCs, on-premises). @default [] */
  readonly reserved: readonly string[];
  readonly topology: Topology;
  readonly cells: readonly CellInput[];
  /** kubelet `maxPods`. @default 110 */
  readonly maxPods?: number;
  /** Nodes of the control plane that register with kubelet and take a node pod subnet. @default 3 */
  readonly controlPlaneNodes?: number;
}

export interface Block {
  /** Stable identifier, e.g. `us-east-1a/slot1/worker`, `us-east-1a/data`, `us-east-1a/public`. */
  readonly name: string;
  readonly kind: BlockKind;
  readonly cidr: string;
  readonly zone: string;
  /** The cell that owns it; null for per-zone resource and public subnets. */
  readonly cell: string | null;
}

export interface EtcdMember {
  readonly zone: string;
  /** CIDR of the management subnet it lives in. */
  readonly subnet: string;
  /** Fixed private IP (host address 10 + member index of its subnet). */
  readonly ip: string;
}

export type NodeConstraint = 'worker-addresses' | 'pod-network';
export type PodsPerNodeConstraint = 'max-pods' | 'node-subnet';

/** One capacity figure with the arithmetic that produced it, for people to check. */
export interface CapacityFigure {
  readonly value: number;
  readonly formula: string;
}

export interface Capacity {
  /** Nodes the cell can run: the binding minimum of worker addresses and node pod subnets. */
  readonly nodes: number;
  readonly podsPerNode: number;
  /** nodes × podsPerNode */
  readonly pods: number;
  /** Service IPs in the service network. */
  readonly services: number;
  readonly bindingConstraint: NodeConstraint;
  readonly podsPerNodeConstraint: PodsPerNodeConstraint;
  /** Every figure with its formula (worker addresses, node pod subnets, pods per node by network and by maxPods, ...). */
  readonly figures: Readonly<Record<string, CapacityFigure>>;
  /** The seed design's network-level figure (250 nodes × 255 pods = 63,750), shown beside the real one. */
  readonly seedFigure: CapacityFigure;
  /** What binds and how to lift it, in a sentence or two. */
  readonly note: string;
}

export interface CellPlan {
  readonly name: string;
  /** Single-AZ: one zone; multi-AZ: every zone of the FLAG, in grid order. */
  readonly zones: readonly string[];
  readonly slot: Slot;
  readonly managementSubnets: readonly string[];
  /** In round-robin order (the order workers are spread over). */
  readonly workerSubnets: readonly string[];
  readonly serviceCidr: string;
  readonly apiServiceIp: string;
  readonly dnsServiceIp: string;
  readonly podCidr: string;
  readonly nodePodPrefix: number;
  /** Always three members. */
  readonly etcd: readonly EtcdMember[];
  readonly capacity: Capacity;
}

export interface NetworkPlan {
  readonly vpcCidr: string;
  readonly podCidr: string;
  readonly nodePodPrefix: number;
  readonly topology: Topology;
  readonly zones: readonly string[];
  /** Every block in use, sorted by address. */
  readonly blocks: readonly Block[];
  readonly cells: readonly CellPlan[];
  /** VPC space outside the grid (and outside reserved ranges), as CIDRs sorted by address. */
  readonly free: readonly string[];
}

/**
 * A problem with the network input. `path` is relative to the FLAG document
 * (`network.vpcCidr`, `cells[1].slot`) so that the config loader can add the
 * file name and report it as-is.
 */
export interface NetworkIssue {
  /** Stable, e.g. `CIDR_NOT_CANONICAL`, `VPC_NOT_SLASH16`, `CELL_SLOT_TAKEN`. */
  readonly code: string;
  readonly path: string;
  readonly message: string;
  readonly received?: unknown;
  /** What would be right, e.g. the canonical CIDR. */
  readonly expected?: string;
}
