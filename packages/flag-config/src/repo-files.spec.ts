import { loadAllFlags, loadFlag, loadOrg } from './load';
import { flagFileOf, flagLayoutIssuesOfPaths, listFlagFiles } from './repo-files';
import { InputError } from './errors';
import { VALID_FLAG } from './__fixtures__/flag-text';
import { TempRepo } from './__fixtures__/temp-repo';

describe('FLAG files of a repository', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
  });
  afterEach(() => repo.dispose());

  it('lists flags/*/*/*/flag.yaml only, sorted', () => {
    repo.write({
      'flags/payments/prod/us-east-1/flag.yaml': VALID_FLAG,
      'flags/b/dev/eu-west-2/flag.yaml': VALID_FLAG,
      'flags/b/dev/eu-west-2/notes.yaml': '',
      'flags/org.yaml': '',
      'flags/too/shallow/flag.yaml': '',
      'flags/a/b/c/d/flag.yaml': '',
    });
    expect(listFlagFiles(repo.root)).toEqual([
      'flags/b/dev/eu-west-2/flag.yaml',
      'flags/payments/prod/us-east-1/flag.yaml',
    ]);
  });

  it('lists nothing when there is no flags/ directory', () => {
    expect(listFlagFiles(repo.root)).toEqual([]);
  });

  it('accepts a FLAG directory with or without a trailing slash, absolute, or the flag.yaml itself', () => {
    const file = 'flags/payments/prod/us-east-1/flag.yaml';
    for (const dir of [
      'flags/payments/prod/us-east-1',
      'flags/payments/prod/us-east-1/',
      `${repo.root}/flags/payments/prod/us-east-1`,
      file,
    ]) {
      expect(flagFileOf(repo.root, dir)).toBe(file);
    }
  });

  it('reports a FLAG directory without a flag.yaml', () => {
    expect(() => loadFlag(repo.root, 'flags/payments/prod/us-east-1')).toThrow(InputError);
    expect(() => loadFlag(repo.root, 'flags/payments/prod/us-east-1')).toThrow('[FLAG_NOT_FOUND]');
  });

  it('refuses a repository without flags/org.yaml, naming the file', () => {
    expect(() => loadOrg(repo.root)).toThrow('flags/org.yaml does not exist');
    expect(() => loadOrg(repo.root)).toThrow('[ORG_FILE_MISSING]');
  });

  it('loads the valid FLAGs and collects the issues of all the others', () => {
    repo.write({
      'flags/payments/prod/us-east-1/flag.yaml': VALID_FLAG,
      'flags/payments/dev/us-east-1/flag.yaml': VALID_FLAG,
      'flags/payments/qa/us-east-1/flag.yaml': 'customer: [',
    });
    const { flags, issues } = loadAllFlags(repo.root);
    expect(flags.map((flag) => flag.id)).toEqual(['payments-prod-us-east-1']);
    expect(issues.map((issue) => [issue.file, issue.code])).toEqual([
      ['flags/payments/dev/us-east-1/flag.yaml', 'FLAG_PATH_MISMATCH'],
      ['flags/payments/qa/us-east-1/flag.yaml', 'YAML_SYNTAX'],
    ]);
  });
});

describe('flagLayoutIssuesOfPaths', () => {
  it('finds FLAG directories of a listing without flag.yaml, and near-miss names', () => {
    const issues = flagLayoutIssuesOfPaths([
      'flags/org.yaml',
      'flags/a/prod/us-east-1/flag.yaml',
      'flags/b/prod/us-east-1/Flag.yaml',
      'flags/c/prod/us-east-1/flag.yaml/inner',
      'flags/d/prod/us-east-1/README.md',
    ]);
    expect(issues.map((issue) => [issue.code, issue.file])).toEqual([
      ['FLAG_FILE_NAME_INVALID', 'flags/b/prod/us-east-1/Flag.yaml'],
      ['FLAG_FILE_MISSING', 'flags/b/prod/us-east-1/flag.yaml'],
      ['FLAG_FILE_MISSING', 'flags/c/prod/us-east-1/flag.yaml'],
      ['FLAG_FILE_MISSING', 'flags/d/prod/us-east-1/flag.yaml'],
    ]);
  });

  it('accepts a listing of sound FLAGs', () => {
    expect(flagLayoutIssuesOfPaths(['flags/org.yaml', 'flags/a/prod/us-east-1/flag.yaml'])).toEqual([]);
  });
});
