/**
 * The same IPv4 addresses written with as few prefixes as possible: drops
 * prefixes inside others and joins sibling pairs (10.0.192.0/24 +
 * 10.0.193.0/24 → 10.0.192.0/23), repeatedly. Lossless: the result covers
 * exactly the addresses of the input, so no address is chosen here (they all
 * come from the network plan); it only keeps network ACLs under AWS's rule
 * limit. Sorted by address.
 */
export function mergeCidrs(cidrs: readonly string[]): string[] {
  let ranges = cidrs.map(parseCidr).sort((a, b) => a.base - b.base || a.prefix - b.prefix);
  for (let changed = true; changed; ) {
    changed = false;
    const next: Prefix[] = [];
    for (const range of ranges) {
      const last = next[next.length - 1];
      if (last !== undefined && contains(last, range)) {
        changed = true;
      } else if (last !== undefined && areSiblings(last, range)) {
        next[next.length - 1] = { base: last.base, prefix: last.prefix - 1 };
        changed = true;
      } else {
        next.push(range);
      }
    }
    ranges = next;
  }
  return ranges.map(formatCidr);
}

interface Prefix {
  /** First address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

const size = (prefix: number): number => 2 ** (32 - prefix);

function contains(outer: Prefix, inner: Prefix): boolean {
  return outer.prefix <= inner.prefix && inner.base >= outer.base && inner.base < outer.base + size(outer.prefix);
}

function areSiblings(a: Prefix, b: Prefix): boolean {
  return (
    a.prefix === b.prefix &&
    a.prefix > 0 &&
    a.base % size(a.prefix - 1) === 0 &&
    b.base === a.base + size(a.prefix)
  );
}

function parseCidr(cidr: string): Prefix {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(match?.[5]);
  if (octets.length !== 4 || octets.some((o) => o > 255) || !(prefix <= 32)) {
    throw new RangeError(`Not an IPv4 CIDR: "${cidr}".`);
  }
  const base = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  if (base % size(prefix) !== 0) throw new RangeError(`Not a canonical CIDR (host bits set): "${cidr}".`);
  return { base, prefix };
}

function formatCidr({ base, prefix }: Prefix): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}
