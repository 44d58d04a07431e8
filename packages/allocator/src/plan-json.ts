import type { Capacity, CapacityFigure, CellPlan, NetworkPlan } from './types';

/** Who the plan belongs to, as written at the top of the JSON. */
export interface NetworkPlanIdentity {
  /** `<customer>-<environment>-<region>` */
  readonly id: string;
  readonly customer: string;
  readonly environment: string;
  readonly region: string;
}

/**
 * `kitt network --format json`: a documented contract. Keys appear in exactly
 * this order, so `JSON.stringify` of the same plan is byte-identical:
 *
 * ```
 * flag        {id, customer, environment, region}
 * vpcCidr     the VPC /16
 * podCidr     the pod network, shared by every cell, never routed
 * topology    single-az | multi-az
 * zones       AZ names in grid order (index = zone coordinate)
 * blocks[]    {name, kind, cidr, zone, cell}: every block in use, by address;
 *             name is a stable id (`us-east-1a/slot1/worker`, `us-east-1a/data`),
 *             kind one of management | worker | service | data | cache | compute | public,
 *             cell null for per-zone blocks
 * cells[]     {name, zones, slot, managementSubnets, workerSubnets (round-robin order),
 *              serviceCidr, apiServiceIp (+1), dnsServiceIp (+10), podCidr, nodePodPrefix,
 *              etcd[] {zone, subnet, ip},
 *              capacity {nodes, podsPerNode, pods, services, bindingConstraint,
 *                        podsPerNodeConstraint, figures {<name>: {value, formula}},
 *                        seedFigure {value, formula}, note}}
 * free[]      VPC CIDRs outside the grid and the reserved ranges, by address
 * ```
 */
export function networkPlanJson(plan: NetworkPlan, identity: NetworkPlanIdentity): object {
  return {
    flag: { id: identity.id, customer: identity.customer, environment: identity.environment, region: identity.region },
    vpcCidr: plan.vpcCidr,
    podCidr: plan.podCidr,
    topology: plan.topology,
    zones: [...plan.zones],
    blocks: plan.blocks.map((b) => ({ name: b.name, kind: b.kind, cidr: b.cidr, zone: b.zone, cell: b.cell })),
    cells: plan.cells.map(cellJson),
    free: [...plan.free],
  };
}

function cellJson(cell: CellPlan): object {
  return {
    name: cell.name,
    zones: [...cell.zones],
    slot: cell.slot,
    managementSubnets: [...cell.managementSubnets],
    workerSubnets: [...cell.workerSubnets],
    serviceCidr: cell.serviceCidr,
    apiServiceIp: cell.apiServiceIp,
    dnsServiceIp: cell.dnsServiceIp,
    podCidr: cell.podCidr,
    nodePodPrefix: cell.nodePodPrefix,
    etcd: cell.etcd.map((m) => ({ zone: m.zone, subnet: m.subnet, ip: m.ip })),
    capacity: capacityJson(cell.capacity),
  };
}

function capacityJson(capacity: Capacity): object {
  const figures: Record<string, CapacityFigure> = {};
  for (const [name, figure] of Object.entries(capacity.figures)) figures[name] = figureJson(figure);
  return {
    nodes: capacity.nodes,
    podsPerNode: capacity.podsPerNode,
    pods: capacity.pods,
    services: capacity.services,
    bindingConstraint: capacity.bindingConstraint,
    podsPerNodeConstraint: capacity.podsPerNodeConstraint,
    figures,
    seedFigure: figureJson(capacity.seedFigure),
    note: capacity.note,
  };
}

function figureJson(figure: CapacityFigure): CapacityFigure {
  return { value: figure.value, formula: figure.formula };
}
