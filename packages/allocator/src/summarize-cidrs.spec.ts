import fc from 'fast-check';
import { summarizeCidrs } from './cidr';

describe('summarizeCidrs', () => {
  it("joins a cell's management and worker /24s into its /23", () => {
    expect(summarizeCidrs(['10.0.193.0/24', '10.0.192.0/24'])).toEqual(['10.0.192.0/23']);
  });

  it('does not join neighbours that are not siblings', () => {
    expect(summarizeCidrs(['10.0.193.0/24', '10.0.194.0/24'])).toEqual(['10.0.193.0/24', '10.0.194.0/24']);
  });

  it('joins repeatedly, up to the widest exact prefix', () => {
    expect(
      summarizeCidrs(['10.0.192.0/24', '10.0.193.0/24', '10.0.194.0/24', '10.0.195.0/24', '10.0.196.0/24']),
    ).toEqual(['10.0.192.0/22', '10.0.196.0/24']);
  });

  it('drops a prefix inside another', () => {
    expect(summarizeCidrs(['10.0.0.0/20', '10.0.4.0/24'])).toEqual(['10.0.0.0/20']);
  });

  it('refuses a CIDR with host bits set', () => {
    expect(() => summarizeCidrs(['10.0.1.0/23'])).toThrow(/host bits/);
  });

  it('covers exactly the addresses of its input', () => {
    // /26../30 prefixes inside 10.0.0.0/24, compared as sets of /30 granules.
    const prefix = fc
      .integer({ min: 26, max: 30 })
      .chain((p) => fc.integer({ min: 0, max: 2 ** (p - 24) - 1 }).map((i) => ({ p, base: i * 2 ** (32 - p) })));
    const granules = (cidrs: readonly string[]): Set<number> => {
      const set = new Set<number>();
      for (const cidr of cidrs) {
        const [address = '', bits = ''] = cidr.split('/');
        const base = Number(address.split('.')[3]) + 256 * Number(address.split('.')[2]);
        for (let a = base; a < base + 2 ** (32 - Number(bits)); a += 4) set.add(a);
      }
      return set;
    };
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 12 }), (prefixes) => {
        const cidrs = prefixes.map(({ p, base }) => `10.0.0.${base}/${p}`);
        const merged = summarizeCidrs(cidrs);
        expect([...granules(merged)].sort()).toEqual([...granules(cidrs)].sort());
        expect(merged.length).toBeLessThanOrEqual(new Set(cidrs).size);
      }),
    );
  });
});
