import { companionsOf, isBucket } from '../s3-companions';
import type { PolicyRule } from '../types';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

/** Buckets have a public access block with all four settings on. */
export const s3PublicAccessBlock: PolicyRule = {
  id: 'LGTM-S3-PUBLIC-ACCESS-BLOCK',
  rationale: 'A full public access block makes a public ACL or policy impossible, whatever is attached later.',
  checkov: ['CKV2_AWS_6', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_56'],
  tfsec: [
    'aws-s3-specify-public-access-block',
    'aws-s3-block-public-acls',
    'aws-s3-block-public-policy',
    'aws-s3-ignore-public-acls',
    'aws-s3-no-public-buckets',
  ],
  check: (element, stack) => {
    if (!isBucket(element)) return [];
    const fix =
      'add S3BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true (ConfigBucket does)';
    const blocks = companionsOf(element, stack, 'aws_s3_bucket_public_access_block');
    if (blocks.length === 0) return [{ found: 'no aws_s3_bucket_public_access_block for this bucket', fix }];
    const off = SETTINGS.filter((s) => !blocks.some((b) => b.attributes[s] === true));
    return off.length === 0 ? [] : [{ found: `public access block with ${off.join(', ')} not true`, fix }];
  },
};
