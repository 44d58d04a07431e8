import { cellCapacity } from './capacity';
import { type Cidr, addressAt, formatAddress, formatCidr, requireCidr } from './cidr';
import { cellCoordinates } from './coordinates';
import {
  API_SERVICE_HOST,
  DEFAULT_CONTROL_PLANE_NODES,
  DEFAULT_MAX_PODS,
  DNS_SERVICE_HOST,
  ETCD_FIRST_HOST,
  ETCD_MEMBERS,
} from './defaults';
import { NetworkPlanError } from './errors';
import {
  type CellCoordinates,
  type PlacedBlock,
  freeSpace,
  managementBlock,
  placeBlocks,
  serviceBlock,
  workerBlock,
} from './grid';
import type { Block, CellPlan, EtcdMember, NetworkInput, NetworkPlan } from './types';
import { validateNetwork } from './validate';

/**
 * The network plan of a FLAG: every block in use, per cell its subnets,
 * service addresses, etcd placement and capacity, and the free VPC space.
 * Pure and deterministic; throws `NetworkPlanError` with every issue
 * `validateNetwork` finds.
 */
export function planNetwork(input: NetworkInput): NetworkPlan {
  const issues = validateNetwork(input);
  if (issues.length > 0) throw new NetworkPlanError(issues);

  const vpc = requireCidr(input.vpcCidr);
  const pod = requireCidr(input.podCidr);
  const placed = input.cells.map((cell) => {
    const coordinates = cellCoordinates(input.topology, input.zones, cell);
    // validateNetwork guarantees a place; a missing one is a bug in this package.
    if (!coordinates) throw new Error(`cell ${cell.name} has no place on the grid`);
    return coordinates;
  });
  const blocks = placeBlocks(vpc.base, input.zones, placed);
  return {
    vpcCidr: input.vpcCidr,
    podCidr: input.podCidr,
    nodePodPrefix: input.nodePodPrefix,
    topology: input.topology,
    zones: [...input.zones],
    blocks: blocks.map((block) => toBlock(block, input.zones)),
    cells: placed.map((coordinates) => planCell(input, vpc, pod, coordinates)),
    free: freeSpace(vpc, input.reserved.map(requireCidr)).map(formatCidr),
  };
}

function toBlock(block: PlacedBlock, zones: readonly string[]): Block {
  return {
    name: block.name,
    kind: block.kind,
    cidr: formatCidr(block.range),
    zone: zones[block.zone] ?? '',
    cell: block.cell,
  };
}

function planCell(input: NetworkInput, vpc: Cidr, pod: Cidr, place: CellCoordinates): CellPlan {
  const management = place.zones.map((z) => managementBlock(vpc.base, z, place.slot));
  const workers = place.zones.map((z) => workerBlock(vpc.base, z, place.slot));
  const service = serviceBlock(vpc.base, place.serviceZone, place.slot);
  const zoneNames = place.zones.map((z) => input.zones[z] ?? '');
  return {
    name: place.name,
    zones: zoneNames,
    slot: place.slot,
    managementSubnets: management.map(formatCidr),
    workerSubnets: workers.map(formatCidr),
    serviceCidr: formatCidr(service),
    apiServiceIp: addressAt(service, API_SERVICE_HOST),
    dnsServiceIp: addressAt(service, DNS_SERVICE_HOST),
    podCidr: input.podCidr,
    nodePodPrefix: input.nodePodPrefix,
    etcd: etcdMembers(management, zoneNames),
    capacity: cellCapacity({
      workerPrefixes: workers.map((w) => w.prefix),
      podCidr: input.podCidr,
      podPrefix: pod.prefix,
      nodePodPrefix: input.nodePodPrefix,
      servicePrefix: service.prefix,
      maxPods: input.maxPods ?? DEFAULT_MAX_PODS,
      controlPlaneNodes: input.controlPlaneNodes ?? DEFAULT_CONTROL_PLANE_NODES,
    }),
  };
}

/** Always three members, round-robin over the management subnets in zone order; member i at host 10 + i. */
function etcdMembers(management: readonly Cidr[], zones: readonly string[]): EtcdMember[] {
  return Array.from({ length: ETCD_MEMBERS }, (_, i) => {
    const at = i % management.length;
    const subnet = management[at] as Cidr;
    return { zone: zones[at] ?? '', subnet: formatCidr(subnet), ip: formatAddress(subnet.base + ETCD_FIRST_HOST + i) };
  });
}
