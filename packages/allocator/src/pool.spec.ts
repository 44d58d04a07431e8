import { NetworkPlanError } from './errors';
import { firstFreeSlash16 } from './pool';

describe('firstFreeSlash16', () => {
  it('takes the first /16 of an empty pool', () => {
    expect(firstFreeSlash16(['10.0.0.0/8'], [])).toBe('10.0.0.0/16');
  });

  it('skips every /16 that a used CIDR overlaps', () => {
    expect(firstFreeSlash16(['10.0.0.0/8'], ['10.0.0.0/16', '10.1.0.0/16', '10.3.0.0/16'])).toBe('10.2.0.0/16');
  });

  it('skips /16s that a larger used range covers', () => {
    expect(firstFreeSlash16(['10.0.0.0/8'], ['10.0.0.0/12'])).toBe('10.16.0.0/16');
  });

  it('skips a /16 that a smaller used range touches', () => {
    expect(firstFreeSlash16(['10.0.0.0/8'], ['10.0.200.0/24'])).toBe('10.1.0.0/16');
  });

  it('returns undefined when the pool is full', () => {
    expect(firstFreeSlash16(['10.0.0.0/15'], ['10.0.0.0/16', '10.1.0.0/16'])).toBeUndefined();
  });

  it('finds nothing in a pool smaller than a /16', () => {
    expect(firstFreeSlash16(['10.0.0.0/17'], [])).toBeUndefined();
  });

  it('answers in address order across pools, whatever order they are listed in', () => {
    expect(firstFreeSlash16(['172.16.0.0/12', '10.0.0.0/16'], [])).toBe('10.0.0.0/16');
  });

  it('moves on to the next pool when the first is full', () => {
    expect(firstFreeSlash16(['10.0.0.0/16', '172.16.0.0/12'], ['10.0.0.0/16'])).toBe('172.16.0.0/16');
  });

  it('uses a /16 pool as the single /16 it is', () => {
    expect(firstFreeSlash16(['10.9.0.0/16'], ['10.8.0.0/16'])).toBe('10.9.0.0/16');
  });

  it('finds the last /16 of 10.0.0.0/8 when 255 are used', () => {
    const used = Array.from({ length: 255 }, (_, i) => `10.${i}.0.0/16`);
    expect(firstFreeSlash16(['10.0.0.0/8'], used)).toBe('10.255.0.0/16');
  });

  it('throws a CIDR_INVALID NetworkPlanError for a pool that is not a CIDR', () => {
    try {
      firstFreeSlash16(['10.0.0.0/8', 'ten'], []);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(NetworkPlanError);
      expect((error as NetworkPlanError).issues).toEqual([
        expect.objectContaining({ code: 'CIDR_INVALID', path: 'pool[1]', received: 'ten' }),
      ]);
    }
  });
});
