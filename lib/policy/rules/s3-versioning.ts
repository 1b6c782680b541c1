import { blocks } from '../elements';
import { companionsOf, inlineBlock, isBucket } from '../s3-companions';
import type { PolicyRule } from '../types';

/** Buckets keep every version, so an overwritten or deleted object can be restored. */
export const s3Versioning: PolicyRule = {
  id: 'LGTM-S3-VERSIONING',
  rationale: 'Versioning keeps every earlier copy: a bad config upload or a deleted object can be restored.',
  checkov: ['CKV_AWS_21'],
  tfsec: ['aws-s3-enable-versioning'],
  check: (element, stack) => {
    if (!isBucket(element)) return [];
    if (inlineBlock(element, 'versioning')?.enabled === true) return [];
    const enabled = companionsOf(element, stack, 'aws_s3_bucket_versioning').some((v) =>
      blocks(v.attributes.versioning_configuration).some((c) => c.status === 'Enabled'),
    );
    return enabled
      ? []
      : [
          {
            found: 'no aws_s3_bucket_versioning with status "Enabled" for this bucket',
            fix: 'add S3BucketVersioningA { versioningConfiguration: { status: "Enabled" } } (ConfigBucket does)',
          },
        ];
  },
};
