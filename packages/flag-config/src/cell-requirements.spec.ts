import { cellRequirementIssues, resolveCellSettings } from './cell-requirements';
import { checkRepository } from './check';
import { InputError } from './errors';
import { parseFlag } from './load';
import { parseOrg } from './org';
import { CELL_DEFAULTS } from './schema';
import type { OrgConfig } from './types';
import { MINIMAL_ORG, flagYaml } from './__fixtures__/flag-text';
import { TempRepo } from './__fixtures__/temp-repo';

const FILE = 'flags/payments/prod/us-east-1/flag.yaml';
const triple = { customer: 'payments', environment: 'prod', region: 'us-east-1', vpcCidr: '10.0.0.0/16' };
const withCell = (settings = '') =>
  flagYaml({ ...triple, cells: `cells:\n  - name: a1\n    zone: us-east-1a\n    slot: 1\n${settings}` });
/** An org.yaml with a state bucket and nothing for cells. */
const bareOrg = parseOrg(MINIMAL_ORG);
const readyOrg: OrgConfig = {
  ...bareOrg,
  domain: 'kitt.example.com',
  amis: { 'us-east-1': '/aws/service/debian/release/12/latest/amd64' },
};

describe('cell settings in flag.yaml', () => {
  it('keeps what a cell sets and fills the rest from the defaults', () => {
    const flag = parseFlag(withCell('    kubernetesVersion: "1.33.5"\n    workerInstanceTypes: [m6i.2xlarge]\n'), FILE);
    expect(resolveCellSettings(flag.cells[0]!)).toEqual({
      ...CELL_DEFAULTS,
      kubernetesVersion: '1.33.5',
      workerInstanceTypes: ['m6i.2xlarge'],
    });
  });

  it('refuses a Kubernetes version that is not MAJOR.MINOR.PATCH, naming the field', () => {
    expect(() => parseFlag(withCell('    kubernetesVersion: "1.34"\n'), FILE)).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ code: 'INVALID_VALUE', path: 'cells[0].kubernetesVersion' })],
      }),
    );
  });

  it('reads teams with their roles and leaves them out of a FLAG that has none', () => {
    const team =
      'teams:\n  - name: ranking\n    roleArns: [arn:aws:iam::123456789012:role/ranking]\n    quota: { cpu: "64", pods: 500 }\n';
    expect(parseFlag(`${withCell()}${team}`, FILE).teams).toEqual([
      { name: 'ranking', roleArns: ['arn:aws:iam::123456789012:role/ranking'], quota: { cpu: '64', pods: 500 } },
    ]);
    expect(parseFlag(withCell(), FILE)).not.toHaveProperty('teams');
  });

  it('refuses a team role that is not an IAM role ARN', () => {
    const team = 'teams:\n  - name: ranking\n    roleArns: [ranking]\n';
    expect(() => parseFlag(`${withCell()}${team}`, FILE)).toThrow(InputError);
  });
});

describe('cellRequirementIssues', () => {
  it('accepts a FLAG with cells when org.yaml has a domain and an AMI for its region', () => {
    expect(cellRequirementIssues(parseFlag(withCell(), FILE), readyOrg)).toEqual([]);
  });

  it('refuses a FLAG with cells when org.yaml names no domain', () => {
    const { domain: _domain, ...noDomain } = readyOrg;
    expect(cellRequirementIssues(parseFlag(withCell(), FILE), noDomain)).toEqual([
      expect.objectContaining({ code: 'CELL_DOMAIN_MISSING', file: FILE, path: 'cells' }),
    ]);
  });

  it('refuses a FLAG with cells when org.yaml has no AMI for its region', () => {
    expect(cellRequirementIssues(parseFlag(withCell(), FILE), { ...readyOrg, amis: {} })).toEqual([
      expect.objectContaining({ code: 'CELL_AMI_MISSING', file: FILE }),
    ]);
  });

  it('refuses an AMI that is neither an id nor an SSM parameter name, at its org.yaml field', () => {
    const org = { ...readyOrg, amis: { 'us-east-1': 'debian-12' } };
    expect(cellRequirementIssues(parseFlag(withCell(), FILE), org)).toEqual([
      expect.objectContaining({ code: 'CELL_AMI_INVALID', file: 'flags/org.yaml', path: 'amis.us-east-1' }),
    ]);
  });

  it('needs nothing from org.yaml for a FLAG without cells', () => {
    const flag = parseFlag(flagYaml({ ...triple, cells: 'cells: []' }), FILE);
    expect(cellRequirementIssues(flag, bareOrg)).toEqual([]);
  });

  it('refuses more minimum workers than maximum', () => {
    const flag = parseFlag(withCell('    workerMinSize: 5\n    workerMaxSize: 3\n'), FILE);
    expect(cellRequirementIssues(flag, readyOrg)).toEqual([
      expect.objectContaining({ code: 'CELL_WORKER_SIZE_INVALID', path: 'cells[0].workerMinSize', received: 5 }),
    ]);
  });

  it('reports a bad AMI of org.yaml once in kitt check, however many FLAGs of its region have cells', () => {
    const other = 'flags/payments/dev/us-east-1/flag.yaml';
    const devFlag = flagYaml({ ...triple, environment: 'dev', vpcCidr: '10.1.0.0/16' });
    const org = `${MINIMAL_ORG}domain: kitt.example.com\namis:\n  us-east-1: debian-12\n`;
    const repo = new TempRepo().write({ [FILE]: withCell(), [other]: devFlag, 'flags/org.yaml': org });
    try {
      expect(checkRepository(repo.root).issues.map((issue) => [issue.code, issue.file])).toEqual([
        ['CELL_AMI_INVALID', 'flags/org.yaml'],
      ]);
    } finally {
      repo.dispose();
    }
  });

  it('is part of kitt check, at the line of the cells', () => {
    const repo = new TempRepo().write({ [FILE]: withCell(), 'flags/org.yaml': MINIMAL_ORG });
    try {
      expect(checkRepository(repo.root).issues.map((issue) => [issue.code, issue.line])).toEqual([
        ['CELL_DOMAIN_MISSING', 10],
        ['CELL_AMI_MISSING', 10],
      ]);
    } finally {
      repo.dispose();
    }
  });
});
