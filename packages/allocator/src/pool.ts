import { type Cidr, endOf, formatCidr, parseCidr, rangesOverlap, sizeOf } from './cidr';
import { NetworkPlanError } from './errors';
import { GRID_VPC_PREFIX } from './grid';

/**
 * The first /16 (in address order) inside any of the `pool` CIDRs that
 * overlaps none of `used`; undefined when every /16 is taken. A pool smaller
 * than a /16 holds none. Throws `NetworkPlanError` (CIDR_INVALID) when a pool or
 * used entry is not a CIDR; host bits are ignored (validation reports them).
 */
export function firstFreeSlash16(pool: readonly string[], used: readonly string[]): string | undefined {
  const pools = pool.map((text, i) => parseOrThrow(text, `pool[${i}]`));
  const taken = used.map((text, i) => parseOrThrow(text, `used[${i}]`)).sort((a, b) => a.base - b.base);
  const firsts = pools.flatMap((range) => {
    const found = firstFreeIn(range, taken);
    return found === undefined ? [] : [found];
  });
  if (firsts.length === 0) return undefined;
  return formatCidr({ base: Math.min(...firsts), prefix: GRID_VPC_PREFIX });
}

/** First free /16 base in `range`, stepping past each taken range instead of testing every /16 against every one. */
function firstFreeIn(range: Cidr, taken: readonly Cidr[]): number | undefined {
  if (range.prefix > GRID_VPC_PREFIX) return undefined;
  const step = sizeOf(GRID_VPC_PREFIX);
  let candidate = range.base;
  while (candidate < endOf(range)) {
    const slash16 = { base: candidate, prefix: GRID_VPC_PREFIX };
    const blocker = taken.find((t) => rangesOverlap(t, slash16));
    if (!blocker) return candidate;
    // Next /16 boundary at or after the blocker's end.
    candidate = Math.max(candidate + step, Math.ceil(endOf(blocker) / step) * step);
  }
  return undefined;
}

function parseOrThrow(text: string, path: string): Cidr {
  const cidr = parseCidr(text);
  if (cidr) return cidr;
  throw new NetworkPlanError([
    {
      code: 'CIDR_INVALID',
      path,
      message: `${JSON.stringify(text)} is not an IPv4 CIDR`,
      received: text,
      expected: 'a CIDR such as 10.0.0.0/8',
    },
  ]);
}
