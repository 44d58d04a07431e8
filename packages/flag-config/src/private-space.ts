import { cidrContains } from '@kitt/allocator';

/**
 * Address space a VPC (and the org pool it comes from) may use: RFC 1918's
 * private ranges and RFC 6598's shared space. Everything else is public,
 * or special-purpose (loopback 127/8, link-local 169.254/16, multicast 224/4,
 * "this network" 0/8, reserved 240/4), where a VPC would shadow real
 * destinations or not route at all.
 */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'] as const;

/** Whether a canonical CIDR lies wholly inside one private range. */
export function isPrivateCidr(cidr: string): boolean {
  return PRIVATE_RANGES.some((range) => cidrContains(range, cidr));
}

export const PRIVATE_EXPECTED = `a range inside private address space: ${PRIVATE_RANGES.join(', ')}`;
