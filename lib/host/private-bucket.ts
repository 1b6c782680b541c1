import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { Construct, ITerraformDependable } from '../framework';

/**
 * What every bucket of the platform carries, created in `scope` next to `bucket`: versioning, default
 * encryption (SSE-S3 with a bucket key), the full public access block, BucketOwnerEnforced ownership (no ACLs)
 * and a policy that refuses any request not made over TLS (plus `extraStatements`). Returns the resources objects
 * must wait for.
 */
export function hardenBucket(scope: Construct, bucket: S3Bucket, extraStatements: DataAwsIamPolicyDocumentStatement[] = []): ITerraformDependable[] {
  const versioning = new S3BucketVersioningA(scope, 'versioning', {
    bucket: bucket.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  const encryption = new S3BucketServerSideEncryptionConfigurationA(scope, 'encryption', {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
  });
  const publicAccess = new S3BucketPublicAccessBlock(scope, 'public-access', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const ownership = new S3BucketOwnershipControls(scope, 'ownership', {
    bucket: bucket.id,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  const tlsOnly = new DataAwsIamPolicyDocument(scope, 'tls-only', {
    statement: [
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        actions: ['s3:*'],
        resources: [bucket.arn, `${bucket.arn}/*`],
        principals: [{ type: '*', identifiers: ['*'] }],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
      ...extraStatements,
    ],
  });
  const policy = new S3BucketPolicy(scope, 'policy', {
    bucket: bucket.id,
    policy: tlsOnly.json,
    dependsOn: [publicAccess],
  });
  return [versioning, encryption, publicAccess, ownership, policy];
}
