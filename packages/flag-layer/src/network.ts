import type { Construct } from 'constructs';
import { SUBNET_KINDS, type Block, type BlockKind, type NetworkPlan } from '@kitt/allocator';
import type { Flag } from '@kitt/flag-config';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { blockSlug, resourceName, subnetTags } from '@kitt/flag-config';

/** Kinds whose subnets reach the internet through their zone's NAT gateway. */
export const NAT_ROUTED_KINDS: readonly BlockKind[] = ['management', 'worker', 'compute'];
/** Kinds whose subnets have no route out of the VPC at all. */
export const ISOLATED_KINDS = ['data', 'cache'] as const;

/** Subnet tags that tell Kubernetes' AWS load balancer integrations where to put load balancers. */
const KUBERNETES_SUBNET_TAGS: Partial<Record<BlockKind, Record<string, string>>> = {
  public: { 'kubernetes.io/role/elb': '1' },
  worker: { 'kubernetes.io/role/internal-elb': '1' },
};

export interface FlagNetwork {
  readonly vpc: Vpc;
  /** The real subnet blocks of the plan, in plan order. */
  readonly subnetBlocks: readonly Block[];
  /** By block name (`us-east-1a/slot1/worker`). */
  readonly subnets: ReadonlyMap<string, Subnet>;
  /** By zone. */
  readonly natEips: ReadonlyMap<string, Eip>;
}

/**
 * VPC, one subnet per real block of the plan, internet gateway, a NAT
 * gateway per zone, route tables and the S3 gateway endpoint. Every
 * resource sits directly in the stack so its construct id is its Terraform
 * name (`aws_subnet.subnet-us-east-1a-slot1-worker`): these ids are a
 * contract, pinned by a test. The steps run in this order so the
 * synthesized JSON keeps its order too.
 */
export function addNetwork(scope: Construct, flag: Flag, plan: NetworkPlan): FlagNetwork {
  const vpc = addVpc(scope, flag, plan);
  const subnetBlocks = plan.blocks.filter((block) => SUBNET_KINDS.includes(block.kind));
  const subnets = addSubnets(scope, flag, vpc, subnetBlocks);
  const subnetOf = (block: Block): Subnet => subnets.get(block.name) as Subnet;

  const { igw, publicTable } = addInternetGateway(scope, flag, vpc);
  const publicSubnetOf = (zone: string): Subnet =>
    subnetOf(subnetBlocks.find((block) => block.kind === 'public' && block.zone === zone) as Block);
  const nats = addNatGateways(scope, flag, vpc, igw, plan.zones, publicSubnetOf);
  const isolatedTables = addIsolatedRouteTables(scope, flag, vpc);

  const tableOf = (block: Block): RouteTable | undefined =>
    NAT_ROUTED_KINDS.includes(block.kind)
      ? nats.get(block.zone)?.table
      : block.kind === 'public'
        ? publicTable
        : isolatedTables.get(block.kind);
  associateRouteTables(scope, subnetBlocks, subnetOf, tableOf);
  const privateTables = [...nats.values()].map((nat) => nat.table);
  addS3Endpoint(scope, flag, vpc, privateTables);

  const natEips = new Map([...nats].map(([zone, nat]) => [zone, nat.eip]));
  return { vpc, subnetBlocks, subnets, natEips };
}

function addVpc(scope: Construct, flag: Flag, plan: NetworkPlan): Vpc {
  return new Vpc(scope, 'vpc', {
    cidrBlock: plan.vpcCidr,
    enableDnsSupport: true,
    enableDnsHostnames: true,
    tags: { Name: resourceName(flag) },
  });
}

/** One subnet per block, by block name. */
function addSubnets(scope: Construct, flag: Flag, vpc: Vpc, blocks: readonly Block[]): Map<string, Subnet> {
  const subnets = new Map<string, Subnet>();
  for (const block of blocks) {
    subnets.set(
      block.name,
      new Subnet(scope, `subnet-${blockSlug(block)}`, {
        vpcId: vpc.id,
        cidrBlock: block.cidr,
        availabilityZone: block.zone,
        tags: { ...subnetTags(flag, block), ...KUBERNETES_SUBNET_TAGS[block.kind] },
      }),
    );
  }
  return subnets;
}

/** The internet gateway and the public subnets' route table, whose default route goes through it. */
function addInternetGateway(scope: Construct, flag: Flag, vpc: Vpc): { igw: InternetGateway; publicTable: RouteTable } {
  const igw = new InternetGateway(scope, 'igw', { vpcId: vpc.id, tags: { Name: resourceName(flag) } });
  const publicTable = new RouteTable(scope, 'rt-public', {
    vpcId: vpc.id,
    tags: { Name: resourceName(flag, 'public') },
  });
  new Route(scope, 'route-public-internet', {
    routeTableId: publicTable.id,
    destinationCidrBlock: '0.0.0.0/0',
    gatewayId: igw.id,
  });
  return { igw, publicTable };
}

/** Per zone: a NAT gateway (and its address) in the zone's public subnet, and the private route table through it. */
function addNatGateways(
  scope: Construct,
  flag: Flag,
  vpc: Vpc,
  igw: InternetGateway,
  zones: readonly string[],
  publicSubnetOf: (zone: string) => Subnet,
): Map<string, { eip: Eip; table: RouteTable }> {
  const nats = new Map<string, { eip: Eip; table: RouteTable }>();
  for (const zone of zones) {
    const eip = new Eip(scope, `eip-nat-${zone}`, { domain: 'vpc', tags: { Name: resourceName(flag, 'nat', zone) } });
    const nat = new NatGateway(scope, `nat-${zone}`, {
      allocationId: eip.allocationId,
      subnetId: publicSubnetOf(zone).id,
      tags: { Name: resourceName(flag, 'nat', zone) },
      dependsOn: [igw],
    });
    const table = new RouteTable(scope, `rt-private-${zone}`, {
      vpcId: vpc.id,
      tags: { Name: resourceName(flag, 'private', zone) },
    });
    new Route(scope, `route-private-${zone}-nat`, {
      routeTableId: table.id,
      destinationCidrBlock: '0.0.0.0/0',
      natGatewayId: nat.id,
    });
    nats.set(zone, { eip, table });
  }
  return nats;
}

/** One table per isolated tier, shared by its zones: it holds only the VPC's local route. */
function addIsolatedRouteTables(scope: Construct, flag: Flag, vpc: Vpc): Map<BlockKind, RouteTable> {
  return new Map(
    ISOLATED_KINDS.map((kind) => [
      kind,
      new RouteTable(scope, `rt-${kind}`, { vpcId: vpc.id, tags: { Name: resourceName(flag, kind) } }),
    ]),
  );
}

function associateRouteTables(
  scope: Construct,
  blocks: readonly Block[],
  subnetOf: (block: Block) => Subnet,
  tableOf: (block: Block) => RouteTable | undefined,
): void {
  for (const block of blocks) {
    new RouteTableAssociation(scope, `rta-${blockSlug(block)}`, {
      subnetId: subnetOf(block).id,
      routeTableId: (tableOf(block) as RouteTable).id,
    });
  }
}

/** S3 without the NAT (cheaper, and images and artifacts stay on AWS's network) for the subnets that run hosts. */
function addS3Endpoint(scope: Construct, flag: Flag, vpc: Vpc, tables: readonly RouteTable[]): void {
  new VpcEndpoint(scope, 'vpce-s3', {
    vpcId: vpc.id,
    serviceName: `com.amazonaws.${flag.region}.s3`,
    vpcEndpointType: 'Gateway',
    routeTableIds: tables.map((table) => table.id),
    tags: { Name: resourceName(flag, 's3') },
  });
}

/** The subnets of one kind, in plan order. */
export function subnetsOfKind(network: FlagNetwork, kind: BlockKind): Subnet[] {
  return network.subnetBlocks
    .filter((block) => block.kind === kind)
    .map((block) => network.subnets.get(block.name))
    .filter((subnet): subnet is Subnet => subnet !== undefined);
}
