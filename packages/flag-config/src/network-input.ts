import type { NetworkInput } from '@kitt/allocator';
import type { Flag } from './types';

/** The allocator's input for a FLAG: its network settings plus topology and cells. */
export function networkInputOf(flag: Flag): NetworkInput {
  return { ...flag.network, topology: flag.topology, cells: flag.cells };
}
