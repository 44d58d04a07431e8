import { GRID_SLOTS, GRID_ZONES, type CellCoordinates } from './grid';
import type { CellInput, Topology } from './types';

/**
 * Where a cell sits on the grid, or undefined when it sits nowhere (slot not
 * 1 or 2, single-AZ zone missing or unknown, zone beyond the grid's three).
 * Validation reports why; planning only ever sees cells that have a place.
 */
export function cellCoordinates(
  topology: Topology,
  zones: readonly string[],
  cell: CellInput,
): CellCoordinates | undefined {
  if (!GRID_SLOTS.includes(cell.slot)) return undefined;
  const gridZones = zones.slice(0, GRID_ZONES);
  if (gridZones.length === 0) return undefined;
  if (topology === 'multi-az') {
    return { name: cell.name, slot: cell.slot, zones: gridZones.map((_, z) => z), serviceZone: 0 };
  }
  const zone = cell.zone === undefined ? -1 : gridZones.indexOf(cell.zone);
  if (zone < 0) return undefined;
  return { name: cell.name, slot: cell.slot, zones: [zone], serviceZone: zone };
}

/** Key of the grid place a cell takes: (zone, slot) for single-AZ, slot for multi-AZ. */
export function placeKey(topology: Topology, coordinates: CellCoordinates): string {
  return topology === 'multi-az' ? `slot${coordinates.slot}` : `${coordinates.zones[0]}/slot${coordinates.slot}`;
}
