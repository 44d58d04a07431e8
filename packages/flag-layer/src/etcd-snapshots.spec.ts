import { paymentsProd, searchProd } from './__fixtures__/examples';
import { flagConfig, resourcesOf, synthFlag } from './__fixtures__/synth';
import { FLAG_OUTPUT_NAMES } from './outputs';

const prod = synthFlag(flagConfig(paymentsProd));
const only = (type: string) => {
  const resources = Object.values(resourcesOf(prod.tf, type));
  expect(resources).toHaveLength(1);
  return resources[0] as Record<string, unknown>;
};
const BUCKET = '${aws_s3_bucket.etcd-snapshot-bucket.id}';

describe('etcd snapshot bucket of the flag stack', () => {
  it('is named by the naming module after the FLAG and its account, and may not be force-destroyed', () => {
    const bucket = only('aws_s3_bucket');
    expect(bucket['bucket']).toBe('kitt-payments-prod-us-east-1-etcd-111111111111');
    expect(bucket['force_destroy']).toBeUndefined();
  });

  it('is versioned', () => {
    expect(only('aws_s3_bucket_versioning')).toMatchObject({
      bucket: BUCKET,
      versioning_configuration: { status: 'Enabled' },
    });
  });

  it('encrypts every object with its own rotating KMS key', () => {
    expect(only('aws_s3_bucket_server_side_encryption_configuration')).toMatchObject({
      bucket: BUCKET,
      rule: [
        {
          apply_server_side_encryption_by_default: {
            sse_algorithm: 'aws:kms',
            kms_master_key_id: '${aws_kms_key.etcd-snapshot-key.arn}',
          },
          bucket_key_enabled: true,
        },
      ],
    });
    expect(only('aws_kms_key')).toMatchObject({ enable_key_rotation: true });
    expect(only('aws_kms_alias')).toMatchObject({ name: 'alias/kitt-payments-prod-us-east-1-etcd-snapshots' });
  });

  it('blocks every kind of public access and disables ACLs', () => {
    expect(only('aws_s3_bucket_public_access_block')).toMatchObject({
      bucket: BUCKET,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only('aws_s3_bucket_ownership_controls')).toMatchObject({
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
  });

  it('expires snapshots under etcd/ after 30 days and their old versions 7 days later', () => {
    expect(only('aws_s3_bucket_lifecycle_configuration')).toMatchObject({
      bucket: BUCKET,
      rule: [
        {
          id: 'expire-old-snapshots',
          status: 'Enabled',
          filter: [{ prefix: 'etcd/' }],
          expiration: [{ days: 30 }],
          noncurrent_version_expiration: [{ noncurrent_days: 7 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
        },
      ],
    });
  });

  it('refuses requests without TLS', () => {
    const arn = 'arn:aws:s3:::kitt-payments-prod-us-east-1-etcd-111111111111';
    expect(JSON.parse(String(only('aws_s3_bucket_policy')['policy']))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TlsOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });

  it('gives the cell layer the bucket and key as outputs', () => {
    expect(prod.tf.output[FLAG_OUTPUT_NAMES.etcdSnapshotBucket]?.value).toBe(
      '${aws_s3_bucket.etcd-snapshot-bucket.bucket}',
    );
    expect(prod.tf.output[FLAG_OUTPUT_NAMES.etcdSnapshotKeyArn]?.value).toBe('${aws_kms_key.etcd-snapshot-key.arn}');
  });

  it('gives each FLAG its own bucket', () => {
    const search = synthFlag(flagConfig(searchProd));
    expect(Object.values(resourcesOf(search.tf, 'aws_s3_bucket'))[0]?.['bucket']).toBe(
      'kitt-search-prod-us-west-2-etcd-333333333333',
    );
  });
});
