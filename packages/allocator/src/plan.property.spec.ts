import fc from 'fast-check';
import { cidrContains, cidrsOverlap, formatCidr, isCanonicalCidr, rangesOverlap, requireCidr } from './cidr';
import { AWS_LARGEST_PREFIX, AWS_SMALLEST_PREFIX, LINK_LOCAL_CIDR } from './defaults';
import { planNetwork } from './plan';
import { networkPlanJson } from './plan-json';
import { type CellInput, type NetworkInput, type NetworkPlan, type Slot, SUBNET_KINDS } from './types';
import { validateNetwork } from './validate';

const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const PLACES: ReadonlyArray<readonly [zone: number, slot: Slot]> = [0, 1, 2].flatMap((z) => [
  [z, 1] as const,
  [z, 2] as const,
]);
const POD_CIDRS = [
  '100.64.0.0/16',
  '100.64.0.0/15',
  '100.64.0.0/10',
  '192.168.0.0/16',
  '172.16.0.0/12',
  '10.128.0.0/20',
];
const IDENTITY = { id: 'acme-prod-zone', customer: 'acme', environment: 'prod', region: 'zone' };

function prefixOf(cidr: string): number {
  return Number(cidr.split('/')[1]);
}

/** Random valid network inputs: any /16, one to three zones, any set of cells in any order, reserved ranges in the free tail. */
const validInput: fc.Arbitrary<NetworkInput> = fc
  .record({
    vpcIndex: fc.integer({ min: 0, max: 65535 }),
    podCidr: fc.constantFrom(...POD_CIDRS),
    multiAz: fc.boolean(),
    zoneCount: fc.integer({ min: 1, max: 3 }),
    places: fc.shuffledSubarray([...PLACES]),
    slots: fc.shuffledSubarray([1, 2] as Slot[]),
    nodePodPick: fc.nat(),
    reservedTail: fc.subarray([207, 208, 231, 255]),
  })
  .map(({ vpcIndex, podCidr, multiAz, zoneCount, places, slots, nodePodPick, reservedTail }): NetworkInput => {
    const vpcPrefix = `${Math.floor(vpcIndex / 256)}.${vpcIndex % 256}`;
    const zones = ZONES.slice(0, multiAz ? 3 : zoneCount);
    const cells: CellInput[] = multiAz
      ? slots.map((slot) => ({ name: `m${slot}`, slot }))
      : places.filter(([z]) => z < zones.length).map(([z, slot]) => ({ name: `c${z}${slot}`, zone: zones[z], slot }));
    const shortest = prefixOf(podCidr) + 2;
    const longest = Math.min(28, prefixOf(podCidr) + 16);
    return {
      vpcCidr: `${vpcPrefix}.0.0/16`,
      zones,
      podCidr,
      nodePodPrefix: shortest + (nodePodPick % (longest - shortest + 1)),
      reserved: reservedTail.map((octet) => `${vpcPrefix}.${octet}.0/24`),
      topology: multiAz ? 'multi-az' : 'single-az',
      cells,
    };
  })
  .filter((input) => validateNetwork(input).length === 0);

function cidrByName(plan: NetworkPlan): Map<string, string> {
  return new Map(plan.blocks.map((b) => [b.name, b.cidr]));
}

/** Every block of `before` is still there, at the same CIDR. */
function expectNothingMoved(before: NetworkPlan, after: NetworkPlan): void {
  const now = cidrByName(after);
  const moved = [...cidrByName(before)].filter(([name, cidr]) => now.get(name) !== cidr);
  expect(moved).toEqual([]);
}

function freePlaces(input: NetworkInput): CellInput[] {
  if (input.topology === 'multi-az') {
    return ([1, 2] as Slot[])
      .filter((slot) => !input.cells.some((c) => c.slot === slot))
      .map((slot) => ({ name: `n${slot}`, slot }));
  }
  return PLACES.filter(
    ([z, slot]) => z < input.zones.length && !input.cells.some((c) => c.zone === input.zones[z] && c.slot === slot),
  ).map(([z, slot]) => ({
    name: `n${z}${slot}`,
    zone: input.zones[z],
    slot,
  }));
}

describe('planNetwork over random valid inputs', () => {
  it('keeps every block inside the VPC, aligned, and within AWS /16–/28 for subnets', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const wrong = planNetwork(input).blocks.filter((block) => {
          const prefix = prefixOf(block.cidr);
          const awsSized = prefix >= AWS_LARGEST_PREFIX && prefix <= AWS_SMALLEST_PREFIX;
          return (
            !isCanonicalCidr(block.cidr) ||
            !cidrContains(input.vpcCidr, block.cidr) ||
            (SUBNET_KINDS.includes(block.kind) && !awsSized)
          );
        });
        expect(wrong).toEqual([]);
      }),
    );
  });

  it('never overlaps two blocks, a block and free space, or a block and a reserved range', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const plan = planNetwork(input);
        const ranges = [
          ...plan.blocks.map((b) => b.cidr),
          ...plan.free,
          ...input.reserved.filter((r) => cidrContains(input.vpcCidr, r)),
        ];
        const parsed = ranges.map((text) => requireCidr(text));
        const overlapping = parsed.flatMap((a, i) =>
          parsed
            .slice(i + 1)
            .filter((b) => rangesOverlap(a, b))
            .map((b) => `${formatCidr(a)} ${formatCidr(b)}`),
        );
        expect(overlapping).toEqual([]);
      }),
    );
  });

  it('keeps the pod network disjoint from everything routable', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const plan = planNetwork(input);
        const routable = [plan.vpcCidr, ...plan.blocks.map((b) => b.cidr), ...input.reserved, LINK_LOCAL_CIDR];
        expect(routable.filter((cidr) => cidrsOverlap(plan.podCidr, cidr))).toEqual([]);
      }),
    );
  });

  it('gives the same input byte-identical JSON', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const copy = JSON.parse(JSON.stringify(input)) as NetworkInput;
        expect(JSON.stringify(networkPlanJson(planNetwork(copy), IDENTITY))).toBe(
          JSON.stringify(networkPlanJson(planNetwork(input), IDENTITY)),
        );
      }),
    );
  });

  it('gives the same blocks whatever order the cells are listed in', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const reversed = { ...input, cells: [...input.cells].reverse() };
        expect(JSON.stringify(planNetwork(reversed).blocks)).toBe(JSON.stringify(planNetwork(input).blocks));
      }),
    );
  });

  it('moves no block when a zone is added', () => {
    fc.assert(
      fc.property(
        validInput.filter((input) => input.zones.length < 3),
        (input) => {
          const grown = { ...input, zones: [...input.zones, ZONES[input.zones.length] as string] };
          expectNothingMoved(planNetwork(input), planNetwork(grown));
        },
      ),
    );
  });

  it('moves no block when a cell is added', () => {
    fc.assert(
      fc.property(
        validInput.filter((input) => freePlaces(input).length > 0),
        fc.nat(),
        (input, pick) => {
          const places = freePlaces(input);
          const added = places[pick % places.length] as CellInput;
          const after = planNetwork({ ...input, cells: [...input.cells, added] });
          expectNothingMoved(planNetwork(input), after);
        },
      ),
    );
  });

  it('moves no other block when a cell is removed', () => {
    fc.assert(
      fc.property(
        validInput.filter((input) => input.cells.length > 0),
        fc.nat(),
        (input, pick) => {
          const index = pick % input.cells.length;
          const removed = input.cells[index] as CellInput;
          const after = planNetwork({ ...input, cells: input.cells.filter((_, i) => i !== index) });
          expectNothingMoved(after, planNetwork(input));
          expect(after.blocks.some((b) => b.cell === removed.name)).toBe(false);
        },
      ),
    );
  });

  it('gives every cell three etcd members inside its own management subnets', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const misplaced = planNetwork(input).cells.filter(
          (cell) =>
            cell.etcd.length !== 3 ||
            cell.etcd.some((m) => !cell.managementSubnets.includes(m.subnet) || !cidrContains(m.subnet, `${m.ip}/32`)),
        );
        expect(misplaced).toEqual([]);
      }),
    );
  });
});
