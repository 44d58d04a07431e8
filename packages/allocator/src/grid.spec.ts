import { FULL_SINGLE_AZ_CELLS, networkInput } from './__fixtures__/inputs';
import { planNetwork } from './plan';

/**
 * The "10.0.0.0/16 example" column of ARCHITECTURE.md ("The address grid"),
 * as third octets: every block of a full three-zone, two-slot grid.
 */
const EXAMPLE_THIRD_OCTETS: ReadonlyArray<[name: string, thirdOctet: number, prefix: number]> = [
  ['us-east-1a/data', 0, 20],
  ['us-east-1a/cache', 16, 20],
  ['us-east-1a/compute', 32, 20],
  ['us-east-1b/data', 48, 20],
  ['us-east-1b/cache', 64, 20],
  ['us-east-1b/compute', 80, 20],
  ['us-east-1c/data', 96, 20],
  ['us-east-1c/cache', 112, 20],
  ['us-east-1c/compute', 128, 20],
  ['us-east-1a/slot1/service', 144, 21],
  ['us-east-1a/slot2/service', 152, 21],
  ['us-east-1b/slot1/service', 160, 21],
  ['us-east-1b/slot2/service', 168, 21],
  ['us-east-1c/slot1/service', 176, 21],
  ['us-east-1c/slot2/service', 184, 21],
  ['us-east-1a/slot1/management', 192, 24],
  ['us-east-1a/slot1/worker', 193, 24],
  ['us-east-1a/slot2/management', 194, 24],
  ['us-east-1a/slot2/worker', 195, 24],
  ['us-east-1b/slot1/management', 196, 24],
  ['us-east-1b/slot1/worker', 197, 24],
  ['us-east-1b/slot2/management', 198, 24],
  ['us-east-1b/slot2/worker', 199, 24],
  ['us-east-1c/slot1/management', 200, 24],
  ['us-east-1c/slot1/worker', 201, 24],
  ['us-east-1c/slot2/management', 202, 24],
  ['us-east-1c/slot2/worker', 203, 24],
  ['us-east-1a/public', 204, 24],
  ['us-east-1b/public', 205, 24],
  ['us-east-1c/public', 206, 24],
];

describe.each([
  ['10.0.0.0/16', '10.0'],
  ['172.31.0.0/16', '172.31'],
])('the full grid of %s', (vpcCidr, firstOctets) => {
  const plan = planNetwork(networkInput({ vpcCidr, cells: FULL_SINGLE_AZ_CELLS }));
  const cidrOf = (name: string) => plan.blocks.find((b) => b.name === name)?.cidr;

  it.each(EXAMPLE_THIRD_OCTETS)('puts %s at .%i (/%i)', (name, thirdOctet, prefix) => {
    expect(cidrOf(name)).toBe(`${firstOctets}.${thirdOctet}.0/${prefix}`);
  });

  it('has exactly the blocks of the table, nothing else', () => {
    expect(plan.blocks.map((b) => b.name).sort()).toEqual(EXAMPLE_THIRD_OCTETS.map(([name]) => name).sort());
  });

  it('leaves .207.0/24, .208.0/20 and .224.0/19 free', () => {
    expect(plan.free).toEqual([`${firstOctets}.207.0/24`, `${firstOctets}.208.0/20`, `${firstOctets}.224.0/19`]);
  });
});

describe('the grid in a multi-AZ FLAG', () => {
  const plan = planNetwork(
    networkInput({
      topology: 'multi-az',
      cells: [
        { name: 'm1', slot: 1 },
        { name: 'm2', slot: 2 },
      ],
    }),
  );

  it('gives slot 2 the management and worker /24s of slot 2 in every zone', () => {
    expect(plan.cells[1]?.managementSubnets).toEqual(['10.0.194.0/24', '10.0.198.0/24', '10.0.202.0/24']);
    expect(plan.cells[1]?.workerSubnets).toEqual(['10.0.195.0/24', '10.0.199.0/24', '10.0.203.0/24']);
  });

  it('gives each multi-AZ cell the service network of zone 0 at its slot', () => {
    expect(plan.cells.map((c) => c.serviceCidr)).toEqual(['10.0.144.0/21', '10.0.152.0/21']);
  });

  it('leaves the service networks of zones 1 and 2 unused', () => {
    expect(plan.blocks.filter((b) => b.kind === 'service').map((b) => b.name)).toEqual([
      'us-east-1a/slot1/service',
      'us-east-1a/slot2/service',
    ]);
  });
});

describe('a two-zone FLAG', () => {
  const plan = planNetwork(networkInput({ zones: ['us-east-1a', 'us-east-1b'] }));

  it('uses no block of zone 2', () => {
    expect(plan.blocks.map((b) => b.cidr)).not.toContain('10.0.96.0/20');
    expect(plan.blocks.map((b) => b.cidr)).not.toContain('10.0.206.0/24');
  });

  it('keeps zone 2 held, not free', () => {
    expect(plan.free).toEqual(['10.0.207.0/24', '10.0.208.0/20', '10.0.224.0/19']);
  });
});
