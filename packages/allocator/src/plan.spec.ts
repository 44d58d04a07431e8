import { networkInput } from './__fixtures__/inputs';
import { planNetwork } from './plan';

describe('planNetwork for a single-AZ cell', () => {
  const plan = planNetwork(networkInput({ cells: [{ name: 'bravo', zone: 'us-east-1b', slot: 2 }] }));
  const [cell] = plan.cells;

  it('gives the cell the management and worker /24 of its (zone, slot)', () => {
    expect(cell?.managementSubnets).toEqual(['10.0.198.0/24']);
    expect(cell?.workerSubnets).toEqual(['10.0.199.0/24']);
  });

  it('gives the cell the service /21 of its (zone, slot)', () => {
    expect(cell?.serviceCidr).toBe('10.0.168.0/21');
  });

  it('puts the API service IP at the service network + 1 and DNS at + 10', () => {
    expect(cell?.apiServiceIp).toBe('10.0.168.1');
    expect(cell?.dnsServiceIp).toBe('10.0.168.10');
  });

  it('places three etcd members in its one management subnet at hosts .10, .11, .12', () => {
    expect(cell?.etcd).toEqual([
      { zone: 'us-east-1b', subnet: '10.0.198.0/24', ip: '10.0.198.10' },
      { zone: 'us-east-1b', subnet: '10.0.198.0/24', ip: '10.0.198.11' },
      { zone: 'us-east-1b', subnet: '10.0.198.0/24', ip: '10.0.198.12' },
    ]);
  });

  it('carries the pod network and node pod prefix into the cell', () => {
    expect([cell?.podCidr, cell?.nodePodPrefix]).toEqual(['100.64.0.0/16', 24]);
  });

  it('names the cell blocks by zone, slot and kind, owned by the cell', () => {
    expect(plan.blocks.filter((b) => b.cell === 'bravo').map((b) => [b.name, b.kind, b.zone])).toEqual([
      ['us-east-1b/slot2/service', 'service', 'us-east-1b'],
      ['us-east-1b/slot2/management', 'management', 'us-east-1b'],
      ['us-east-1b/slot2/worker', 'worker', 'us-east-1b'],
    ]);
  });

  it('lists per-zone blocks without a cell', () => {
    expect(plan.blocks.filter((b) => b.cell === null)).toHaveLength(12);
  });

  it('sorts blocks by address', () => {
    const bases = plan.blocks.map((b) => b.cidr.split('/')[0]?.split('.').map(Number) ?? []);
    const keys = bases.map(([a = 0, b = 0, c = 0, d = 0]) => ((a * 256 + b) * 256 + c) * 256 + d);
    expect(keys).toEqual([...keys].sort((x, y) => x - y));
  });
});

describe('planNetwork for a multi-AZ cell', () => {
  const plan = planNetwork(networkInput({ topology: 'multi-az', cells: [{ name: 'm2', slot: 2 }] }));
  const [cell] = plan.cells;

  it('spans every zone in grid order', () => {
    expect(cell?.zones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
  });

  it('spreads etcd round-robin, one member per zone, member i at host 10 + i', () => {
    expect(cell?.etcd).toEqual([
      { zone: 'us-east-1a', subnet: '10.0.194.0/24', ip: '10.0.194.10' },
      { zone: 'us-east-1b', subnet: '10.0.198.0/24', ip: '10.0.198.11' },
      { zone: 'us-east-1c', subnet: '10.0.202.0/24', ip: '10.0.202.12' },
    ]);
  });

  it('owns its service network in the first zone', () => {
    expect(plan.blocks.find((b) => b.kind === 'service')).toEqual({
      name: 'us-east-1a/slot2/service',
      kind: 'service',
      cidr: '10.0.152.0/21',
      zone: 'us-east-1a',
      cell: 'm2',
    });
  });
});

describe('planNetwork free space', () => {
  it('takes reserved ranges out of the free space', () => {
    const plan = planNetwork(networkInput({ reserved: ['10.0.208.0/21', '10.0.240.0/20'] }));
    expect(plan.free).toEqual(['10.0.207.0/24', '10.0.216.0/21', '10.0.224.0/20']);
  });

  it('ignores reserved ranges outside the VPC', () => {
    const plan = planNetwork(networkInput({ reserved: ['192.168.0.0/16'] }));
    expect(plan.free).toEqual(['10.0.207.0/24', '10.0.208.0/20', '10.0.224.0/19']);
  });
});

describe('planNetwork inputs and outputs', () => {
  it('keeps cells in input order', () => {
    const plan = planNetwork(
      networkInput({
        cells: [
          { name: 'c1', zone: 'us-east-1c', slot: 1 },
          { name: 'a1', zone: 'us-east-1a', slot: 1 },
        ],
      }),
    );
    expect(plan.cells.map((c) => c.name)).toEqual(['c1', 'a1']);
  });

  it('does not change its input', () => {
    const input = networkInput({ cells: [{ name: 'a1', zone: 'us-east-1a', slot: 1 }] });
    const before = JSON.stringify(input);
    planNetwork(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});
