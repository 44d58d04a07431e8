import { networkInput } from './__fixtures__/inputs';
import { planNetwork } from './plan';
import { networkPlanJson } from './plan-json';
import { renderNetworkMermaid } from './render-mermaid';
import { renderNetworkTable } from './render-table';

const singleAz = planNetwork(
  networkInput({ zones: ['us-east-1a', 'us-east-1b'], cells: [{ name: 'alpha', zone: 'us-east-1a', slot: 1 }] }),
);
const multiAz = planNetwork(networkInput({ topology: 'multi-az', cells: [{ name: 'm1', slot: 1 }] }));

describe('renderNetworkTable', () => {
  const table = renderNetworkTable(singleAz, { id: 'payments-prod-us-east-1' });

  it('names the FLAG when given its identity', () => {
    expect(table.split('\n')[0]).toBe('Network plan: payments-prod-us-east-1');
  });

  it('draws the grid with cells and free slots per zone', () => {
    expect(table).toMatch(/us-east-1a\s+alpha\s+free slot\s+10\.0\.0\.0\/20/);
    expect(table).toMatch(/us-east-1b\s+free slot\s+free slot\s+10\.0\.48\.0\/20/);
  });

  it('lists every block in use with its name', () => {
    for (const block of singleAz.blocks) expect(table).toContain(block.name);
  });

  it('shows the service, API and DNS addresses and etcd placement of a cell', () => {
    expect(table).toMatch(/service network\s+10\.0\.144\.0\/21/);
    expect(table).toMatch(/API service IP\s+10\.0\.144\.1 /);
    expect(table).toMatch(/DNS service IP\s+10\.0\.144\.10 /);
    expect(table).toMatch(/etcd-2\s+10\.0\.192\.12\s+us-east-1a\s+10\.0\.192\.0\/24/);
  });

  it('shows every capacity figure with its formula', () => {
    for (const figure of Object.values(singleAz.cells[0]?.capacity.figures ?? {}))
      expect(table).toContain(figure.formula);
  });

  it("shows the seed's 63,750 beside the real figure and names the binding constraints", () => {
    expect(table).toMatch(/seed design \(network-level\)\s+63,750\s+250 nodes × 255 pods = 63,750\s+vs 27,610 real/);
    expect(table).toContain('binding: worker-addresses');
    expect(table).toContain('binding: max-pods');
  });

  it('says for a multi-AZ cell that the shared pod network binds and how to lift it', () => {
    const text = renderNetworkTable(multiAz);
    expect(text).toContain('binding: pod-network');
    expect(text).toContain('not the 3 worker networks, binds');
    expect(text).toContain('To lift it, use a bigger podCidr');
  });

  it('ends with one newline', () => {
    expect(table.endsWith('.\n')).toBe(true);
  });
});

describe('renderNetworkMermaid', () => {
  const diagram = renderNetworkMermaid(singleAz);
  const lines = diagram.trimEnd().split('\n');

  it('is a flowchart', () => {
    expect(lines[0]).toBe('flowchart TB');
  });

  it('links the VPC to each zone and each zone to its two slots and its resource subnets', () => {
    expect(lines).toContain('  vpc --> z0["us-east-1a"]');
    expect(lines).toContain('  vpc --> z1["us-east-1b"]');
    expect(lines).toContain(
      '  z0 --> z0s1["slot 1: alpha<br/>service 10.0.144.0/21<br/>management 10.0.192.0/24<br/>worker 10.0.193.0/24"]',
    );
    expect(lines).toContain('  z0 --> z0s2["slot 2: free slot"]');
    expect(lines).toContain(
      '  z1 --> z1r["resource and public subnets<br/>data 10.0.48.0/20<br/>cache 10.0.64.0/20<br/>compute 10.0.80.0/20<br/>public 10.0.205.0/24"]',
    );
  });

  it('notes the pod network as not routed, on a dotted link', () => {
    expect(diagram).toMatch(/pods\["pod network 100\.64\.0\.0\/16<br\/>[^"]*not routed[^"]*"\]/);
    expect(lines).toContain('  vpc -.- pods');
  });

  it('shows a multi-AZ cell in its slot of every zone', () => {
    const multi = renderNetworkMermaid(multiAz);
    expect(multi.match(/slot 1: m1/g)).toHaveLength(3);
  });
});

describe('networkPlanJson', () => {
  const json = networkPlanJson(multiAz, {
    id: 'acme-prod-us-east-1',
    customer: 'acme',
    environment: 'prod',
    region: 'us-east-1',
  }) as Record<string, unknown>;

  it('puts the keys of the contract in their fixed order', () => {
    expect(Object.keys(json)).toEqual(['flag', 'vpcCidr', 'podCidr', 'topology', 'zones', 'blocks', 'cells', 'free']);
  });

  it('puts the keys of a cell and its capacity in their fixed order', () => {
    const [cell] = json.cells as Array<Record<string, unknown>>;
    expect(Object.keys(cell ?? {})).toEqual([
      'name',
      'zones',
      'slot',
      'managementSubnets',
      'workerSubnets',
      'serviceCidr',
      'apiServiceIp',
      'dnsServiceIp',
      'podCidr',
      'nodePodPrefix',
      'etcd',
      'capacity',
    ]);
    expect(Object.keys((cell?.capacity as object) ?? {})).toEqual([
      'nodes',
      'podsPerNode',
      'pods',
      'services',
      'bindingConstraint',
      'podsPerNodeConstraint',
      'figures',
      'seedFigure',
      'note',
    ]);
  });

  it('keeps the identity under flag', () => {
    expect(json.flag).toEqual({
      id: 'acme-prod-us-east-1',
      customer: 'acme',
      environment: 'prod',
      region: 'us-east-1',
    });
  });
});
