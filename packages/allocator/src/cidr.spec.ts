import {
  canonicalCidr,
  cidrContains,
  cidrsOverlap,
  coverWithCidrs,
  formatCidr,
  isCanonicalCidr,
  parseCidr,
} from './cidr';

describe('canonicalCidr', () => {
  it.each([
    ['10.0.0.0/16', '10.0.0.0/16'],
    ['10.0.1.0/16', '10.0.0.0/16'],
    ['10.16.255.255/12', '10.16.0.0/12'],
    ['10.0.0.0/016', '10.0.0.0/16'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['255.255.255.255/32', '255.255.255.255/32'],
    ['192.168.7.9/0', '0.0.0.0/0'],
  ])('gives %s the canonical form %s', (text, canonical) => {
    expect(canonicalCidr(text)).toBe(canonical);
  });

  it.each([
    '10.0.0.0',
    '10.0.0/16',
    '256.0.0.0/8',
    '10.0.0.0/33',
    ' 10.0.0.0/16',
    '10.0.0.0/16 ',
    '010.0.0.0/16',
    '10.0.0.0/-1',
    '10.0.0.0/+8',
    'fd00::/8',
    '',
  ])('returns undefined for %j, which is not an IPv4 CIDR', (text) => {
    expect(canonicalCidr(text)).toBeUndefined();
  });

  it('treats a value that is not a string as not a CIDR', () => {
    expect(parseCidr(16)).toBeUndefined();
  });
});

describe('isCanonicalCidr', () => {
  it('accepts a CIDR without host bits', () => {
    expect(isCanonicalCidr('172.16.0.0/12')).toBe(true);
  });

  it('rejects a CIDR with host bits set', () => {
    expect(isCanonicalCidr('172.16.0.1/12')).toBe(false);
  });

  it('rejects a prefix with a leading zero', () => {
    expect(isCanonicalCidr('10.0.0.0/08')).toBe(false);
  });
});

describe('cidrsOverlap and cidrContains', () => {
  it('sees a /24 inside its /16 as overlapping and contained', () => {
    expect(cidrsOverlap('10.0.0.0/16', '10.0.5.0/24')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.0.5.0/24')).toBe(true);
  });

  it('sees adjacent ranges as disjoint', () => {
    expect(cidrsOverlap('10.0.0.0/16', '10.1.0.0/16')).toBe(false);
  });

  it('does not see a bigger range as contained in a smaller one', () => {
    expect(cidrContains('10.0.5.0/24', '10.0.0.0/16')).toBe(false);
  });

  it('works at the top of the address space', () => {
    expect(cidrsOverlap('255.255.255.255/32', '255.0.0.0/8')).toBe(true);
    expect(cidrContains('0.0.0.0/0', '255.255.255.255/32')).toBe(true);
  });

  it('throws on text that is not a CIDR', () => {
    expect(() => cidrsOverlap('10.0.0.0/16', 'nope')).toThrow('Not an IPv4 CIDR: "nope"');
  });
});

describe('coverWithCidrs', () => {
  it('covers the space after the grid of a /16 with the fewest aligned blocks', () => {
    const base = 10 * 2 ** 24;
    const cover = coverWithCidrs(base + 52992, base + 65536).map(formatCidr);
    expect(cover).toEqual(['10.0.207.0/24', '10.0.208.0/20', '10.0.224.0/19']);
  });

  it('covers the whole address space with one /0', () => {
    expect(coverWithCidrs(0, 2 ** 32).map(formatCidr)).toEqual(['0.0.0.0/0']);
  });
});
