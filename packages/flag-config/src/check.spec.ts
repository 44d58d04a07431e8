import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { checkRepository } from './check';
import { InputError } from './errors';
import type { Flag, InputIssue } from './types';
import { MINIMAL_ORG, VALID_FLAG, edit, flagYaml, lineOf } from './__fixtures__/flag-text';
import { TempRepo } from './__fixtures__/temp-repo';

const PROD = 'flags/payments/prod/us-east-1/flag.yaml';
const DEV = 'flags/payments/dev/us-east-1/flag.yaml';
const SEARCH = 'flags/search/prod/us-west-2/flag.yaml';

const prod = flagYaml({ customer: 'payments', environment: 'prod', region: 'us-east-1', vpcCidr: '10.0.0.0/16' });
const dev = flagYaml({ customer: 'payments', environment: 'dev', region: 'us-east-1', vpcCidr: '10.1.0.0/16' });
const search = flagYaml({ customer: 'search', environment: 'prod', region: 'us-west-2', vpcCidr: '10.2.0.0/16' });

/** What FLAGs with cells need from org.yaml: a domain and an AMI per region. */
const CELL_READY_ORG =
  MINIMAL_ORG +
  'domain: kitt.example.com\namis:\n  us-east-1: /aws/service/debian/release/12/latest/amd64\n  us-west-2: ami-0123456789abcdef0\n';

let repo: TempRepo;
beforeEach(() => {
  repo = new TempRepo().write({ 'flags/org.yaml': CELL_READY_ORG });
});
afterEach(() => repo.dispose());

const codesOf = (issues: readonly InputIssue[]) => issues.map((issue) => issue.code);

describe('checkRepository', () => {
  it('returns every valid FLAG in path order and no issues', () => {
    repo.write({ [SEARCH]: search, [PROD]: prod, [DEV]: dev });
    const { flags, issues } = checkRepository(repo.root);
    expect(issues).toEqual([]);
    expect(flags.map((flag) => flag.file)).toEqual([DEV, PROD, SEARCH]);
  });

  it('refuses overlapping VPCs of two FLAGs and names both files', () => {
    repo.write({ [PROD]: prod, [SEARCH]: edit(search, '10.2.0.0/16', '10.0.0.0/16') });
    const { issues } = checkRepository(repo.root);
    expect(issues).toEqual([
      {
        code: 'VPC_OVERLAP',
        file: SEARCH,
        path: 'network.vpcCidr',
        line: 7,
        message: `VPC 10.0.0.0/16 overlaps VPC 10.0.0.0/16 of ${PROD}: FLAG VPCs must not share addresses`,
        received: '10.0.0.0/16',
        expected: 'a /16 no other FLAG uses, e.g. 10.1.0.0/16 (the first free /16 of the org pool)',
      },
    ]);
  });

  it('finds a VPC overlap with a FLAG that is not named, and reports it on the named one', () => {
    repo.write({ [PROD]: prod, [SEARCH]: edit(search, '10.2.0.0/16', '10.0.0.0/16') });
    const { issues } = checkRepository(repo.root, { dirs: ['flags/payments/prod/us-east-1'] });
    expect(issues).toEqual([
      expect.objectContaining({ code: 'VPC_OVERLAP', file: PROD, message: expect.stringContaining(SEARCH) }),
    ]);
  });

  it('checks only the named FLAGs on their own', () => {
    repo.write({ [PROD]: prod, [DEV]: edit(dev, 'topology: single-az', 'topology: sideways') });
    const named = checkRepository(repo.root, { dirs: ['flags/payments/prod/us-east-1/'] });
    expect(named).toEqual({ flags: [expect.objectContaining({ file: PROD })], issues: [], removed: [] });
    expect(codesOf(checkRepository(repo.root).issues)).toEqual(['INVALID_VALUE']);
  });

  it('refuses two files that declare the same FLAG', () => {
    const copy = 'flags/payments/prod/us-east-2/flag.yaml';
    repo.write({ [PROD]: prod, [copy]: edit(prod, '10.0.0.0/16', '10.9.0.0/16') });
    const issues = checkRepository(repo.root).issues;
    expect(issues.filter((issue) => issue.code === 'FLAG_DUPLICATE')).toEqual([
      expect.objectContaining({
        file: PROD,
        path: '',
        received: 'payments-prod-us-east-1',
        message: `FLAG payments-prod-us-east-1 is also declared in ${copy}: one (customer, environment, region) is one FLAG`,
      }),
      expect.objectContaining({
        file: copy,
        received: 'payments-prod-us-east-1',
        expected: `one file per FLAG, at ${PROD}`,
      }),
    ]);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'FLAG_PATH_MISMATCH', file: copy, path: 'region' }));
  });

  it('reports a named directory without a FLAG', () => {
    repo.write({ [PROD]: prod });
    expect(checkRepository(repo.root, { dirs: ['flags/payments/qa/us-east-1'] }).issues).toEqual([
      expect.objectContaining({ code: 'FLAG_NOT_FOUND', file: 'flags/payments/qa/us-east-1/flag.yaml', path: '' }),
    ]);
  });

  it('reports a flag.yaml at the wrong depth, which would otherwise be ignored', () => {
    repo.write({ [PROD]: prod, 'flags/payments/prod/flag.yaml': prod });
    expect(checkRepository(repo.root).issues).toEqual([
      expect.objectContaining({ code: 'FLAG_PATH_MISMATCH', file: 'flags/payments/prod/flag.yaml', path: '' }),
    ]);
  });

  it('reports the issues of flags/org.yaml too', () => {
    repo.write({ [PROD]: prod, 'flags/org.yaml': `pool: 10.0.0.1/8\n${MINIMAL_ORG}` });
    expect(checkRepository(repo.root).issues).toEqual([
      expect.objectContaining({
        code: 'CIDR_NOT_CANONICAL',
        file: 'flags/org.yaml',
        path: 'pool',
        expected: '10.0.0.0/8',
      }),
    ]);
  });

  it('reports the issues of every FLAG file', () => {
    repo.write({ [PROD]: edit(prod, '"123456789012"', '"1"'), [DEV]: edit(dev, '10.1.0.0/16', '10.4.0.0/15') });
    expect(checkRepository(repo.root).issues.map((issue) => [issue.file, issue.code])).toEqual([
      [DEV, 'VPC_NOT_SLASH16'],
      [PROD, 'ACCOUNT_ID_INVALID'],
    ]);
  });
});

describe("checkRepository with the layers' rules", () => {
  it('reports what a rule finds in each valid FLAG in scope, at the line of its field', () => {
    repo.write({ [PROD]: prod, [DEV]: edit(dev, 'topology: single-az', 'topology: sideways') });
    const seen: string[] = [];
    const rule = (flag: Flag) => {
      seen.push(flag.file);
      return [{ code: 'LAYER_RULE', file: flag.file, path: 'network.vpcCidr', message: 'refused by a layer' }];
    };
    const { issues } = checkRepository(repo.root, { dirs: ['flags/payments/prod/us-east-1'], flagRules: [rule] });
    expect(seen).toEqual([PROD]);
    expect(issues).toEqual([
      {
        code: 'LAYER_RULE',
        file: PROD,
        path: 'network.vpcCidr',
        line: lineOf(prod, 'vpcCidr'),
        message: 'refused by a layer',
      },
    ]);
  });
});

describe('checkRepository with a base ref', () => {
  beforeEach(() => {
    repo
      .gitInit()
      .write({ [PROD]: VALID_FLAG })
      .commit('base');
  });

  it('accepts a change that only appends', () => {
    repo.write({ [PROD]: `${VALID_FLAG}  - name: charlie\n    zone: us-east-1c\n    slot: 1\n` });
    expect(checkRepository(repo.root, { baseRef: 'main' }).issues).toEqual([]);
  });

  it('refuses a removed zone against the base commit, at its line', () => {
    const head = edit(VALID_FLAG, ', us-east-1c]', ']');
    repo.write({ [PROD]: head });
    expect(checkRepository(repo.root, { baseRef: 'HEAD' }).issues).toEqual([
      expect.objectContaining({
        code: 'STABILITY_ZONE_REMOVED',
        file: PROD,
        path: 'network.zones',
        line: lineOf(head, 'zones:'),
      }),
    ]);
  });

  it('refuses a moved cell and a reused slot in one change', () => {
    const head = edit(
      edit(VALID_FLAG, 'name: bravo', 'name: delta'),
      '    zone: us-east-1a\n    slot: 1',
      '    zone: us-east-1a\n    slot: 2',
    );
    repo.write({ [PROD]: head });
    expect(codesOf(checkRepository(repo.root, { baseRef: 'main' }).issues)).toEqual([
      'STABILITY_CELL_MOVED',
      'STABILITY_SLOT_REUSED',
    ]);
  });

  it('refuses reordered zones against an older commit', () => {
    repo.write({ [PROD]: `${VALID_FLAG}  - name: charlie\n    zone: us-east-1c\n    slot: 1\n` }).commit('add charlie');
    repo.write({
      [PROD]: edit(VALID_FLAG, '[us-east-1a, us-east-1b, us-east-1c]', '[us-east-1b, us-east-1a, us-east-1c]'),
    });
    expect(codesOf(checkRepository(repo.root, { baseRef: 'HEAD~1' }).issues)).toEqual(['STABILITY_ZONE_REORDERED']);
  });

  it('has nothing to compare for a FLAG that is new since the base', () => {
    repo.write({ [SEARCH]: search });
    expect(checkRepository(repo.root, { baseRef: 'main' }).issues).toEqual([]);
  });

  it('refuses a base ref git does not know with a clear message', () => {
    expect.assertions(2);
    try {
      checkRepository(repo.root, { baseRef: 'origin/nope' });
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues).toEqual([
        expect.objectContaining({
          code: 'BASE_REF_INVALID',
          path: '--base',
          received: 'origin/nope',
          message: 'cannot check stability against "origin/nope": git does not know that revision',
        }),
      ]);
    }
  });

  it('refuses a base ref outside a git repository', () => {
    const plain = new TempRepo().write({ [PROD]: VALID_FLAG });
    try {
      expect(() => checkRepository(plain.root, { baseRef: 'main' })).toThrow(
        /cannot check stability against "main": not a git repository/,
      );
    } finally {
      plain.dispose();
    }
  });
});

describe('checkRepository: a FLAG never vanishes silently', () => {
  it.each(['flag.yml', 'Flag.yaml', 'flag.YAML', 'flags.yaml'])(
    'refuses a FLAG directory whose flag.yaml was renamed to %s, naming the path',
    (name) => {
      repo.write({ [PROD]: prod, [`flags/payments/dev/us-east-1/${name}`]: dev });
      const { issues } = checkRepository(repo.root);
      expect(issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'FLAG_FILE_NAME_INVALID', file: `flags/payments/dev/us-east-1/${name}` }),
          expect.objectContaining({ code: 'FLAG_FILE_MISSING', file: DEV }),
        ]),
      );
    },
  );

  it('refuses a flag.yaml that is a directory, naming it', () => {
    repo.write({ [PROD]: prod, [`${DEV}/inner`]: dev });
    expect(checkRepository(repo.root).issues).toEqual([
      expect.objectContaining({ code: 'FILE_NOT_REGULAR', file: DEV, message: expect.stringContaining('a directory') }),
    ]);
  });

  it('refuses a flag.yaml that is a dangling symlink', () => {
    repo.write({ [PROD]: prod });
    mkdirSync(path.join(repo.root, 'flags/payments/dev/us-east-1'), { recursive: true });
    symlinkSync('/nonexistent/flag.yaml', path.join(repo.root, DEV));
    expect(checkRepository(repo.root).issues).toEqual([
      expect.objectContaining({ code: 'SYMLINK_REFUSED', file: DEV }),
    ]);
  });

  it('refuses a FLAG directory that holds no flag.yaml at all', () => {
    repo.write({ [PROD]: prod, 'flags/payments/dev/us-east-1/README.md': 'notes' });
    expect(checkRepository(repo.root).issues).toEqual([
      expect.objectContaining({
        code: 'FLAG_FILE_MISSING',
        file: DEV,
        expected: expect.stringContaining('remove the directory'),
      }),
    ]);
  });

  it('refuses a named FLAG directory whose flag.yaml was renamed', () => {
    repo.write({ [PROD]: prod, 'flags/payments/dev/us-east-1/flag.yml': dev });
    expect(codesOf(checkRepository(repo.root, { dirs: ['flags/payments/dev/us-east-1'] }).issues)).toEqual(
      expect.arrayContaining(['FLAG_FILE_NAME_INVALID', 'FLAG_FILE_MISSING']),
    );
  });
});

describe('checkRepository: symlinks under flags/', () => {
  let outside: TempRepo;
  beforeEach(() => {
    outside = new TempRepo().write({ 'secret.txt': 'TOKEN=hunter2\n', [SEARCH]: search });
  });
  afterEach(() => outside.dispose());

  it('refuses a flag.yaml that links to a file outside the repository, without echoing its content', () => {
    repo.write({ [PROD]: prod });
    mkdirSync(path.join(repo.root, 'flags/payments/dev/us-east-1'), { recursive: true });
    symlinkSync(path.join(outside.root, 'secret.txt'), path.join(repo.root, DEV));
    const { issues } = checkRepository(repo.root);
    expect(issues).toEqual([expect.objectContaining({ code: 'SYMLINK_REFUSED', file: DEV })]);
    expect(JSON.stringify(issues)).not.toContain('hunter2');
  });

  it('refuses a symlinked customer directory when checking everything', () => {
    repo.write({ [PROD]: prod });
    symlinkSync(path.join(outside.root, 'flags/search'), path.join(repo.root, 'flags/search'));
    expect(checkRepository(repo.root).issues).toEqual([
      expect.objectContaining({ code: 'SYMLINK_REFUSED', file: 'flags/search' }),
    ]);
  });

  it('refuses a symlinked customer directory when it is named', () => {
    repo.write({ [PROD]: prod });
    symlinkSync(path.join(outside.root, 'flags/search'), path.join(repo.root, 'flags/search'));
    const { flags, issues } = checkRepository(repo.root, { dirs: ['flags/search/prod/us-west-2'] });
    expect(flags).toEqual([]);
    expect(codesOf(issues)).toContain('SYMLINK_REFUSED');
  });
});

describe('checkRepository: address space and accounts', () => {
  it('refuses the placeholder account 000000000000', () => {
    repo.write({ [PROD]: edit(prod, '"123456789012"', '"000000000000"') });
    expect(checkRepository(repo.root).issues).toEqual([
      expect.objectContaining({ code: 'ACCOUNT_ID_PLACEHOLDER', file: PROD, path: 'aws.accountId', line: 5 }),
    ]);
  });

  it('refuses a VPC outside the org pool', () => {
    repo.write({ [PROD]: edit(prod, '10.0.0.0/16', '192.168.0.0/16') });
    expect(checkRepository(repo.root).issues).toEqual([
      expect.objectContaining({ code: 'VPC_OUTSIDE_POOL', file: PROD, path: 'network.vpcCidr', line: 7 }),
    ]);
  });

  it.each(['127.0.0.0/16', '169.254.0.0/16', '224.0.0.0/16', '0.0.0.0/16', '240.0.0.0/16', '8.8.0.0/16'])(
    'refuses a VPC in special-purpose or public space: %s',
    (vpc) => {
      repo.write({ 'flags/org.yaml': `pool: 10.0.0.0/8\n${MINIMAL_ORG}`, [PROD]: edit(prod, '10.0.0.0/16', vpc) });
      expect(codesOf(checkRepository(repo.root).issues)).toEqual(
        expect.arrayContaining(['VPC_NOT_PRIVATE', 'VPC_OUTSIDE_POOL']),
      );
    },
  );

  it('refuses a repository without flags/org.yaml', () => {
    repo.write({ [PROD]: prod }).remove('flags/org.yaml');
    expect(checkRepository(repo.root).issues).toEqual([
      expect.objectContaining({ code: 'ORG_FILE_MISSING', file: 'flags/org.yaml' }),
    ]);
  });
});

describe('checkRepository with a base ref: removals and the backend', () => {
  beforeEach(() => {
    repo
      .gitInit()
      .write({ [PROD]: prod, [DEV]: dev })
      .commit('base');
  });

  it('lists a FLAG whose directory was removed on purpose, and passes', () => {
    repo.remove('flags/payments/dev');
    expect(checkRepository(repo.root, { baseRef: 'main' })).toEqual(
      expect.objectContaining({ issues: [], removed: ['flags/payments/dev/us-east-1'] }),
    );
  });

  it('does not count a renamed flag.yaml as a removal: it is an error', () => {
    repo.remove(DEV).write({ 'flags/payments/dev/us-east-1/flag.yml': dev });
    const result = checkRepository(repo.root, { baseRef: 'main' });
    expect(result.removed).toEqual([]);
    expect(codesOf(result.issues)).toEqual(expect.arrayContaining(['FLAG_FILE_NAME_INVALID', 'FLAG_FILE_MISSING']));
  });

  it('refuses a changed state bucket against the base', () => {
    repo.write({ 'flags/org.yaml': CELL_READY_ORG.replace('kitt-test-state', 'another-state') });
    expect(checkRepository(repo.root, { baseRef: 'main' }).issues).toEqual([
      expect.objectContaining({ code: 'STABILITY_BACKEND_CHANGED', file: 'flags/org.yaml', path: 'state.bucket' }),
    ]);
  });

  it('refuses another account for an existing FLAG against the base, at its line', () => {
    repo.write({ [PROD]: edit(prod, '"123456789012"', '"210987654321"') });
    expect(checkRepository(repo.root, { baseRef: 'main' }).issues).toEqual([
      expect.objectContaining({ code: 'STABILITY_ACCOUNT_CHANGED', file: PROD, path: 'aws.accountId', line: 5 }),
    ]);
  });
});

describe('checkRepository with a base ref: the plan roles', () => {
  const ACCOUNTS =
    'accounts:\n' +
    '  "123456789012":\n' +
    '    planRoleArn: arn:aws:iam::123456789012:role/kitt-plan\n' +
    '    applyRoleArn: arn:aws:iam::123456789012:role/kitt-apply\n';
  beforeEach(() => {
    repo
      .gitInit()
      .write({ 'flags/org.yaml': CELL_READY_ORG + ACCOUNTS, [PROD]: prod })
      .commit('base');
  });

  it("refuses a plan role that differs from the base branch's, at its line", () => {
    const changed = CELL_READY_ORG + ACCOUNTS.replace('role/kitt-plan', 'role/kitt-admin');
    repo.write({ 'flags/org.yaml': changed });
    expect(checkRepository(repo.root, { baseRef: 'main' }).issues).toEqual([
      expect.objectContaining({
        code: 'STABILITY_PLAN_ROLE_CHANGED',
        file: 'flags/org.yaml',
        path: 'accounts.123456789012.planRoleArn',
        line: lineOf(changed, 'role/kitt-admin'),
        received: 'arn:aws:iam::123456789012:role/kitt-admin',
        expected: expect.stringContaining('arn:aws:iam::123456789012:role/kitt-plan'),
      }),
    ]);
  });

  it('accepts a new account and a changed apply role: neither is a role this pull request plans with', () => {
    const added =
      CELL_READY_ORG +
      ACCOUNTS.replace('role/kitt-apply', 'role/kitt-deploy') +
      '  "210987654321":\n' +
      '    planRoleArn: arn:aws:iam::210987654321:role/kitt-plan\n' +
      '    applyRoleArn: arn:aws:iam::210987654321:role/kitt-apply\n';
    repo.write({ 'flags/org.yaml': added });
    expect(checkRepository(repo.root, { baseRef: 'main' }).issues).toEqual([]);
  });
});
