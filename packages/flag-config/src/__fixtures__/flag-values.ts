import { flagDir, flagFile, flagId } from '../naming';
import type { Flag } from '../types';

/** The pod network every example FLAG leaves at its defaults. */
export const NETWORK_DEFAULTS = { podCidr: '100.64.0.0/16', nodePodPrefix: 24, reserved: [] } as const;

/** A loaded FLAG as a value, its names derived from the triple as the loader derives them. */
export function flagValue(
  customer: string,
  environment: string,
  region: string,
  rest: Omit<Flag, 'id' | 'customer' | 'environment' | 'region' | 'dir' | 'file'>,
): Flag {
  const triple = { customer, environment, region };
  return { id: flagId(triple), ...triple, dir: flagDir(triple), file: flagFile(triple), ...rest };
}
