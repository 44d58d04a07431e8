import type { NetworkInput } from '@kitt/allocator';
import type { Flag } from './types';

/** The allocator's input for a FLAG: its network settings plus topology and cells (their grid places only). */
export function networkInputOf(flag: Flag): NetworkInput {
  const cells = flag.cells.map(({ name, zone, slot }) => (zone === undefined ? { name, slot } : { name, zone, slot }));
  return { ...flag.network, topology: flag.topology, cells };
}
