import { blocks } from '../elements';
import { companionsOf, inlineBlock, isBucket } from '../s3-companions';
import type { PolicyRule } from '../types';

/** Buckets encrypt every object by default (SSE-S3 or SSE-KMS). */
export const s3Encryption: PolicyRule = {
  id: 'LGTM-S3-ENCRYPTION',
  rationale: 'Host files, logs and traces at rest are encrypted by default, whoever uploads them.',
  checkov: ['CKV_AWS_19'],
  tfsec: ['aws-s3-enable-bucket-encryption'],
  check: (element, stack) => {
    if (!isBucket(element)) return [];
    const algorithms = [
      ...companionsOf(element, stack, 'aws_s3_bucket_server_side_encryption_configuration').flatMap((c) => blocks(c.attributes.rule)),
      ...blocks(inlineBlock(element, 'server_side_encryption_configuration')?.rule),
    ].flatMap((rule) => blocks(rule.apply_server_side_encryption_by_default).map((d) => d.sse_algorithm));
    const ok = algorithms.some((a) => a === 'AES256' || a === 'aws:kms' || a === 'aws:kms:dsse');
    return ok
      ? []
      : [
          {
            found: 'no default server-side encryption configuration for this bucket',
            fix: 'add S3BucketServerSideEncryptionConfigurationA with sseAlgorithm "AES256" or "aws:kms" (ConfigBucket does)',
          },
        ];
  },
};
