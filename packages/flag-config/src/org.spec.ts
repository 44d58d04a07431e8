import { InputError } from './errors';
import { analyseOrg, parseOrg } from './org';
import type { InputIssue } from './types';
import { MINIMAL_ORG, lineOf } from './__fixtures__/flag-text';

/** `text` plus the required state backend after it (so line numbers stay), unless it has its own. */
function withState(text: string): string {
  return text.includes('state:') ? text : `${text}${MINIMAL_ORG}`;
}

function issuesOf(text: string): readonly InputIssue[] {
  try {
    parseOrg(withState(text));
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error('expected parseOrg to throw an InputError');
}

const ACCOUNT = [
  'accounts:',
  '  "111111111111":',
  '    planRoleArn: arn:aws:iam::111111111111:role/kitt-plan',
  '    applyRoleArn: arn:aws:iam::111111111111:role/kitt-apply',
  '',
].join('\n');

describe('parseOrg', () => {
  it('fills every default but the state backend', () => {
    expect(parseOrg(MINIMAL_ORG)).toEqual({
      pool: ['10.0.0.0/8'],
      state: { bucket: 'kitt-test-state', region: 'us-east-1' },
      flowLogRetentionDays: 90,
      amis: {},
      accounts: {},
      environments: {},
    });
  });

  it('requires state: an empty file names the missing field', () => {
    expect(analyseOrg('').issues).toEqual([
      expect.objectContaining({ code: 'MISSING_FIELD', file: 'flags/org.yaml', path: 'state' }),
    ]);
  });

  it('requires state.bucket', () => {
    expect(analyseOrg('state:\n  region: us-east-1\n').issues).toEqual([
      expect.objectContaining({ code: 'MISSING_FIELD', file: 'flags/org.yaml', path: 'state.bucket' }),
    ]);
  });

  it.each(['0.0.0.0/0', '8.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4', '0.0.0.0/8'])(
    'refuses a pool outside private address space: %s',
    (pool) => {
      expect(analyseOrg(`pool: ${pool}\n${MINIMAL_ORG}`).issues).toEqual([
        expect.objectContaining({ code: 'POOL_NOT_PRIVATE', path: 'pool', received: pool }),
      ]);
    },
  );

  it.each(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'])('accepts a private pool: %s', (pool) => {
    expect(analyseOrg(`pool: ${pool}\n${MINIMAL_ORG}`).issues).toEqual([]);
  });

  it('accepts a single pool CIDR as well as a list', () => {
    expect(parseOrg(withState('pool: 172.16.0.0/12\n')).pool).toEqual(['172.16.0.0/12']);
    expect(parseOrg(withState('pool: [10.0.0.0/8, 172.16.0.0/12]\n')).pool).toEqual(['10.0.0.0/8', '172.16.0.0/12']);
  });

  it('reads accounts, environments, amis and the domain', () => {
    const org = parseOrg(
      withState(
        `${ACCOUNT}environments:\n  prod: production\namis:\n  us-east-1: ami-0123456789abcdef0\ndomain: kitt.example.com\n`,
      ),
    );
    expect(org.accounts).toEqual({
      '111111111111': {
        planRoleArn: 'arn:aws:iam::111111111111:role/kitt-plan',
        applyRoleArn: 'arn:aws:iam::111111111111:role/kitt-apply',
      },
    });
    expect(org.environments).toEqual({ prod: { environment: 'production', approvers: [] } });
    expect(org.amis).toEqual({ 'us-east-1': 'ami-0123456789abcdef0' });
    expect(org.domain).toBe('kitt.example.com');
  });

  it('refuses a pool CIDR with host bits and says the canonical form', () => {
    const text = 'pool: [10.0.0.0/8, 172.16.1.0/12]\n';
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({
        code: 'CIDR_NOT_CANONICAL',
        file: 'flags/org.yaml',
        path: 'pool[1]',
        line: 1,
        received: '172.16.1.0/12',
        expected: '172.16.0.0/12',
      }),
    ]);
  });

  it('refuses pool text that is not a CIDR', () => {
    expect(issuesOf('pool: 10.0.0.0\n')).toEqual([
      expect.objectContaining({ code: 'CIDR_INVALID', path: 'pool', received: '10.0.0.0' }),
    ]);
  });

  it('refuses a pool too small for a /16', () => {
    expect(issuesOf('pool: 10.0.0.0/20\n')).toEqual([
      expect.objectContaining({
        code: 'POOL_TOO_SMALL',
        path: 'pool',
        received: '10.0.0.0/20',
        expected: 'a /16 or larger, e.g. 10.0.0.0/8',
      }),
    ]);
  });

  it('refuses a role ARN of another account than its key', () => {
    const text = ACCOUNT.replace('111111111111:role/kitt-apply', '999999999999:role/kitt-apply');
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({
        code: 'ROLE_ARN_INVALID',
        path: 'accounts.111111111111.applyRoleArn',
        line: lineOf(text, 'applyRoleArn'),
        expected: 'arn:aws:iam::111111111111:role/<name>',
      }),
    ]);
  });

  it('refuses a malformed role ARN', () => {
    const text = ACCOUNT.replace('arn:aws:iam::111111111111:role/kitt-plan', 'kitt-plan');
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({
        code: 'ROLE_ARN_INVALID',
        path: 'accounts.111111111111.planRoleArn',
        line: lineOf(text, 'planRoleArn'),
        received: 'kitt-plan',
        expected: 'arn:aws:iam::<account id>:role/<name>',
      }),
    ]);
  });

  it('refuses an account key that is not 12 digits', () => {
    const text = ACCOUNT.replace('"111111111111":', '"1111":');
    expect(issuesOf(text)).toContainEqual(
      expect.objectContaining({
        code: 'ACCOUNT_ID_INVALID',
        path: 'accounts.1111',
        line: lineOf(text, '"1111"'),
        received: '1111',
      }),
    );
  });

  it('refuses an AMI for an unknown region', () => {
    const text = 'amis:\n  us-east-7: ami-0123456789abcdef0\n';
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({ code: 'REGION_UNKNOWN', path: 'amis.us-east-7', line: 2, received: 'us-east-7' }),
    ]);
  });

  it('refuses an environment key with a hyphen', () => {
    expect(issuesOf('environments:\n  pre-prod: staging\n')).toEqual([
      expect.objectContaining({ code: 'NAME_INVALID', path: 'environments.pre-prod', line: 2 }),
    ]);
  });

  it('reads an environment with its approvers, its GitHub Environment defaulting to its own name', () => {
    const org = parseOrg(
      withState(
        'environments:\n  prod:\n    environment: production\n    approvers: [carol, dave-ops]\n  stg:\n    approvers: [carol]\n  dev: development\n',
      ),
    );
    expect(org.environments).toEqual({
      prod: { environment: 'production', approvers: ['carol', 'dave-ops'] },
      stg: { environment: 'stg', approvers: ['carol'] },
      dev: { environment: 'development', approvers: [] },
    });
  });

  it('refuses an approver that is no GitHub login, naming the file and field', () => {
    expect(issuesOf('environments:\n  prod:\n    approvers: [carol, "-mallory-"]\n')).toEqual([
      expect.objectContaining({
        code: 'INVALID_VALUE',
        file: 'flags/org.yaml',
        path: 'environments.prod.approvers[1]',
        received: '-mallory-',
        expected: expect.stringContaining('a GitHub login'),
      }),
    ]);
  });

  it('refuses an unknown key in an environment', () => {
    expect(issuesOf('environments:\n  prod:\n    approver: [carol]\n')).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_KEY', path: 'environments.prod.approver', line: 3 }),
    ]);
  });

  it('reads applySince, and refuses one that is not a full commit SHA', () => {
    const sha = 'ab'.repeat(20);
    expect(parseOrg(withState(`applySince: ${sha}\n`)).applySince).toBe(sha);
    expect(parseOrg(withState('')).applySince).toBeUndefined();
    expect(issuesOf('applySince: main\n')).toEqual([
      expect.objectContaining({ code: 'INVALID_VALUE', file: 'flags/org.yaml', path: 'applySince', line: 1 }),
    ]);
  });

  it('refuses a flow log retention CloudWatch does not offer', () => {
    expect(issuesOf('flowLogRetentionDays: 45\n')).toEqual([
      expect.objectContaining({
        code: 'INVALID_VALUE',
        path: 'flowLogRetentionDays',
        line: 1,
        received: 45,
        expected: expect.stringContaining('30, 60, 90'),
      }),
    ]);
  });

  it('refuses unknown keys', () => {
    expect(issuesOf('pools: [10.0.0.0/8]\n')).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_KEY',
        path: 'pools',
        line: 1,
        message: 'unknown key "pools" (did you mean "pool"?)',
      }),
    ]);
  });

  it('needs both bucket and region when state is given', () => {
    expect(issuesOf('state:\n  bucket: my-state\n')).toEqual([
      expect.objectContaining({ code: 'MISSING_FIELD', path: 'state.region', line: 1 }),
    ]);
  });

  it('reads the GitHub repository and the state account', () => {
    const org = parseOrg(
      `state:\n  bucket: kitt-test-state\n  region: us-east-1\n  accountId: "111111111111"\n` +
        `github:\n  repository: example-org/platform-flags\n${ACCOUNT}`,
    );
    expect(org.github).toEqual({ repository: 'example-org/platform-flags' });
    expect(org.state).toEqual({ bucket: 'kitt-test-state', region: 'us-east-1', accountId: '111111111111' });
  });

  it.each(['example-org', 'example-org/platform/flags', '-org/repo', 'org/..', 'org/re po', 'org-/repo'])(
    'refuses a github.repository that is not OWNER/REPO, at its line: %s',
    (repository) => {
      expect(issuesOf(`github:\n  repository: "${repository}"\n`)).toEqual([
        expect.objectContaining({
          code: 'INVALID_VALUE',
          file: 'flags/org.yaml',
          path: 'github.repository',
          line: 2,
          expected: expect.stringContaining('OWNER/REPO'),
        }),
      ]);
    },
  );

  it('refuses a state account not listed under accounts, at its line, saying what to add', () => {
    const text = `${ACCOUNT}state:\n  bucket: kitt-test-state\n  region: us-east-1\n  accountId: "222222222222"\n`;
    expect(analyseOrg(text).issues).toEqual([
      expect.objectContaining({
        code: 'STATE_ACCOUNT_NOT_LISTED',
        file: 'flags/org.yaml',
        path: 'state.accountId',
        line: lineOf(text, 'accountId'),
        expected: expect.stringContaining('accounts."222222222222"'),
      }),
    ]);
  });

  it('refuses a state account id that is not 12 digits', () => {
    expect(issuesOf('state:\n  bucket: kitt-test-state\n  region: us-east-1\n  accountId: "1234"\n')).toEqual([
      expect.objectContaining({ code: 'ACCOUNT_ID_INVALID', path: 'state.accountId', line: 4 }),
    ]);
  });
});

describe('state.endpoint: an S3-compatible store', () => {
  const state = (extra: string) => `state:\n  bucket: my-state\n  region: us-east-1\n${extra}`;

  it('is read with usePathStyle, both absent by default', () => {
    expect(parseOrg(state('  endpoint: https://minio.example.com:9000\n  usePathStyle: true\n')).state).toEqual({
      bucket: 'my-state',
      region: 'us-east-1',
      endpoint: 'https://minio.example.com:9000',
      usePathStyle: true,
    });
    expect(parseOrg(state('')).state).toEqual({ bucket: 'my-state', region: 'us-east-1' });
  });

  it.each(['http://127.0.0.1:4568', 'http://localhost:9000', 'http://[::1]:9000'])(
    'may be plain http on loopback (%s)',
    (endpoint) => {
      expect(parseOrg(state(`  endpoint: ${endpoint}\n`)).state.endpoint).toBe(endpoint);
    },
  );

  it.each([
    ['http://minio.example.com:9000', 'is plain http'],
    ['minio.example.com', 'is not a URL'],
    ['ftp://minio.example.com', 'not https'],
    ['https://key:secret@minio.example.com', 'no credentials'],
    ['https://minio.example.com/?x=1', 'no credentials, query or fragment'],
  ])('refuses %s, naming the field and line', (endpoint, why) => {
    const issues = issuesOf(state(`  endpoint: ${endpoint}\n`));
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'STATE_ENDPOINT_INVALID',
        file: 'flags/org.yaml',
        path: 'state.endpoint',
        line: 4,
      }),
    ]);
    expect(issues[0]?.message).toContain(why);
  });

  it('refuses a store outside AWS beside state.accountId, the account kitt bootstrap makes the bucket in', () => {
    const text = `${ACCOUNT}${state('  accountId: "111111111111"\n  endpoint: https://minio.example.com\n')}`;
    const issues = issuesOf(text);
    expect(issues).toEqual([expect.objectContaining({ code: 'STATE_ENDPOINT_INVALID', path: 'state.endpoint' })]);
    expect(issues[0]?.message).toContain('leave out one of them');
  });

  it('refuses a usePathStyle that is not a boolean', () => {
    expect(issuesOf(state('  usePathStyle: "yes"\n'))).toEqual([
      expect.objectContaining({ code: 'INVALID_TYPE', path: 'state.usePathStyle' }),
    ]);
  });
});
