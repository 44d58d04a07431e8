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
 * contract, pinned by a test.
 */
export function addNetwork(scope: Construct, flag: Flag, plan: NetworkPlan): FlagNetwork {
  const vpc = new Vpc(scope, 'vpc', {
    cidrBlock: plan.vpcCidr,
    enableDnsSupport: true,
    enableDnsHostnames: true,
    tags: { Name: resourceName(flag) },
  });

  const subnetBlocks = plan.blocks.filter((block) => SUBNET_KINDS.includes(block.kind));
  const subnets = new Map<string, Subnet>();
  for (const block of subnetBlocks) {
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
  const subnetOf = (block: Block): Subnet => subnets.get(block.name) as Subnet;

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

  const natEips = new Map<string, Eip>();
  const natTables: RouteTable[] = [];
  const tableOfKind = new Map<BlockKind, RouteTable>([['public', publicTable]]);
  const natTableOfZone = new Map<string, RouteTable>();
  for (const zone of plan.zones) {
    const publicBlock = subnetBlocks.find((block) => block.kind === 'public' && block.zone === zone) as Block;
    const eip = new Eip(scope, `eip-nat-${zone}`, { domain: 'vpc', tags: { Name: resourceName(flag, 'nat', zone) } });
    const nat = new NatGateway(scope, `nat-${zone}`, {
      allocationId: eip.allocationId,
      subnetId: subnetOf(publicBlock).id,
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
    natEips.set(zone, eip);
    natTables.push(table);
    natTableOfZone.set(zone, table);
  }
  for (const kind of ISOLATED_KINDS) {
    // One table per tier, shared by its zones: it holds only the VPC's local route.
    tableOfKind.set(
      kind,
      new RouteTable(scope, `rt-${kind}`, { vpcId: vpc.id, tags: { Name: resourceName(flag, kind) } }),
    );
  }

  for (const block of subnetBlocks) {
    const table = NAT_ROUTED_KINDS.includes(block.kind) ? natTableOfZone.get(block.zone) : tableOfKind.get(block.kind);
    new RouteTableAssociation(scope, `rta-${blockSlug(block)}`, {
      subnetId: subnetOf(block).id,
      routeTableId: (table as RouteTable).id,
    });
  }

  // S3 without the NAT (cheaper, and images and artifacts stay on AWS's network) for the subnets that run hosts.
  new VpcEndpoint(scope, 'vpce-s3', {
    vpcId: vpc.id,
    serviceName: `com.amazonaws.${flag.region}.s3`,
    vpcEndpointType: 'Gateway',
    routeTableIds: natTables.map((table) => table.id),
    tags: { Name: resourceName(flag, 's3') },
  });

  return { vpc, subnetBlocks, subnets, natEips };
}

/** The subnets of one kind, in plan order. */
export function subnetsOfKind(network: FlagNetwork, kind: BlockKind): Subnet[] {
  return network.subnetBlocks
    .filter((block) => block.kind === kind)
    .map((block) => network.subnets.get(block.name))
    .filter((subnet): subnet is Subnet => subnet !== undefined);
}
