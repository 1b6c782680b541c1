import { blocks } from '../elements';
import { companionsOf, isBucket } from '../s3-companions';
import type { PolicyRule } from '../types';

/** Buckets disable ACLs: the bucket owner owns every object (BucketOwnerEnforced). */
export const s3OwnerEnforced: PolicyRule = {
  id: 'LGTM-S3-OWNER-ENFORCED',
  rationale: 'With ACLs disabled (BucketOwnerEnforced) access is decided by policies alone and no object can carry its own grant.',
  checkov: [],
  tfsec: [],
  check: (element, stack) => {
    if (!isBucket(element)) return [];
    const enforced = companionsOf(element, stack, 'aws_s3_bucket_ownership_controls').some((c) =>
      blocks(c.attributes.rule).some((r) => r.object_ownership === 'BucketOwnerEnforced'),
    );
    return enforced
      ? []
      : [
          {
            found: 'no aws_s3_bucket_ownership_controls with object_ownership "BucketOwnerEnforced"',
            fix: 'add S3BucketOwnershipControls { rule: { objectOwnership: "BucketOwnerEnforced" } } (ConfigBucket does)',
          },
        ];
  },
};
