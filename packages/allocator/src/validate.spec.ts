import { networkInput } from './__fixtures__/inputs';
import { NETWORK_ISSUE_CODES, NetworkPlanError } from './errors';
import { planNetwork } from './plan';
import type { NetworkInput, NetworkIssue, Slot } from './types';
import { validateNetwork } from './validate';

const cellA1 = { name: 'a1', zone: 'us-east-1a', slot: 1 as Slot };

interface Case {
  readonly code: string;
  readonly why: string;
  readonly input: Partial<NetworkInput>;
  readonly path: string;
  readonly expected?: string;
  readonly message?: RegExp;
}

/** One input per issue code, each with exactly that one thing wrong. */
const CASES: readonly Case[] = [
  {
    code: 'CIDR_INVALID',
    why: 'a VPC CIDR that is not a CIDR',
    input: { vpcCidr: '10.0.0.0' },
    path: 'network.vpcCidr',
  },
  {
    code: 'CIDR_NOT_CANONICAL',
    why: 'a VPC CIDR with host bits, naming the canonical form',
    input: { vpcCidr: '10.0.1.0/16' },
    path: 'network.vpcCidr',
    expected: '10.0.0.0/16',
  },
  {
    code: 'VPC_NOT_SLASH16',
    why: 'a VPC that is not a /16, saying why',
    input: { vpcCidr: '10.0.0.0/20' },
    path: 'network.vpcCidr',
    message: /laid out for exactly one \/16, AWS's largest/,
  },
  { code: 'ZONES_EMPTY', why: 'a FLAG without zones', input: { zones: [] }, path: 'network.zones' },
  {
    code: 'TOO_MANY_ZONES',
    why: 'more than three zones',
    input: { zones: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'] },
    path: 'network.zones',
  },
  {
    code: 'ZONE_DUPLICATE',
    why: 'a zone listed twice',
    input: { zones: ['us-east-1a', 'us-east-1a'] },
    path: 'network.zones[1]',
  },
  {
    code: 'TOPOLOGY_INVALID',
    why: 'an unknown topology',
    input: { topology: 'two-az' as NetworkInput['topology'] },
    path: 'topology',
  },
  {
    code: 'MULTI_AZ_NEEDS_THREE_ZONES',
    why: 'a multi-AZ FLAG with two zones, saying etcd would lose quorum',
    input: { topology: 'multi-az', zones: ['us-east-1a', 'us-east-1b'] },
    path: 'network.zones',
    message: /lose quorum/,
  },
  {
    code: 'CELL_SLOT_INVALID',
    why: 'a cell outside the grid',
    input: { cells: [{ ...cellA1, slot: 3 as Slot }] },
    path: 'cells[0].slot',
    expected: '1 or 2',
  },
  {
    code: 'CELL_SLOT_TAKEN',
    why: 'two cells on one slot, naming the free places',
    input: { cells: [cellA1, { ...cellA1, name: 'b1' }] },
    path: 'cells[1].slot',
    expected:
      'a free place: us-east-1a slot 2, us-east-1b slot 1, us-east-1b slot 2, us-east-1c slot 1, us-east-1c slot 2',
  },
  {
    code: 'CELL_NAME_DUPLICATE',
    why: 'two cells with one name',
    input: { cells: [cellA1, { ...cellA1, slot: 2 }] },
    path: 'cells[1].name',
  },
  {
    code: 'CELL_ZONE_MISSING',
    why: 'a single-AZ cell without a zone',
    input: { cells: [{ name: 'a1', slot: 1 }] },
    path: 'cells[0].zone',
  },
  {
    code: 'CELL_ZONE_UNKNOWN',
    why: 'a cell in a zone the FLAG does not list',
    input: { cells: [{ ...cellA1, zone: 'us-east-1f' }] },
    path: 'cells[0].zone',
  },
  {
    code: 'CELL_ZONE_ON_MULTI_AZ',
    why: 'a zone on a multi-AZ cell',
    input: { topology: 'multi-az', cells: [cellA1] },
    path: 'cells[0].zone',
  },
  {
    code: 'POD_CIDR_OVERLAP',
    why: 'a pod network overlapping the VPC',
    input: { podCidr: '10.0.0.0/16' },
    path: 'network.podCidr',
    message: /overlaps the VPC 10\.0\.0\.0\/16/,
  },
  {
    code: 'POD_CIDR_TOO_SMALL',
    why: 'a pod network too small for any node pod subnet',
    input: { podCidr: '100.64.0.0/27', nodePodPrefix: 28 },
    path: 'network.podCidr',
  },
  {
    code: 'NODE_POD_PREFIX_INVALID',
    why: 'a node pod prefix no longer than the pod prefix',
    input: { nodePodPrefix: 16 },
    path: 'network.nodePodPrefix',
    expected: '18–28',
  },
  { code: 'MAX_PODS_INVALID', why: 'a maxPods of zero', input: { maxPods: 0 }, path: 'network.maxPods' },
  {
    code: 'CONTROL_PLANE_NODES_INVALID',
    why: 'a fractional count of control-plane nodes',
    input: { controlPlaneNodes: 1.5 },
    path: 'network.controlPlaneNodes',
  },
  {
    code: 'RESERVED_OVERLAP',
    why: 'a reserved range overlapping a block in use, naming the block',
    input: { reserved: ['10.0.204.0/22'] },
    path: 'network.reserved[0]',
    message:
      /us-east-1a\/public \(10\.0\.204\.0\/24\), us-east-1b\/public \(10\.0\.205\.0\/24\), us-east-1c\/public \(10\.0\.206\.0\/24\)/,
  },
];

describe('validateNetwork', () => {
  it('finds nothing wrong with a valid three-zone FLAG', () => {
    expect(validateNetwork(networkInput({ cells: [cellA1] }))).toEqual([]);
  });

  it.each(CASES)('reports $code for $why', ({ code, input, path, expected, message }) => {
    const issues = validateNetwork(networkInput(input));
    expect(issues.map((i) => [i.code, i.path])).toEqual([[code, path]]);
    const [issue] = issues as [NetworkIssue];
    if (expected !== undefined) expect(issue.expected).toBe(expected);
    if (message) expect(issue.message).toMatch(message);
  });

  it('has a case for every issue code', () => {
    expect(CASES.map((c) => c.code).sort()).toEqual([...NETWORK_ISSUE_CODES].sort());
  });

  it('reports a non-canonical reserved range at its index', () => {
    const issues = validateNetwork(networkInput({ reserved: ['192.168.0.0/16', '172.16.0.1/12'] }));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'CIDR_NOT_CANONICAL',
        path: 'network.reserved[1]',
        received: '172.16.0.1/12',
        expected: '172.16.0.0/12',
      }),
    ]);
  });

  it('reports a pod network overlapping a reserved range', () => {
    const issues = validateNetwork(networkInput({ reserved: ['100.64.0.0/10'] }));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'POD_CIDR_OVERLAP',
        path: 'network.podCidr',
        message: expect.stringContaining('network.reserved[0]'),
      }),
    ]);
  });

  it('reports a pod network overlapping link-local 169.254.0.0/16', () => {
    const issues = validateNetwork(networkInput({ podCidr: '169.254.0.0/16' }));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'POD_CIDR_OVERLAP', message: expect.stringContaining('169.254.0.0/16') }),
    ]);
  });

  it('accepts a reserved range inside the free VPC space', () => {
    expect(validateNetwork(networkInput({ reserved: ['10.0.224.0/19'] }))).toEqual([]);
  });

  it('accepts a reserved range over grid space no zone or cell uses yet', () => {
    expect(validateNetwork(networkInput({ zones: ['us-east-1a'], reserved: ['10.0.48.0/20'] }))).toEqual([]);
  });

  it('reports a reserved range overlapping a cell subnet', () => {
    const issues = validateNetwork(networkInput({ cells: [cellA1], reserved: ['10.0.193.128/25'] }));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'RESERVED_OVERLAP',
        message: expect.stringContaining('us-east-1a/slot1/worker (10.0.193.0/24)'),
      }),
    ]);
  });

  it('refuses a node pod prefix more than 16 bits longer than the pod network', () => {
    const issues = validateNetwork(networkInput({ podCidr: '100.64.0.0/10', nodePodPrefix: 27 }));
    expect(issues).toEqual([expect.objectContaining({ code: 'NODE_POD_PREFIX_INVALID', expected: '12–26' })]);
  });

  it('refuses a node pod prefix longer than /28', () => {
    expect(validateNetwork(networkInput({ nodePodPrefix: 29 })).map((i) => i.code)).toEqual([
      'NODE_POD_PREFIX_INVALID',
    ]);
  });

  it('accepts a multi-AZ cell on each of the two slots', () => {
    expect(
      validateNetwork(
        networkInput({
          topology: 'multi-az',
          cells: [
            { name: 'm1', slot: 1 },
            { name: 'm2', slot: 2 },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('refuses a third multi-AZ cell: the grid is full', () => {
    const cells = [
      { name: 'm1', slot: 1 as Slot },
      { name: 'm2', slot: 2 as Slot },
      { name: 'm3', slot: 1 as Slot },
    ];
    const issues = validateNetwork(networkInput({ topology: 'multi-az', cells }));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'CELL_SLOT_TAKEN',
        path: 'cells[2].slot',
        expected: expect.stringContaining('grid is full'),
      }),
    ]);
  });

  it('reports every issue, not just the first, in document order', () => {
    const issues = validateNetwork(
      networkInput({
        vpcCidr: '10.0.0.0/15',
        podCidr: '169.254.0.0/16',
        cells: [cellA1, { ...cellA1, zone: 'us-east-1q', slot: 2 }],
      }),
    );
    expect(issues.map((i) => `${i.code} ${i.path}`)).toEqual([
      'VPC_NOT_SLASH16 network.vpcCidr',
      'POD_CIDR_OVERLAP network.podCidr',
      'CELL_NAME_DUPLICATE cells[1].name',
      'CELL_ZONE_UNKNOWN cells[1].zone',
    ]);
  });
});

describe('planNetwork on bad input', () => {
  it('throws a NetworkPlanError carrying every issue', () => {
    const input = networkInput({ vpcCidr: '10.0.0.0/8', cells: [{ name: 'x', slot: 1 }] });
    expect(() => planNetwork(input)).toThrow(NetworkPlanError);
    try {
      planNetwork(input);
    } catch (error) {
      expect((error as NetworkPlanError).issues.map((i) => i.code)).toEqual(['VPC_NOT_SLASH16', 'CELL_ZONE_MISSING']);
    }
  });
});
