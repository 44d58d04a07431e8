import { InputError } from './errors';
import { parseFlag } from './load';
import type { InputIssue } from './types';
import { VALID_FLAG, VALID_FLAG_FILE, edit, lineOf } from './__fixtures__/flag-text';

/** The issues parseFlag throws for `text` (fails the test when it does not throw). */
function issuesOf(text: string, file = VALID_FLAG_FILE): readonly InputIssue[] {
  try {
    parseFlag(text, file);
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error('expected parseFlag to throw an InputError');
}

function only(issues: readonly InputIssue[], code: string): InputIssue {
  const found = issues.filter((issue) => issue.code === code);
  expect(found).toHaveLength(1);
  return found[0] as InputIssue;
}

describe('parseFlag', () => {
  it('loads a valid flag.yaml with defaults filled in', () => {
    const flag = parseFlag(VALID_FLAG, VALID_FLAG_FILE);
    expect(flag).toEqual({
      id: 'payments-prod-us-east-1',
      customer: 'payments',
      environment: 'prod',
      region: 'us-east-1',
      dir: 'flags/payments/prod/us-east-1',
      file: VALID_FLAG_FILE,
      aws: { accountId: '123456789012' },
      network: {
        vpcCidr: '10.16.0.0/16',
        zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        podCidr: '100.64.0.0/16',
        nodePodPrefix: 24,
        reserved: [],
      },
      topology: 'single-az',
      cells: [
        { name: 'alpha', zone: 'us-east-1a', slot: 1 },
        { name: 'bravo', zone: 'us-east-1b', slot: 1 },
      ],
    });
  });

  it('leaves the zone key out of a multi-AZ cell', () => {
    const text = edit(
      edit(edit(VALID_FLAG, 'topology: single-az', 'topology: multi-az'), '    zone: us-east-1a\n', ''),
      '    zone: us-east-1b\n    slot: 1',
      '    slot: 2',
    );
    expect(parseFlag(text, VALID_FLAG_FILE).cells).toEqual([
      { name: 'alpha', slot: 1 },
      { name: 'bravo', slot: 2 },
    ]);
  });

  it('reports malformed YAML with its line', () => {
    const text = edit(VALID_FLAG, 'environment: prod', 'environment: prod: live');
    const issue = only(issuesOf(text), 'YAML_SYNTAX');
    expect(issue).toMatchObject({
      file: VALID_FLAG_FILE,
      path: '',
      line: lineOf(text, 'environment:'),
      expected: 'valid YAML',
    });
    expect(issue.message).toMatch(/line \d+, column \d+/);
  });

  it('reports a key given twice in one mapping', () => {
    const text = edit(VALID_FLAG, 'region: us-east-1\n', 'region: us-east-1\nregion: us-east-2\n');
    expect(only(issuesOf(text), 'DUPLICATE_KEY')).toMatchObject({
      file: VALID_FLAG_FILE,
      line: lineOf(text, 'region: us-east-2'),
      expected: 'each key once per mapping',
    });
  });

  it('reports an unknown key with the keys that are allowed and a guess', () => {
    const text = edit(VALID_FLAG, '  accountId: "123456789012"', '  accountId: "123456789012"\n  acountId: "1"');
    const issue = only(issuesOf(text), 'UNKNOWN_KEY');
    expect(issue).toMatchObject({
      file: VALID_FLAG_FILE,
      path: 'aws.acountId',
      line: lineOf(text, 'acountId:'),
      received: 'acountId',
      expected: 'one of accountId',
    });
    expect(issue.message).toContain('did you mean "accountId"');
  });

  it('reports an unknown top-level key at its line', () => {
    const text = `${VALID_FLAG}owner: team-a\n`;
    expect(only(issuesOf(text), 'UNKNOWN_KEY')).toMatchObject({
      path: 'owner',
      line: lineOf(text, 'owner:'),
      received: 'owner',
      expected: 'one of customer, environment, region, aws, network, topology, cells, teams, addons',
    });
  });

  it('reports a missing field at the line of the mapping it belongs in', () => {
    const text = edit(VALID_FLAG, '  vpcCidr: 10.16.0.0/16\n', '');
    const issue = only(issuesOf(text), 'MISSING_FIELD');
    expect(issue).toMatchObject({ file: VALID_FLAG_FILE, path: 'network.vpcCidr', line: lineOf(text, 'network:') });
    expect(issue.expected).toContain('always a /16');
    expect(issue).not.toHaveProperty('received');
  });

  it('reports a missing top-level field without a line', () => {
    const issue = only(issuesOf(edit(VALID_FLAG, 'topology: single-az\n', '')), 'MISSING_FIELD');
    expect(issue.path).toBe('topology');
    expect(issue.line).toBeUndefined();
  });

  it('reports an unquoted account id as a number to quote', () => {
    const text = edit(VALID_FLAG, 'accountId: "123456789012"', 'accountId: 123456789012');
    const issue = only(issuesOf(text), 'INVALID_TYPE');
    expect(issue).toMatchObject({
      path: 'aws.accountId',
      line: lineOf(text, 'accountId'),
      received: 123456789012,
      expected: 'a 12-digit AWS account id in quotes, e.g. "123456789012"',
    });
    expect(issue.message).toContain('put the value in quotes');
  });

  it('reports a value outside an enumeration with the allowed values', () => {
    const text = edit(VALID_FLAG, 'topology: single-az', 'topology: single');
    expect(only(issuesOf(text), 'INVALID_VALUE')).toMatchObject({
      path: 'topology',
      line: lineOf(text, 'topology:'),
      received: 'single',
      expected: 'one of single-az, multi-az',
    });
  });

  it('refuses a customer name with capitals or hyphens', () => {
    const text = edit(VALID_FLAG, 'customer: payments', 'customer: Pay-ments');
    const issue = only(issuesOf(text), 'NAME_INVALID');
    expect(issue).toMatchObject({ path: 'customer', line: lineOf(text, 'customer:'), received: 'Pay-ments' });
    expect(issue.expected).toContain('no hyphens');
  });

  it('refuses a cell name longer than eight characters', () => {
    const text = edit(VALID_FLAG, 'name: bravo', 'name: bravobravo');
    expect(only(issuesOf(text), 'NAME_INVALID')).toMatchObject({
      path: 'cells[1].name',
      line: lineOf(text, 'bravobravo'),
      received: 'bravobravo',
    });
  });

  it('refuses a triple that does not match its directory', () => {
    const text = edit(VALID_FLAG, 'environment: prod', 'environment: staging');
    const issue = only(issuesOf(text), 'FLAG_PATH_MISMATCH');
    expect(issue).toMatchObject({
      file: VALID_FLAG_FILE,
      path: 'environment',
      line: lineOf(text, 'environment:'),
      received: 'staging',
    });
    expect(issue.expected).toBe('"prod", or move the file to flags/payments/staging/us-east-1/flag.yaml');
  });

  it('refuses a flag.yaml outside flags/<customer>/<environment>/<region>/', () => {
    const issue = only(issuesOf(VALID_FLAG, 'flags/payments/prod/flag.yaml'), 'FLAG_PATH_MISMATCH');
    expect(issue).toMatchObject({
      file: 'flags/payments/prod/flag.yaml',
      path: '',
      received: 'flags/payments/prod/flag.yaml',
      expected: 'flags/payments/prod/us-east-1/flag.yaml',
    });
  });

  it('refuses an unknown region and suggests the closest', () => {
    const text = edit(VALID_FLAG, 'region: us-east-1', 'region: us-east-9');
    const issue = only(issuesOf(text), 'REGION_UNKNOWN');
    expect(issue).toMatchObject({
      path: 'region',
      line: lineOf(text, 'region:'),
      received: 'us-east-9',
      expected: 'a known AWS region, e.g. us-east-1',
    });
    expect(issue.message).toContain('did you mean us-east-1?');
  });

  it('refuses a zone of another region', () => {
    const text = edit(VALID_FLAG, 'us-east-1b, us-east-1c]', 'us-east-1b, us-east-2c]');
    expect(only(issuesOf(text), 'ZONE_NOT_IN_REGION')).toMatchObject({
      path: 'network.zones[2]',
      line: lineOf(text, 'zones:'),
      received: 'us-east-2c',
      expected: 'a zone of us-east-1: us-east-1a, us-east-1b, us-east-1c, ...',
    });
  });

  it('refuses an account id that is not 12 digits', () => {
    const text = edit(VALID_FLAG, 'accountId: "123456789012"', 'accountId: "12345"');
    expect(only(issuesOf(text), 'ACCOUNT_ID_INVALID')).toMatchObject({
      path: 'aws.accountId',
      line: lineOf(text, 'accountId'),
      received: '12345',
    });
  });

  it("passes the allocator's issues through with the file and line added", () => {
    const text = edit(VALID_FLAG, 'vpcCidr: 10.16.0.0/16', 'vpcCidr: 10.16.0.0/17');
    expect(only(issuesOf(text), 'VPC_NOT_SLASH16')).toMatchObject({
      file: VALID_FLAG_FILE,
      path: 'network.vpcCidr',
      line: lineOf(text, 'vpcCidr:'),
      received: '10.16.0.0/17',
    });
  });

  it('says the canonical form of a CIDR with host bits', () => {
    const text = edit(VALID_FLAG, 'vpcCidr: 10.16.0.0/16', 'vpcCidr: 10.16.4.0/16');
    expect(only(issuesOf(text), 'CIDR_NOT_CANONICAL')).toMatchObject({
      path: 'network.vpcCidr',
      received: '10.16.4.0/16',
      expected: '10.16.0.0/16',
    });
  });

  it('refuses a slot outside the grid', () => {
    const text = edit(VALID_FLAG, '    zone: us-east-1b\n    slot: 1', '    zone: us-east-1b\n    slot: 3');
    const issue = only(issuesOf(text), 'CELL_SLOT_INVALID');
    expect(issue).toMatchObject({
      path: 'cells[1].slot',
      line: lineOf(text, 'slot: 3'),
      received: 3,
      expected: '1 or 2',
    });
    expect(issue.message).toBe('slot 3 is outside the grid: every zone of a /16 has slots 1 and 2');
  });

  it('reports two cells on one slot at the second cell', () => {
    const text = edit(VALID_FLAG, '    zone: us-east-1b', '    zone: us-east-1a');
    expect(only(issuesOf(text), 'CELL_SLOT_TAKEN')).toMatchObject({
      path: 'cells[1].slot',
      line: lineOf(text, 'name: bravo') + 2,
    });
  });

  it('reports every issue of a file, not just the first', () => {
    let text = edit(VALID_FLAG, 'accountId: "123456789012"', 'accountId: "12"');
    text = edit(text, 'vpcCidr: 10.16.0.0/16', 'vpcCidr: 10.16.0.0/17');
    text = edit(text, 'us-east-1c]', 'eu-west-1c]');
    text = edit(text, '    slot: 1\n', '    slot: 1\n    size: large\n');
    const codes = issuesOf(text)
      .map((issue) => issue.code)
      .sort();
    expect(codes).toEqual(['ACCOUNT_ID_INVALID', 'UNKNOWN_KEY', 'VPC_NOT_SLASH16', 'ZONE_NOT_IN_REGION']);
  });

  it('still checks the grid of the other cells when one cell is malformed, at their own index', () => {
    let text = edit(VALID_FLAG, '    zone: us-east-1a\n    slot: 1', '    zone: us-east-1a\n    slot: 7');
    text = `${text}  - name: bravo\n    zone: us-east-1b\n    slot: 1\n`;
    const issues = issuesOf(text);
    expect(only(issues, 'CELL_SLOT_INVALID')).toMatchObject({ path: 'cells[0].slot' });
    expect(only(issues, 'CELL_NAME_DUPLICATE')).toMatchObject({ path: 'cells[2].name' });
    expect(only(issues, 'CELL_NAME_DUPLICATE').message).toContain('cells[1]');
  });

  it('refuses an empty file as a document of the wrong type', () => {
    expect(only(issuesOf(''), 'INVALID_TYPE')).toMatchObject({
      path: '',
      received: null,
      expected: 'a mapping with customer, environment, region, aws, network, topology and cells',
    });
  });
});
