import { existsSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from './errors';
import { parseFlag } from './load';
import {
  newFlagDocument,
  writeNewFlag,
  type FlagFootprint,
  type NewFlagContext,
  type NewFlagOptions,
} from './new-flag';
import { parseOrg } from './org';
import type { InputIssue } from './types';
import { MINIMAL_ORG, flagYaml } from './__fixtures__/flag-text';
import { TempRepo } from './__fixtures__/temp-repo';

const FILE = 'flags/payments/prod/us-east-1/flag.yaml';
const THREE_ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const base: NewFlagOptions = {
  customer: 'payments',
  environment: 'prod',
  region: 'us-east-1',
  zones: THREE_ZONES,
  accountId: '123456789012',
};
const ORG = parseOrg(MINIMAL_ORG);
const empty: NewFlagContext = { org: ORG, existing: [] };

function generate(options: Partial<NewFlagOptions> = {}, context: NewFlagContext = empty) {
  return parseFlag(newFlagDocument({ ...base, ...options }, context), FILE);
}

function refusal(run: () => unknown): readonly InputIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('newFlagDocument', () => {
  it('puts one single-AZ cell in slot 1 of each of three zones: a1, b1, c1', () => {
    expect(generate().cells).toEqual([
      { name: 'a1', zone: 'us-east-1a', slot: 1 },
      { name: 'b1', zone: 'us-east-1b', slot: 1 },
      { name: 'c1', zone: 'us-east-1c', slot: 1 },
    ]);
  });

  it('fills slot 1 of every zone before slot 2: four cells in two zones are a1, b1, a2, b2', () => {
    expect(
      generate({ zones: ['us-east-1a', 'us-east-1b'], cells: 4 }).cells.map(
        (cell) => `${cell.name}@${cell.zone}/${cell.slot}`,
      ),
    ).toEqual(['a1@us-east-1a/1', 'b1@us-east-1b/1', 'a2@us-east-1a/2', 'b2@us-east-1b/2']);
  });

  it('refuses six cells in two zones', () => {
    const issues = refusal(() => newFlagDocument({ ...base, zones: ['us-east-1a', 'us-east-1b'], cells: 6 }, empty));
    expect(issues).toEqual([
      {
        code: 'CELL_COUNT_EXCEEDS_GRID',
        file: FILE,
        path: 'cells',
        message: '6 cells do not fit: 2 zone(s) have 4 slots (two per zone)',
        received: 6,
        expected: 'at most 4, or more zones',
      },
    ]);
  });

  it('names multi-AZ cells m1 and m2, without zones', () => {
    const flag = generate({ topology: 'multi-az', cells: 2 });
    expect(flag.topology).toBe('multi-az');
    expect(flag.cells).toEqual([
      { name: 'm1', slot: 1 },
      { name: 'm2', slot: 2 },
    ]);
  });

  it('gives a multi-AZ FLAG one cell by default', () => {
    expect(generate({ topology: 'multi-az' }).cells).toEqual([{ name: 'm1', slot: 1 }]);
  });

  it('refuses a multi-AZ FLAG in two zones, as the allocator does', () => {
    const codes = refusal(() =>
      newFlagDocument({ ...base, zones: ['us-east-1a', 'us-east-1b'], topology: 'multi-az' }, empty),
    ).map((issue) => issue.code);
    expect(codes).toEqual(['MULTI_AZ_NEEDS_THREE_ZONES']);
  });

  it('takes the first /16 of the org pool', () => {
    expect(generate().network.vpcCidr).toBe('10.0.0.0/16');
  });

  it('skips the /16s other FLAGs use or reserve', () => {
    const existing: FlagFootprint[] = [
      { file: 'flags/a/b/us-east-1/flag.yaml', network: { vpcCidr: '10.0.0.0/16' } },
      { file: 'flags/a/c/us-east-1/flag.yaml', network: { vpcCidr: '10.2.0.0/16', reserved: ['10.1.128.0/17'] } },
    ];
    expect(generate({}, { org: ORG, existing }).network.vpcCidr).toBe('10.3.0.0/16');
  });

  it('takes from the pools of org.yaml in address order', () => {
    const org = { ...ORG, pool: ['172.16.0.0/12', '10.20.0.0/15'] };
    const existing: FlagFootprint[] = [{ file: 'flags/a/b/us-east-1/flag.yaml', network: { vpcCidr: '10.20.0.0/16' } }];
    expect(generate({}, { org, existing }).network.vpcCidr).toBe('10.21.0.0/16');
  });

  it('refuses when no /16 of the pool is free', () => {
    const org = { ...ORG, pool: ['10.20.0.0/16'] };
    const existing: FlagFootprint[] = [{ file: 'flags/a/b/us-east-1/flag.yaml', network: { vpcCidr: '10.20.0.0/16' } }];
    expect(refusal(() => newFlagDocument(base, { org, existing }))).toEqual([
      expect.objectContaining({ code: 'POOL_EXHAUSTED', path: 'network.vpcCidr', received: ['10.20.0.0/16'] }),
    ]);
  });

  it('refuses a given VPC that overlaps another FLAG', () => {
    const existing: FlagFootprint[] = [{ file: 'flags/a/b/us-east-1/flag.yaml', network: { vpcCidr: '10.7.0.0/16' } }];
    expect(refusal(() => newFlagDocument({ ...base, vpcCidr: '10.7.0.0/16' }, { org: ORG, existing }))).toEqual([
      expect.objectContaining({
        code: 'VPC_OVERLAP',
        path: 'network.vpcCidr',
        message: 'VPC 10.7.0.0/16 overlaps VPC 10.7.0.0/16 of flags/a/b/us-east-1/flag.yaml',
      }),
    ]);
  });

  it('validates the document it writes like kitt check does', () => {
    const issues = refusal(() =>
      newFlagDocument(
        { ...base, customer: 'Pay-ments', zones: ['us-east-1a', 'eu-west-1b'], vpcCidr: '10.7.0.0/17' },
        empty,
      ),
    );
    expect(issues.map((issue) => issue.code).sort()).toEqual(['NAME_INVALID', 'VPC_NOT_SLASH16', 'ZONE_NOT_IN_REGION']);
  });

  it('points editors at the JSON Schema on its first line', () => {
    const [first = ''] = newFlagDocument(base, empty).split('\n');
    expect(first).toMatch(/^# yaml-language-server: \$schema=/);
    const relative = first.split('$schema=')[1] ?? '';
    expect(path.posix.join(path.posix.dirname(FILE), relative)).toBe('packages/flag-config/schema/flag.schema.json');
  });

  it('refuses the placeholder account id 000000000000', () => {
    expect(refusal(() => newFlagDocument({ ...base, accountId: '000000000000' }, empty))).toEqual([
      expect.objectContaining({ code: 'ACCOUNT_ID_PLACEHOLDER', path: 'aws.accountId' }),
    ]);
  });

  it('writes the zones as one readable line', () => {
    expect(newFlagDocument(base, empty)).toContain('  zones: [us-east-1a, us-east-1b, us-east-1c]\n');
  });
});

describe('writeNewFlag', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo().write({ 'flags/org.yaml': MINIMAL_ORG });
  });
  afterEach(() => repo.dispose());

  it('writes the file and returns its repo-relative path', () => {
    repo.write({ 'flags/org.yaml': `pool: 172.16.0.0/12\n${MINIMAL_ORG}` });
    expect(writeNewFlag(repo.root, base)).toBe(FILE);
    expect(parseFlag(readFileSync(path.join(repo.root, FILE), 'utf8'), FILE).network.vpcCidr).toBe('172.16.0.0/16');
  });

  it('skips the VPC of an existing FLAG, even one with other errors', () => {
    const broken = flagYaml({
      customer: 'search',
      environment: 'prod',
      region: 'us-west-2',
      vpcCidr: '10.0.0.0/16',
    }).replace('"123456789012"', '"1"');
    repo.write({ 'flags/search/prod/us-west-2/flag.yaml': broken });
    writeNewFlag(repo.root, base);
    expect(parseFlag(readFileSync(path.join(repo.root, FILE), 'utf8'), FILE).network.vpcCidr).toBe('10.1.0.0/16');
  });

  it('refuses a VPC overlapping a FLAG whose CIDR has host bits', () => {
    repo.write({
      'flags/search/prod/us-west-2/flag.yaml': flagYaml({
        customer: 'search',
        environment: 'prod',
        region: 'us-west-2',
        vpcCidr: '10.16.0.1/16',
      }),
    });
    expect(refusal(() => writeNewFlag(repo.root, { ...base, vpcCidr: '10.16.0.0/16' }))).toEqual([
      expect.objectContaining({
        code: 'VPC_OVERLAP',
        message: 'VPC 10.16.0.0/16 overlaps VPC 10.16.0.0/16 of flags/search/prod/us-west-2/flag.yaml',
      }),
    ]);
    expect(existsSync(path.join(repo.root, FILE))).toBe(false);
  });

  it('refuses to overwrite an existing FLAG', () => {
    repo.write({ [FILE]: 'not even yaml: [' });
    expect(refusal(() => writeNewFlag(repo.root, base))).toEqual([
      expect.objectContaining({ code: 'FLAG_EXISTS', file: FILE, path: '' }),
    ]);
    expect(readFileSync(path.join(repo.root, FILE), 'utf8')).toBe('not even yaml: [');
  });

  it('writes nothing when the result would be invalid', () => {
    expect(
      refusal(() => writeNewFlag(repo.root, { ...base, zones: ['us-east-1a', 'us-east-1b'], cells: 6 })).map(
        (issue) => issue.code,
      ),
    ).toEqual(['CELL_COUNT_EXCEEDS_GRID']);
    expect(existsSync(path.join(repo.root, 'flags/payments'))).toBe(false);
  });

  it('refuses to write through a symlinked customer directory, naming it', () => {
    const outside = new TempRepo();
    try {
      symlinkSync(outside.root, path.join(repo.root, 'flags/payments'));
      expect(refusal(() => writeNewFlag(repo.root, base))).toEqual([
        expect.objectContaining({ code: 'SYMLINK_REFUSED', file: 'flags/payments' }),
      ]);
      expect(readdirSync(outside.root)).toEqual([]);
    } finally {
      outside.dispose();
    }
  });

  it('refuses a path step that is a file with a coded error naming the file', () => {
    repo.write({ 'flags/payments/prod': 'a file, not a directory' });
    expect(refusal(() => writeNewFlag(repo.root, base))).toEqual([
      expect.objectContaining({ code: 'OUTPUT_PATH_INVALID', file: FILE }),
    ]);
  });

  it('refuses a given VPC outside the org pool', () => {
    expect(refusal(() => writeNewFlag(repo.root, { ...base, vpcCidr: '172.16.0.0/16' }))).toEqual([
      expect.objectContaining({ code: 'VPC_OUTSIDE_POOL', path: 'network.vpcCidr', received: '172.16.0.0/16' }),
    ]);
  });

  it('refuses without flags/org.yaml: the state backend has no default', () => {
    repo.remove('flags/org.yaml');
    expect(refusal(() => writeNewFlag(repo.root, base))).toEqual([
      expect.objectContaining({ code: 'ORG_FILE_MISSING', file: 'flags/org.yaml' }),
    ]);
  });
});
