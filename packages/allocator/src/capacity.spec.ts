import { networkInput } from './__fixtures__/inputs';
import { cellCapacity } from './capacity';
import { planNetwork } from './plan';
import type { Capacity, NetworkInput } from './types';

function capacityOf(overrides: Partial<NetworkInput>): Capacity {
  const cells =
    overrides.topology === 'multi-az'
      ? [{ name: 'm1', slot: 1 as const }]
      : [{ name: 'a1', zone: 'us-east-1a', slot: 1 as const }];
  const capacity = planNetwork(networkInput({ cells, ...overrides })).cells[0]?.capacity;
  if (!capacity) throw new Error('no cell planned');
  return capacity;
}

describe('capacity of a single-AZ cell at the defaults', () => {
  const capacity = capacityOf({});

  it('counts 251 usable worker addresses in one /24 (AWS keeps 5)', () => {
    expect(capacity.figures.workerAddresses).toEqual({ value: 251, formula: '2^(32-24) - 5 = 251' });
  });

  it('counts 253 node pod subnets: 256 /24s in the /16 less 3 for the control plane', () => {
    expect(capacity.figures.nodePodSubnets).toEqual({ value: 253, formula: '2^(24-16) - 3 control-plane nodes = 253' });
  });

  it('is bound by worker addresses at 251 nodes', () => {
    expect([capacity.nodes, capacity.bindingConstraint]).toEqual([251, 'worker-addresses']);
  });

  it('gives 253 pods per node by host-local IPAM and 110 by maxPods, bound by max-pods', () => {
    expect(capacity.figures.podsPerNodeByNetwork?.value).toBe(253);
    expect(capacity.figures.podsPerNodeByMaxPods?.value).toBe(110);
    expect([capacity.podsPerNode, capacity.podsPerNodeConstraint]).toEqual([110, 'max-pods']);
  });

  it('runs nodes × pods per node = 27,610 pods', () => {
    expect(capacity.pods).toBe(27610);
    expect(capacity.figures.pods?.formula).toBe('251 × 110 = 27,610');
  });

  it('has 2,046 service IPs in its /21', () => {
    expect(capacity.services).toBe(2046);
    expect(capacity.figures.services?.formula).toBe('2^(32-21) - 2 = 2,046');
  });

  it("shows the seed's 250 × 255 = 63,750 beside the real figure", () => {
    expect(capacity.seedFigure).toEqual({ value: 63750, formula: '250 nodes × 255 pods = 63,750' });
    expect(capacity.note).toContain('this cell runs 27,610 pods');
  });
});

describe('capacity of a multi-AZ cell at the defaults', () => {
  const capacity = capacityOf({ topology: 'multi-az' });

  it('counts 753 worker addresses over three /24s', () => {
    expect(capacity.figures.workerAddresses).toEqual({ value: 753, formula: '3 × (2^(32-24) - 5) = 3 × 251 = 753' });
  });

  it('is bound by the shared pod network at 253 nodes', () => {
    expect([capacity.nodes, capacity.bindingConstraint]).toEqual([253, 'pod-network']);
  });

  it('says the /16 pod network, not the three worker networks, binds', () => {
    expect(capacity.note).toMatch(/shared \/16 pod network 100\.64\.0\.0\/16, not the 3 worker networks, binds/);
  });

  it('says how to lift it: a bigger podCidr or a longer nodePodPrefix', () => {
    expect(capacity.note).toContain('a bigger podCidr (a /15 allows 509 nodes)');
    expect(capacity.note).toContain('a longer nodePodPrefix (/25 allows 509 nodes of up to 110 pods each)');
  });

  it('is lifted to the worker addresses by a /14 pod network', () => {
    const capacity = capacityOf({ topology: 'multi-az', podCidr: '100.64.0.0/14' });
    expect([capacity.nodes, capacity.bindingConstraint]).toEqual([753, 'worker-addresses']);
  });
});

describe('capacity under other settings', () => {
  it('is bound by the node subnet when it holds fewer pods than maxPods', () => {
    const capacity = capacityOf({ nodePodPrefix: 26 });
    expect([capacity.podsPerNode, capacity.podsPerNodeConstraint]).toEqual([61, 'node-subnet']);
    expect(capacity.figures.podsPerNodeByNetwork?.formula).toBe('2^(32-26) - 3 = 61');
  });

  it('takes maxPods and control-plane nodes from the input', () => {
    const capacity = capacityOf({ maxPods: 250, controlPlaneNodes: 5, podCidr: '100.64.0.0/20' });
    expect(capacity.figures.nodePodSubnets?.value).toBe(11);
    expect([capacity.nodes, capacity.bindingConstraint, capacity.podsPerNode, capacity.pods]).toEqual([
      11,
      'pod-network',
      250,
      2750,
    ]);
  });

  it('reports worker-addresses on a tie', () => {
    const capacity = cellCapacity({
      workerPrefixes: [24],
      podCidr: '100.64.0.0/16',
      podPrefix: 16,
      nodePodPrefix: 24,
      servicePrefix: 21,
      maxPods: 110,
      controlPlaneNodes: 5,
    });
    expect([capacity.nodes, capacity.bindingConstraint]).toEqual([251, 'worker-addresses']);
  });

  it('says when no change of the pod settings can lift the pod network further', () => {
    const capacity = cellCapacity({
      workerPrefixes: [24],
      podCidr: '100.64.0.0/12',
      podPrefix: 12,
      nodePodPrefix: 28,
      servicePrefix: 21,
      maxPods: 110,
      controlPlaneNodes: 65534,
    });
    expect(capacity.bindingConstraint).toBe('pod-network');
    expect(capacity.note).toContain('No valid podCidr or nodePodPrefix change lifts it further.');
  });
});
