import {
  FLAG_FILE_GLOB,
  flagDir,
  flagDirOfId,
  flagDirOfPath,
  flagIdOfDir,
  flagFile,
  flagId,
  flagProjectName,
  parseFlagFile,
  parseFlagId,
  parseFlagPath,
  parseFlagProjectName,
} from './flag-names';

const payments = { customer: 'payments', environment: 'prod', region: 'us-east-1' };

describe('FLAG names', () => {
  it('builds the id from the triple', () => {
    expect(flagId(payments)).toBe('payments-prod-us-east-1');
  });

  it('builds the directory and the file under flags/', () => {
    expect(flagDir(payments)).toBe('flags/payments/prod/us-east-1');
    expect(flagFile(payments)).toBe('flags/payments/prod/us-east-1/flag.yaml');
  });

  it('names the Nx project flag-<flag-id>', () => {
    expect(flagProjectName(payments)).toBe('flag-payments-prod-us-east-1');
  });

  it('globs exactly the FLAG files', () => {
    expect(FLAG_FILE_GLOB).toBe('flags/*/*/*/flag.yaml');
  });
});

describe('parsing FLAG names', () => {
  it('parses an id back into its triple, keeping the hyphens of the region', () => {
    expect(parseFlagId('payments-prod-us-east-1')).toEqual(payments);
  });

  it('refuses an id with fewer than three parts', () => {
    expect(parseFlagId('payments-prod')).toBeUndefined();
  });

  it('parses a FLAG directory and any path below it', () => {
    expect(parseFlagPath('flags/payments/prod/us-east-1')).toEqual(payments);
    expect(parseFlagPath('flags/payments/prod/us-east-1/notes/a.md')).toEqual(payments);
  });

  it('finds the FLAG directory of a file below it, and none for a file outside a FLAG', () => {
    expect(flagDirOfPath('flags/payments/prod/us-east-1/flag.yaml')).toBe('flags/payments/prod/us-east-1');
    expect(flagDirOfPath('flags/org.yaml')).toBeUndefined();
    expect(flagDirOfPath('flags/payments/prod/us-east-1')).toBeUndefined();
    expect(flagDirOfPath('packages/flags/a/b/c/flag.yaml')).toBeUndefined();
  });

  it('parses exactly flags/<c>/<e>/<r>/flag.yaml, with either separator', () => {
    expect(parseFlagFile('flags/payments/prod/us-east-1/flag.yaml')).toEqual(payments);
    expect(parseFlagFile('flags\\payments\\prod\\us-east-1\\flag.yaml')).toEqual(payments);
    expect(parseFlagFile('flags/payments/prod/us-east-1/flag.yml')).toBeUndefined();
    expect(parseFlagFile('flags/payments/prod/flag.yaml')).toBeUndefined();
    expect(parseFlagFile('flags//prod/us-east-1/flag.yaml')).toBeUndefined();
  });

  it('parses a FLAG project name and refuses other projects', () => {
    expect(parseFlagProjectName('flag-payments-prod-us-east-1')).toEqual(payments);
    expect(parseFlagProjectName('@kitt/gitops')).toBeUndefined();
  });

  it('round-trips every name through its parser', () => {
    expect(parseFlagId(flagId(payments))).toEqual(payments);
    expect(parseFlagFile(flagFile(payments))).toEqual(payments);
    expect(parseFlagPath(flagDir(payments))).toEqual(payments);
    expect(parseFlagProjectName(flagProjectName(payments))).toEqual(payments);
  });

  it('converts between a FLAG directory and its id', () => {
    expect(flagIdOfDir('flags/payments/prod/us-east-1')).toBe('payments-prod-us-east-1');
    expect(flagDirOfId('payments-prod-us-east-1')).toBe('flags/payments/prod/us-east-1');
  });

  it('refuses to convert what is not a FLAG directory or id', () => {
    expect(() => flagIdOfDir('flags/payments/prod/us-east-1/flag.yaml')).toThrow(RangeError);
    expect(() => flagDirOfId('payments')).toThrow(RangeError);
  });
});
