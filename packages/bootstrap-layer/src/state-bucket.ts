import type { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { StateBucketGrants } from './config';
import { stateBucketPolicy } from './policies';

/**
 * The Terraform state bucket of every stack: versioned (a bad write is undone from an older version),
 * encrypted with S3-managed keys (roles of other accounts read it without a key grant), no ACLs, no public
 * access, TLS only, and never destroyed by Terraform.
 */
export function addStateBucket(scope: Construct, partition: string, grants: StateBucketGrants): S3Bucket {
  const bucket = new S3Bucket(scope, 'state-bucket', { bucket: grants.bucket, forceDestroy: false });
  bucket.addOverride('lifecycle.prevent_destroy', true);
  new S3BucketVersioningA(scope, 'state-bucket-versioning', {
    bucket: bucket.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  new S3BucketServerSideEncryptionConfigurationA(scope, 'state-bucket-encryption', {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
  });
  new S3BucketOwnershipControls(scope, 'state-bucket-ownership', {
    bucket: bucket.id,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  const publicAccess = new S3BucketPublicAccessBlock(scope, 'state-bucket-public-access', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketPolicy(scope, 'state-bucket-policy', {
    bucket: bucket.id,
    policy: JSON.stringify(stateBucketPolicy(partition, grants.bucket, grants)),
    // With public access blocked first, S3 judges the policy against the block, not an open bucket.
    dependsOn: [publicAccess],
  });
  return bucket;
}
