import { Validator } from 'ip-num';

/**
 * IPv4 CIDR arithmetic on plain numbers (an address is an integer in
 * [0, 2^32), exact in a JS number). ip-num's `Validator` decides what text is
 * a CIDR; everything after parsing is integer math, so a host-bits CIDR such as
 * `10.0.1.0/16` is never silently taken for `10.0.0.0/16` (ip-num's
 * `IPv4CidrRange.fromCidr` would).
 */

/** A parsed, canonical range: `base` has no host bits set. */
export interface Cidr {
  /** First address, as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const DOTTED_WITH_PREFIX = /^\d+\.\d+\.\d+\.\d+\/\d+$/;

/** Number of addresses in a range of this prefix length. */
export function sizeOf(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** One past the last address of the range. */
export function endOf(cidr: Cidr): number {
  return cidr.base + sizeOf(cidr.prefix);
}

/** The dotted-quad form of an address. */
export function formatAddress(address: number): string {
  // `>>>` reads the number as unsigned 32-bit, which every address is.
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatAddress(cidr.base)}/${cidr.prefix}`;
}

/**
 * Parses CIDR text, clearing host bits. Undefined when the text is not an
 * IPv4 CIDR at all (octets out of range or with leading zeros, a prefix over 32,
 * whitespace, a missing prefix).
 */
export function parseCidr(text: unknown): Cidr | undefined {
  if (typeof text !== 'string' || !DOTTED_WITH_PREFIX.test(text)) return undefined;
  const [valid] = Validator.isValidIPv4CidrNotation(text);
  if (!valid) return undefined;
  const [address = '', prefixText = ''] = text.split('/');
  const prefix = Number(prefixText);
  const raw = address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
  const size = sizeOf(prefix);
  return { base: Math.floor(raw / size) * size, prefix };
}

/** The canonical form (host bits cleared, no leading zeros), or undefined when `text` is not a CIDR. */
export function canonicalCidr(text: string): string | undefined {
  const cidr = parseCidr(text);
  return cidr && formatCidr(cidr);
}

/** True when `text` is a CIDR written exactly in its canonical form. */
export function isCanonicalCidr(text: string): boolean {
  return canonicalCidr(text) === text;
}

/** Like `parseCidr`, but for values a caller has already validated: invalid text is a bug, so it throws. */
export function requireCidr(text: string): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) throw new TypeError(`Not an IPv4 CIDR: ${JSON.stringify(text)}`);
  return cidr;
}

export function rangesOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < endOf(b) && b.base < endOf(a);
}

export function rangeContains(outer: Cidr, inner: Cidr): boolean {
  return outer.base <= inner.base && endOf(inner) <= endOf(outer);
}

/** Whether two CIDRs share any address. Throws on text that is not a CIDR. */
export function cidrsOverlap(a: string, b: string): boolean {
  return rangesOverlap(requireCidr(a), requireCidr(b));
}

/** Whether every address of `inner` is in `outer`. Throws on text that is not a CIDR. */
export function cidrContains(outer: string, inner: string): boolean {
  return rangeContains(requireCidr(outer), requireCidr(inner));
}

/** The address `offset` places after the range's base, e.g. the API service IP at +1. */
export function addressAt(cidr: Cidr, offset: number): string {
  return formatAddress(cidr.base + offset);
}

/**
 * The fewest aligned CIDRs that exactly cover [start, end): at each step the
 * largest block that is aligned at `start` and does not run past `end`.
 */
export function coverWithCidrs(start: number, end: number): Cidr[] {
  const cidrs: Cidr[] = [];
  let base = start;
  while (base < end) {
    let prefix = base === 0 ? 0 : 32 - Math.min(32, trailingZeroBits(base));
    while (base + sizeOf(prefix) > end) prefix += 1;
    cidrs.push({ base, prefix });
    base += sizeOf(prefix);
  }
  return cidrs;
}

function trailingZeroBits(address: number): number {
  let bits = 0;
  while (bits < 32 && Math.floor(address / 2 ** bits) % 2 === 0) bits += 1;
  return bits;
}

/** The parts of [start, end) that no range of `holes` covers, in address order. */
export function subtractRanges(start: number, end: number, holes: readonly Cidr[]): Array<[number, number]> {
  const sorted = [...holes].sort((a, b) => a.base - b.base);
  const left: Array<[number, number]> = [];
  let cursor = start;
  for (const hole of sorted) {
    if (endOf(hole) <= cursor || hole.base >= end) continue;
    if (hole.base > cursor) left.push([cursor, hole.base]);
    cursor = Math.max(cursor, endOf(hole));
  }
  if (cursor < end) left.push([cursor, end]);
  return left;
}

/**
 * The same addresses written with as few CIDRs as possible, in address order:
 * overlapping and adjacent ranges are joined, then each run is covered with
 * the fewest aligned blocks (10.0.192.0/24 + 10.0.193.0/24 → 10.0.192.0/23).
 * Lossless, so it chooses no address: consumers with per-range limits (a
 * network ACL's 20 rules) use it on the plan's blocks. Throws on text that is
 * not a canonical CIDR.
 */
export function summarizeCidrs(cidrs: readonly string[]): string[] {
  const ranges = cidrs
    .map((text) => {
      if (!isCanonicalCidr(text))
        throw new TypeError(`Not a canonical IPv4 CIDR (host bits set, or not a CIDR): ${JSON.stringify(text)}`);
      return requireCidr(text);
    })
    .sort((a, b) => a.base - b.base);
  const runs: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = runs[runs.length - 1];
    if (last && range.base <= last[1]) last[1] = Math.max(last[1], endOf(range));
    else runs.push([range.base, endOf(range)]);
  }
  return runs.flatMap(([start, end]) => coverWithCidrs(start, end)).map(formatCidr);
}
