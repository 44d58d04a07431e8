import {
  KITT_KMS_ALIAS_PATTERN,
  KITT_SSM_ROOT,
  bootstrapStackName,
  bootstrapStateKey,
  cellKmsAliasName,
  cellSsmParameters,
  cellSsmPrefix,
  etcdSnapshotObjectArnPatterns,
  githubOidcProviderArn,
} from '.';

const search = { id: 'search-prod-us-west-2', customer: 'search', environment: 'prod', region: 'us-west-2' };

/** IAM's `*` (any run of characters) as a regular expression. */
const iamPattern = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\/]/g, '\\$&').replaceAll('*', '.*')}$`);

describe('bootstrap names', () => {
  it('names the bootstrap stack and its state key after the account', () => {
    expect(bootstrapStackName('111111111111')).toBe('kitt-bootstrap-111111111111');
    expect(bootstrapStateKey('111111111111')).toBe('bootstrap/111111111111.tfstate');
  });

  it("names GitHub's OIDC provider after its issuer host", () => {
    expect(githubOidcProviderArn('aws', '111111111111')).toBe(
      'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
    );
  });

  it("covers every cell's key alias with the kitt alias pattern", () => {
    expect(cellKmsAliasName(search, 'm1')).toMatch(iamPattern(KITT_KMS_ALIAS_PATTERN));
  });

  it("puts every cell parameter under the kitt SSM root the plan role's deny covers", () => {
    for (const name of Object.values(cellSsmParameters(cellSsmPrefix(search, 'm1')))) {
      expect(name.startsWith(`${KITT_SSM_ROOT}/`)).toBe(true);
    }
  });

  it('covers snapshot objects of a full and of a hash-shortened snapshot bucket name', () => {
    const patterns = etcdSnapshotObjectArnPatterns('aws').map(iamPattern);
    const covered = (arn: string) => patterns.some((pattern) => pattern.test(arn));
    expect(covered('arn:aws:s3:::kitt-search-prod-us-west-2-etcd-333333333333/etcd/m1/2026-01-01T00:00:00Z.db')).toBe(
      true,
    );
    expect(covered('arn:aws:s3:::kitt-customer1234-environment1-ap-southeast-2-e-0a1b2c3d/etcd/m1/x.db')).toBe(true);
    expect(covered('arn:aws:s3:::kitt-tfstate-example/flags/search/prod/us-west-2/flag.tfstate')).toBe(false);
  });
});
