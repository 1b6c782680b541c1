import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { ConfigBucket } from '../../lib/host/config-bucket';
import type { TerraformStack } from '../../lib/framework';
import { describeRuleCases, type RuleCase } from './support';

const bareBucket = (stack: TerraformStack) => new S3Bucket(stack, 'traces', { bucketPrefix: 'anvila-traces-' });
/** The library's own bucket construct: versioned, encrypted, private, owner-enforced, TLS only. */
const configBucket = (stack: TerraformStack) => new ConfigBucket(stack, 'config', { namePrefix: 'anvila' });
const policy = (statement: object) => (stack: TerraformStack) =>
  new IamPolicy(stack, 'extra', { name: 'extra', policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) });

const CASES: RuleCase[] = [
  {
    rule: 'LGTM-S3-VERSIONING',
    what: 'a bucket without versioning',
    bad: bareBucket,
    lines: [
      '[LGTM-S3-VERSIONING] test/traces (aws_s3_bucket): found no aws_s3_bucket_versioning with status "Enabled" for this bucket; fix: add S3BucketVersioningA { versioningConfiguration: { status: "Enabled" } } (ConfigBucket does)',
    ],
    good: configBucket,
  },
  {
    rule: 'LGTM-S3-ENCRYPTION',
    what: 'a bucket without default encryption',
    bad: bareBucket,
    lines: [
      '[LGTM-S3-ENCRYPTION] test/traces (aws_s3_bucket): found no default server-side encryption configuration for this bucket; fix: add S3BucketServerSideEncryptionConfigurationA with sseAlgorithm "AES256" or "aws:kms" (ConfigBucket does)',
    ],
    good: configBucket,
  },
  {
    rule: 'LGTM-S3-PUBLIC-ACCESS-BLOCK',
    what: 'a public access block that leaves public policies possible',
    bad: (stack) => {
      const bucket = bareBucket(stack);
      new S3BucketPublicAccessBlock(stack, 'traces-block', { bucket: bucket.id, blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false });
    },
    lines: [
      '[LGTM-S3-PUBLIC-ACCESS-BLOCK] test/traces (aws_s3_bucket): found public access block with block_public_policy, restrict_public_buckets not true; fix: add S3BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true (ConfigBucket does)',
    ],
    good: configBucket,
  },
  {
    rule: 'LGTM-S3-OWNER-ENFORCED',
    what: 'a bucket with ACLs enabled',
    bad: bareBucket,
    lines: [
      '[LGTM-S3-OWNER-ENFORCED] test/traces (aws_s3_bucket): found no aws_s3_bucket_ownership_controls with object_ownership "BucketOwnerEnforced"; fix: add S3BucketOwnershipControls { rule: { objectOwnership: "BucketOwnerEnforced" } } (ConfigBucket does)',
    ],
    good: configBucket,
  },
  {
    rule: 'LGTM-S3-TLS-ONLY',
    what: 'a bucket policy that does not deny plain HTTP',
    bad: (stack) => {
      const bucket = bareBucket(stack);
      new S3BucketPolicy(stack, 'traces-policy', {
        bucket: bucket.id,
        policy: JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::x' }] }),
      });
    },
    lines: [
      "[LGTM-S3-TLS-ONLY] test/traces (aws_s3_bucket): found no bucket policy denying s3:* on this bucket and its objects to * when aws:SecureTransport is false; fix: attach a bucket policy with that Deny statement (ConfigBucket's tls-only policy)",
    ],
    good: configBucket,
  },
  {
    rule: 'LGTM-IAM-NO-WILDCARD-ACTIONS',
    what: 'Allow s3:* in a policy document and * in policy JSON',
    bad: (stack) => {
      new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ sid: 'Everything', actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'] }] });
      policy({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' })(stack);
    },
    // Resources are reported before data sources.
    lines: [
      '[LGTM-IAM-NO-WILDCARD-ACTIONS] test/extra (aws_iam_policy): found policy.Statement[0] allows action "*"; fix: list the actions needed, e.g. "s3:GetObject"',
      '[LGTM-IAM-NO-WILDCARD-ACTIONS] test/doc (aws_iam_policy_document): found statement[0] (Everything) allows action "s3:*"; fix: list the actions needed, e.g. "s3:GetObject"',
    ],
    good: (stack) => {
      // A Deny of s3:* (the TLS-only bucket policy) is a restriction, not a grant.
      new DataAwsIamPolicyDocument(stack, 'doc', {
        statement: [{ effect: 'Deny', actions: ['s3:*'], resources: ['arn:aws:s3:::b'], principals: [{ type: '*', identifiers: ['*'] }] }],
      });
    },
  },
  {
    rule: 'LGTM-IAM-NO-WILDCARD-RESOURCES',
    what: 'kms:Decrypt and ssm:GetParameter on every resource',
    bad: (stack) => {
      new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ sid: 'Decrypt', actions: ['kms:Decrypt', 'ec2:DescribeInstances'], resources: ['*'] }] });
    },
    lines: [
      '[LGTM-IAM-NO-WILDCARD-RESOURCES] test/doc (aws_iam_policy_document): found statement[0] (Decrypt) allows "kms:Decrypt" on resource "*"; fix: name the resources (ARNs of this platform\'s bucket, parameters, keys); only actions without resource-level permissions may use "*"',
    ],
    good: (stack) => {
      // Actions without resource-level permissions (the documented allowlist) must use "*".
      new DataAwsIamPolicyDocument(stack, 'doc', {
        statement: [{ sid: 'DiscoverAppServers', actions: ['ec2:DescribeInstances', 'ec2:DescribeTags'], resources: ['*'] }],
      });
    },
  },
  {
    rule: 'LGTM-IAM-SSM-PARAMETERS-SCOPED',
    what: 'a parameter path and a wildcard parameter',
    bad: (stack) => {
      new IamRolePolicy(stack, 'secrets', {
        role: 'r',
        policy: JSON.stringify({
          Statement: [
            { Effect: 'Allow', Action: ['ssm:GetParametersByPath', 'ssm:GetParameter'], Resource: 'arn:aws:ssm:us-east-1:111122223333:parameter/anvila/*' },
          ],
        }),
      });
    },
    lines: [
      '[LGTM-IAM-SSM-PARAMETERS-SCOPED] test/secrets (aws_iam_role_policy): found policy.Statement[0] allows "ssm:GetParametersByPath"; fix: grant ssm:GetParameter(s) on arn:...:parameter/<name> for each named parameter (HostRole does, from hostSecretParameters)',
      '[LGTM-IAM-SSM-PARAMETERS-SCOPED] test/secrets (aws_iam_role_policy): found policy.Statement[0] reads parameters on "arn:aws:ssm:us-east-1:111122223333:parameter/anvila/*"; fix: grant ssm:GetParameter(s) on arn:...:parameter/<name> for each named parameter (HostRole does, from hostSecretParameters)',
    ],
    good: (stack) => {
      new DataAwsIamPolicyDocument(stack, 'doc', {
        statement: [{ actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:us-east-1:111122223333:parameter/anvila/slack-webhook'] }],
      });
    },
  },
];

describeRuleCases(CASES);
