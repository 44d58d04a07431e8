/**
 * The FLAG address grid: every block's CIDR is a function of its coordinates,
 * zone index `z` (0–2, position in `network.zones`) and slot `s` (1 or 2,
 * `s0 = s - 1`), never of which other blocks exist. Adding a zone or a cell,
 * or removing a cell, therefore never moves another block (a moved subnet is a
 * destroyed subnet), and the same input always gives the same plan.
 *
 * One VPC /16 (AWS's largest), offsets from its base; third octet shown for
 * 10.0.0.0/16:
 *
 *   .0   ┌─ resource /20s, (3z + k) × 4096, k = data, cache, compute ─────┐
 *        │ z0: data .0     cache .16    compute .32                      │
 *        │ z1: data .48    cache .64    compute .80                      │
 *        │ z2: data .96    cache .112   compute .128                     │
 *   .144 ├─ service /21s, 36864 + (2z + s0) × 2048 (Kubernetes only) ────┤
 *        │ z0: s1 .144  s2 .152   z1: s1 .160  s2 .168                   │
 *        │ z2: s1 .176  s2 .184                                          │
 *   .192 ├─ cell /23s, 49152 + (2z + s0) × 512: management /24, worker /24┤
 *        │ z0: s1 .192 .193   s2 .194 .195                               │
 *        │ z1: s1 .196 .197   s2 .198 .199                               │
 *        │ z2: s1 .200 .201   s2 .202 .203                               │
 *   .204 ├─ public /24s, 52224 + z × 256 ─────────────────────────────────┤
 *        │ z0 .204   z1 .205   z2 .206                                   │
 *   .207 ├─ free: .207.0/24, .208.0/20, .224.0/19 (12,544 addresses) ─────┤
 *   .255 └────────────────────────────────────────────────────────────────┘
 *
 * A single-AZ cell is one (z, s): its management and worker /24 and the
 * service /21 of (z, s). A multi-AZ cell takes slot s in every zone and the
 * service /21 of (0, s); the service /21s of (1, s) and (2, s) stay unused.
 * The room for three zones × two slots is held from day one, so a FLAG with
 * fewer zones or cells leaves its unused coordinates empty rather than
 * handing them out: that is the space this layout spends on stability.
 */
import { type Cidr, coverWithCidrs, endOf, subtractRanges } from './cidr';
import type { BlockKind, Slot } from './types';

/** Zones the grid has room for. */
export const GRID_ZONES = 3;
/** Slots per zone, as written in `flag.yaml`. */
export const GRID_SLOTS: readonly Slot[] = [1, 2];
/** The grid is laid out for exactly one /16. */
export const GRID_VPC_PREFIX = 16;

export type ResourceKind = 'data' | 'cache' | 'compute';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['data', 'cache', 'compute'];

const RESOURCE = { start: 0, step: 4096, prefix: 20 };
const SERVICE = { start: 36864, step: 2048, prefix: 21 };
const CELL = { start: 49152, step: 512, prefix: 24, workerAt: 256 };
const PUBLIC = { start: 52224, step: 256, prefix: 24 };
/** Offset of the first address after the full grid (`.207.0` in a /16). */
export const GRID_END_OFFSET = PUBLIC.start + GRID_ZONES * PUBLIC.step;

/** Linear index of (z, s) in zone-major order: z0s1, z0s2, z1s1, ... */
function slotIndex(zone: number, slot: Slot): number {
  return 2 * zone + (slot - 1);
}

export function resourceBlock(vpcBase: number, zone: number, kind: ResourceKind): Cidr {
  const k = RESOURCE_KINDS.indexOf(kind);
  return { base: vpcBase + RESOURCE.start + (3 * zone + k) * RESOURCE.step, prefix: RESOURCE.prefix };
}

export function serviceBlock(vpcBase: number, zone: number, slot: Slot): Cidr {
  return { base: vpcBase + SERVICE.start + slotIndex(zone, slot) * SERVICE.step, prefix: SERVICE.prefix };
}

export function managementBlock(vpcBase: number, zone: number, slot: Slot): Cidr {
  return { base: vpcBase + CELL.start + slotIndex(zone, slot) * CELL.step, prefix: CELL.prefix };
}

export function workerBlock(vpcBase: number, zone: number, slot: Slot): Cidr {
  return { base: managementBlock(vpcBase, zone, slot).base + CELL.workerAt, prefix: CELL.prefix };
}

export function publicBlock(vpcBase: number, zone: number): Cidr {
  return { base: vpcBase + PUBLIC.start + zone * PUBLIC.step, prefix: PUBLIC.prefix };
}

/**
 * VPC space after the full grid (every zone, every slot), less the reserved
 * ranges, as the fewest aligned CIDRs in address order. Space of the grid that
 * a FLAG does not use yet is not free: it is held for its zone and slot.
 */
export function freeSpace(vpc: Cidr, reserved: readonly Cidr[]): Cidr[] {
  const tail = subtractRanges(vpc.base + GRID_END_OFFSET, endOf(vpc), reserved);
  return tail.flatMap(([start, end]) => coverWithCidrs(start, end));
}

/** Where a cell sits on the grid: the zones it spans and the zone whose service /21 it uses. */
export interface CellCoordinates {
  readonly name: string;
  readonly slot: Slot;
  /** Zone indexes, ascending (single-AZ: one). */
  readonly zones: readonly number[];
  readonly serviceZone: number;
}

/** A block placed on the grid, before zone and cell names are attached. */
export interface PlacedBlock {
  readonly name: string;
  readonly kind: BlockKind;
  readonly range: Cidr;
  readonly zone: number;
  readonly cell: string | null;
}

/** Blocks in use: per zone its resource and public subnets, per cell its subnets and service network; by address. */
export function placeBlocks(
  vpcBase: number,
  zoneNames: readonly string[],
  cells: readonly CellCoordinates[],
): PlacedBlock[] {
  const blocks: PlacedBlock[] = [];
  zoneNames.slice(0, GRID_ZONES).forEach((zoneName, zone) => {
    for (const kind of RESOURCE_KINDS) {
      blocks.push({ name: `${zoneName}/${kind}`, kind, range: resourceBlock(vpcBase, zone, kind), zone, cell: null });
    }
    blocks.push({ name: `${zoneName}/public`, kind: 'public', range: publicBlock(vpcBase, zone), zone, cell: null });
  });
  for (const cell of cells) {
    const prefix = (zone: number) => `${zoneNames[zone]}/slot${cell.slot}`;
    for (const zone of cell.zones) {
      blocks.push({
        name: `${prefix(zone)}/management`,
        kind: 'management',
        range: managementBlock(vpcBase, zone, cell.slot),
        zone,
        cell: cell.name,
      });
      blocks.push({
        name: `${prefix(zone)}/worker`,
        kind: 'worker',
        range: workerBlock(vpcBase, zone, cell.slot),
        zone,
        cell: cell.name,
      });
    }
    const zone = cell.serviceZone;
    blocks.push({
      name: `${prefix(zone)}/service`,
      kind: 'service',
      range: serviceBlock(vpcBase, zone, cell.slot),
      zone,
      cell: cell.name,
    });
  }
  return blocks.sort((a, b) => a.range.base - b.range.base || endOf(a.range) - endOf(b.range));
}
