import { etcdSnapshotBucketName, etcdSnapshotKeyAliasName, etcdSnapshotPrefix } from '.';

const flag = {
  id: 'payments-prod-us-east-1',
  customer: 'payments',
  environment: 'prod',
  region: 'us-east-1',
  aws: { accountId: '111122223333' },
};

describe('etcd snapshot names', () => {
  it('names the bucket after the FLAG and its account, as buckets are global', () => {
    expect(etcdSnapshotBucketName(flag)).toBe('kitt-payments-prod-us-east-1-etcd-111122223333');
  });

  it('shortens a bucket name past 63 characters with a stable hash, still a valid bucket name', () => {
    const long = { ...flag, id: 'customer1234-environment1-ap-southeast-2', region: 'ap-southeast-2' };
    const name = etcdSnapshotBucketName(long);
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^[a-z0-9][a-z0-9-]{61}[a-z0-9]$/);
    expect(etcdSnapshotBucketName(long)).toBe(name);
    expect(etcdSnapshotBucketName({ ...long, aws: { accountId: '444455556666' } })).not.toBe(name);
  });

  it('gives each cell its own prefix', () => {
    expect(etcdSnapshotPrefix('a1')).toBe('etcd/a1/');
  });

  it('names the snapshot key alias after the FLAG', () => {
    expect(etcdSnapshotKeyAliasName(flag)).toBe('alias/kitt-payments-prod-us-east-1-etcd-snapshots');
  });
});
