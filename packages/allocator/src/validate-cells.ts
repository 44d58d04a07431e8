import { cellCoordinates, placeKey } from './coordinates';
import { GRID_SLOTS, GRID_ZONES } from './grid';
import { shortText } from './format';
import type { IssueList } from './issue-list';
import type { NetworkInput } from './types';

/** Names unique, each cell on a grid place of its own, zones as the topology wants. */
export function validateCells(list: IssueList, input: NetworkInput): void {
  const { topology, zones, cells } = input;
  const coordinates = cells.map((cell) => cellCoordinates(topology, zones, cell));
  const placeOwner = new Map<string, number>();
  const occupied = new Set(coordinates.flatMap((c) => (c ? [placeKey(topology, c)] : [])));
  // Lookups by name and zone in one pass each: a hostile file can list thousands of both.
  const firstByName = new Map<string, number>();
  cells.forEach((cell, i) => {
    if (!firstByName.has(cell.name)) firstByName.set(cell.name, i);
  });
  const zoneSet = new Set(zones);
  const zoneList = `${zones.slice(0, GRID_ZONES).join(', ') || '(no zones)'}${zones.length > GRID_ZONES ? ', ...' : ''}`;

  cells.forEach((cell, i) => {
    const at = `cells[${i}]`;
    const firstNamed = firstByName.get(cell.name) ?? i;
    if (firstNamed !== i) {
      list.add(
        'CELL_NAME_DUPLICATE',
        `${at}.name`,
        `cell name ${cell.name} is already used by cells[${firstNamed}]`,
        cell.name,
        'a name no other cell of this FLAG uses',
      );
    }
    if (!GRID_SLOTS.includes(cell.slot)) {
      list.add(
        'CELL_SLOT_INVALID',
        `${at}.slot`,
        `slot ${JSON.stringify(cell.slot)} is outside the grid: every zone of a /16 has slots 1 and 2`,
        cell.slot,
        '1 or 2',
      );
    }
    if (topology === 'multi-az' && cell.zone !== undefined) {
      list.add(
        'CELL_ZONE_ON_MULTI_AZ',
        `${at}.zone`,
        `a multi-AZ cell spans every zone of the FLAG, so it takes no zone`,
        cell.zone,
        'no zone field',
      );
    }
    if (topology === 'single-az' && cell.zone === undefined) {
      list.add(
        'CELL_ZONE_MISSING',
        `${at}.zone`,
        `a single-AZ cell needs the zone it lives in`,
        undefined,
        `one of ${zoneList}`,
      );
    }
    if (topology === 'single-az' && cell.zone !== undefined && !zoneSet.has(cell.zone)) {
      list.add(
        'CELL_ZONE_UNKNOWN',
        `${at}.zone`,
        `zone ${shortText(cell.zone)} is not in network.zones`,
        cell.zone,
        `one of ${zoneList}, or add it to network.zones`,
      );
    }
    const place = coordinates[i];
    if (!place) return;
    const key = placeKey(topology, place);
    const owner = placeOwner.get(key);
    if (owner === undefined) {
      placeOwner.set(key, i);
      return;
    }
    const where = topology === 'multi-az' ? `slot ${cell.slot}` : `slot ${cell.slot} of ${shortText(cell.zone ?? '')}`;
    list.add(
      'CELL_SLOT_TAKEN',
      `${at}.slot`,
      `${where} is already taken by cell ${cells[owner]?.name} (cells[${owner}])`,
      cell.slot,
      freePlaces(input, occupied),
    );
  });
}

/** What would be right for a cell on a taken place: the places nobody holds. */
function freePlaces(input: NetworkInput, occupied: ReadonlySet<string>): string {
  const free: string[] = [];
  if (input.topology === 'multi-az') {
    for (const slot of GRID_SLOTS) if (!occupied.has(`slot${slot}`)) free.push(`slot ${slot}`);
  } else {
    input.zones.slice(0, GRID_ZONES).forEach((zone, z) => {
      for (const slot of GRID_SLOTS) if (!occupied.has(`${z}/slot${slot}`)) free.push(`${zone} slot ${slot}`);
    });
  }
  return free.length > 0
    ? `a free place: ${free.join(', ')}`
    : 'none is free: the grid is full (remove a cell, or add a zone)';
}
