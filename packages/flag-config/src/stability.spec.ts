import { parseFlag } from './load';
import { parseOrg } from './org';
import { CELL_DEFAULTS } from './schema';
import { checkBackendStability, checkStability } from './stability';
import type { Flag } from './types';
import { MINIMAL_ORG, VALID_FLAG, VALID_FLAG_FILE } from './__fixtures__/flag-text';

const base = parseFlag(VALID_FLAG, VALID_FLAG_FILE);

function withChanges(
  changes: Partial<Pick<Flag, 'topology' | 'cells'>> & { zones?: string[]; vpcCidr?: string },
): Flag {
  const { zones, vpcCidr, ...rest } = changes;
  return {
    ...base,
    ...rest,
    network: { ...base.network, ...(zones ? { zones } : {}), ...(vpcCidr ? { vpcCidr } : {}) },
  };
}

const codes = (head: Flag) => checkStability(base, head).map((issue) => issue.code);

describe('checkStability', () => {
  it('accepts an unchanged FLAG', () => {
    expect(checkStability(base, base)).toEqual([]);
  });

  it('accepts an appended zone and a new cell on a free slot', () => {
    const head = parseFlag(`${VALID_FLAG}  - name: charlie\n    zone: us-east-1c\n    slot: 2\n`, VALID_FLAG_FILE);
    expect(checkStability(withChanges({ zones: ['us-east-1a', 'us-east-1b'] }), head)).toEqual([]);
  });

  it('accepts a removed cell', () => {
    expect(checkStability(base, withChanges({ cells: base.cells.slice(0, 1) }))).toEqual([]);
  });

  it('refuses a removed zone', () => {
    const [issue] = checkStability(base, withChanges({ zones: ['us-east-1a', 'us-east-1b'] }));
    expect(issue).toMatchObject({
      code: 'STABILITY_ZONE_REMOVED',
      file: VALID_FLAG_FILE,
      path: 'network.zones',
      received: ['us-east-1a', 'us-east-1b'],
      expected: '["us-east-1a","us-east-1b","us-east-1c"] first, new zones after them',
    });
    expect(issue?.message).toContain('us-east-1c was removed');
  });

  it('refuses reordered zones', () => {
    const [issue] = checkStability(base, withChanges({ zones: ['us-east-1b', 'us-east-1a', 'us-east-1c'] }));
    expect(issue).toMatchObject({
      code: 'STABILITY_ZONE_REORDERED',
      path: 'network.zones',
      received: ['us-east-1b', 'us-east-1a', 'us-east-1c'],
    });
  });

  it('refuses a zone inserted before existing ones', () => {
    const fewer = withChanges({ zones: ['us-east-1a', 'us-east-1b'] });
    expect(
      checkStability(fewer, withChanges({ zones: ['us-east-1c', 'us-east-1a', 'us-east-1b'] })).map((i) => i.code),
    ).toEqual(['STABILITY_ZONE_REORDERED']);
  });

  it('reports a removed zone once, not also as a reorder', () => {
    expect(codes(withChanges({ zones: ['us-east-1a', 'us-east-1c'] }))).toEqual(['STABILITY_ZONE_REMOVED']);
  });

  it('refuses a cell moved to another slot', () => {
    const [issue] = checkStability(
      base,
      withChanges({ cells: [base.cells[0]!, { name: 'bravo', zone: 'us-east-1b', slot: 2 }] }),
    );
    expect(issue).toMatchObject({
      code: 'STABILITY_CELL_MOVED',
      path: 'cells[1]',
      received: { zone: 'us-east-1b', slot: 2 },
      expected: 'us-east-1b slot 1 (to move a cell, add a new cell and remove the old one in separate changes)',
    });
  });

  it('refuses a cell moved to another zone', () => {
    expect(codes(withChanges({ cells: [base.cells[0]!, { name: 'bravo', zone: 'us-east-1c', slot: 1 }] }))).toEqual([
      'STABILITY_CELL_MOVED',
    ]);
  });

  it('refuses a new cell on the slot a removed cell frees in the same change', () => {
    const [issue] = checkStability(
      base,
      withChanges({ cells: [base.cells[0]!, { name: 'delta', zone: 'us-east-1b', slot: 1 }] }),
    );
    expect(issue).toMatchObject({
      code: 'STABILITY_SLOT_REUSED',
      path: 'cells[1]',
      received: { zone: 'us-east-1b', slot: 1 },
    });
    expect(issue?.message).toContain('cell bravo frees');
  });

  it('refuses a changed VPC', () => {
    expect(checkStability(base, withChanges({ vpcCidr: '10.17.0.0/16' }))).toEqual([
      expect.objectContaining({
        code: 'STABILITY_VPC_CHANGED',
        path: 'network.vpcCidr',
        received: '10.17.0.0/16',
        expected: '10.16.0.0/16 (a new VPC is a new FLAG)',
      }),
    ]);
  });

  it('refuses a changed topology', () => {
    expect(codes(withChanges({ topology: 'multi-az', cells: [] }))).toEqual(['STABILITY_TOPOLOGY_CHANGED']);
  });
});

describe('checkStability of identity and pod network', () => {
  it('refuses another AWS account for an existing FLAG and says to make a new FLAG', () => {
    const [issue, ...rest] = checkStability(base, { ...base, aws: { accountId: '210987654321' } });
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({
      code: 'STABILITY_ACCOUNT_CHANGED',
      file: VALID_FLAG_FILE,
      path: 'aws.accountId',
      received: '210987654321',
      expected: expect.stringContaining('create a new FLAG there'),
    });
  });

  it('refuses a changed podCidr of a FLAG with cells and says how to replace the cells', () => {
    const head = { ...base, network: { ...base.network, podCidr: '100.65.0.0/16' } };
    expect(checkStability(base, head)).toEqual([
      expect.objectContaining({
        code: 'STABILITY_POD_NETWORK_CHANGED',
        path: 'network.podCidr',
        received: '100.65.0.0/16',
        expected: expect.stringContaining('replace the cells'),
      }),
    ]);
  });

  it('refuses a changed nodePodPrefix of a FLAG with cells', () => {
    const head = { ...base, network: { ...base.network, nodePodPrefix: 25 } };
    expect(checkStability(base, head)).toEqual([
      expect.objectContaining({ code: 'STABILITY_POD_NETWORK_CHANGED', path: 'network.nodePodPrefix', received: 25 }),
    ]);
  });

  it('accepts a new pod network when the base FLAG has no cells: nothing was built with the old one', () => {
    const empty = { ...base, cells: [] };
    expect(checkStability(empty, { ...empty, network: { ...base.network, podCidr: '100.65.0.0/16' } })).toEqual([]);
  });
});

describe('checkStability of Kubernetes versions', () => {
  const atVersion = (flag: Flag, version: string): Flag => ({
    ...flag,
    cells: flag.cells.map((cell, i) => (i === 0 ? { ...cell, kubernetesVersion: version } : cell)),
  });
  const from = atVersion(base, '1.33.4');

  it('accepts the next minor version of a cell', () => {
    expect(checkStability(from, atVersion(base, '1.34.1'))).toEqual([]);
  });

  it('accepts a newer patch of the same minor version', () => {
    expect(checkStability(from, atVersion(base, '1.33.9'))).toEqual([]);
  });

  it('refuses a cell that skips a minor version, naming the version to go to first', () => {
    const [issue] = checkStability(from, atVersion(base, '1.35.0'));
    expect(issue).toMatchObject({
      code: 'STABILITY_KUBERNETES_MINOR_SKIPPED',
      file: VALID_FLAG_FILE,
      path: 'cells[0].kubernetesVersion',
      received: '1.35.0',
    });
    expect(issue?.expected).toContain('a 1.34.x version first');
  });

  it('refuses a cell whose version goes down, minor or patch', () => {
    expect(checkStability(from, atVersion(base, '1.32.9')).map((i) => i.code)).toEqual([
      'STABILITY_KUBERNETES_DOWNGRADE',
    ]);
    expect(checkStability(from, atVersion(base, '1.33.3')).map((i) => i.code)).toEqual([
      'STABILITY_KUBERNETES_DOWNGRADE',
    ]);
  });

  it('compares a cell that names no version by the default it runs', () => {
    const defaulted = { ...base, cells: base.cells.map(({ kubernetesVersion: _v, ...cell }) => cell) };
    const [major, minor] = CELL_DEFAULTS.kubernetesVersion.split('.').map(Number) as [number, number];
    expect(checkStability(defaulted, atVersion(base, `${major}.${minor + 2}.0`)).map((i) => i.code)).toEqual([
      'STABILITY_KUBERNETES_MINOR_SKIPPED',
    ]);
  });

  it('sets no rule for a new cell: it starts at any version', () => {
    const head = parseFlag(
      `${VALID_FLAG}  - name: charlie\n    zone: us-east-1c\n    slot: 2\n    kubernetesVersion: "1.31.0"\n`,
      VALID_FLAG_FILE,
    );
    expect(checkStability(base, head)).toEqual([]);
  });
});

describe('checkBackendStability', () => {
  const org = parseOrg(MINIMAL_ORG);

  it('accepts an unchanged backend', () => {
    expect(checkBackendStability(org, parseOrg(`${MINIMAL_ORG}flowLogRetentionDays: 30\n`))).toEqual([]);
  });

  it('refuses another state bucket, on flags/org.yaml', () => {
    const head = { ...org, state: { ...org.state, bucket: 'another-bucket' } };
    expect(checkBackendStability(org, head)).toEqual([
      expect.objectContaining({
        code: 'STABILITY_BACKEND_CHANGED',
        file: 'flags/org.yaml',
        path: 'state.bucket',
        received: 'another-bucket',
        expected: expect.stringContaining('kitt-test-state'),
      }),
    ]);
  });

  it('refuses another state region', () => {
    const head = { ...org, state: { ...org.state, region: 'eu-west-1' } };
    expect(checkBackendStability(org, head).map((issue) => [issue.code, issue.path])).toEqual([
      ['STABILITY_BACKEND_CHANGED', 'state.region'],
    ]);
  });

  it('refuses a state endpoint added to a backend on AWS S3', () => {
    const head = { ...org, state: { ...org.state, endpoint: 'https://minio.example.com' } };
    expect(checkBackendStability(org, head)).toEqual([
      expect.objectContaining({
        code: 'STABILITY_BACKEND_CHANGED',
        path: 'state.endpoint',
        message: expect.stringContaining('changed from AWS S3 (no endpoint)'),
        received: 'https://minio.example.com',
      }),
    ]);
  });

  it('accepts usePathStyle turned on: the same objects, addressed another way', () => {
    expect(checkBackendStability(org, { ...org, state: { ...org.state, usePathStyle: true } })).toEqual([]);
  });
});
