import type { Construct } from 'constructs';
import type { Flag } from '@kitt/flag-config';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import {
  ETCD_SNAPSHOT_KEY_ROOT,
  awsPartition,
  etcdSnapshotBucketName,
  etcdSnapshotKeyAliasName,
  resourceName,
} from '@kitt/flag-config';

/** Days a snapshot stays the current version of its key before S3 expires it. */
export const ETCD_SNAPSHOT_RETENTION_DAYS = 30;
/** Days an overwritten or expired snapshot version is kept before it is deleted for good. */
export const ETCD_SNAPSHOT_NONCURRENT_DAYS = 7;

/**
 * The snapshot key's policy: the account's IAM policies decide who uses it
 * (each cell's etcd roles, for their own prefix, through S3), so that the
 * key never names roles of cells that come and go.
 */
export function etcdSnapshotKeyPolicy(flag: Pick<Flag, 'region' | 'aws'>): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountIamPolicies',
        Effect: 'Allow',
        Principal: { AWS: `arn:${awsPartition(flag.region)}:iam::${flag.aws.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

export interface EtcdSnapshotStore {
  readonly bucket: S3Bucket;
  readonly key: KmsKey;
}

/**
 * The FLAG's etcd snapshot bucket: every cell's leader writes below
 * `etcd/<cell>/`. It lives in the flag stack so that removing or replacing
 * a cell never takes its snapshots with it (and Terraform cannot delete it
 * while it holds any: no `force_destroy`). Versioned, public access
 * blocked, TLS only, and encrypted with a key of its own: read-only roles
 * (`ReadOnlyAccess` has no `kms:Decrypt`) cannot read a snapshot, which
 * holds every Kubernetes Secret of its cell.
 */
export function addEtcdSnapshotStore(scope: Construct, flag: Flag): EtcdSnapshotStore {
  const partition = awsPartition(flag.region);
  const key = new KmsKey(scope, 'etcd-snapshot-key', {
    description: `etcd snapshots of the cells of ${flag.id}`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: JSON.stringify(etcdSnapshotKeyPolicy(flag)),
    tags: { Name: resourceName(flag, 'etcd-snapshots') },
  });
  new KmsAlias(scope, 'etcd-snapshot-key-alias', { name: etcdSnapshotKeyAliasName(flag), targetKeyId: key.keyId });

  const bucket = new S3Bucket(scope, 'etcd-snapshot-bucket', {
    bucket: etcdSnapshotBucketName(flag),
    tags: { Name: etcdSnapshotBucketName(flag) },
  });
  new S3BucketOwnershipControls(scope, 'etcd-snapshot-bucket-ownership', {
    bucket: bucket.id,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  new S3BucketPublicAccessBlock(scope, 'etcd-snapshot-bucket-public-access', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketVersioningA(scope, 'etcd-snapshot-bucket-versioning', {
    bucket: bucket.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  new S3BucketServerSideEncryptionConfigurationA(scope, 'etcd-snapshot-bucket-encryption', {
    bucket: bucket.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn },
        bucketKeyEnabled: true,
      },
    ],
  });
  new S3BucketLifecycleConfiguration(scope, 'etcd-snapshot-bucket-lifecycle', {
    bucket: bucket.id,
    rule: [
      {
        id: 'expire-old-snapshots',
        status: 'Enabled',
        filter: [{ prefix: `${ETCD_SNAPSHOT_KEY_ROOT}/` }],
        expiration: [{ days: ETCD_SNAPSHOT_RETENTION_DAYS }],
        noncurrentVersionExpiration: [{ noncurrentDays: ETCD_SNAPSHOT_NONCURRENT_DAYS }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
      },
    ],
  });
  const bucketArn = `arn:${partition}:s3:::${etcdSnapshotBucketName(flag)}`;
  new S3BucketPolicy(scope, 'etcd-snapshot-bucket-policy', {
    bucket: bucket.id,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TlsOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    }),
  });
  return { bucket, key };
}
