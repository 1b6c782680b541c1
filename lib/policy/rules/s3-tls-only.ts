import { iamStatements, type IamStatement } from '../iam-statements';
import { companionsOf, isBucket } from '../s3-companions';
import type { PolicyRule, StackDocument, TerraformElement } from '../types';

/** The statements of a bucket policy: its literal JSON, or the policy document data source it references. */
function bucketPolicyStatements(policy: TerraformElement, stack: StackDocument): IamStatement[] {
  const text = policy.attributes.policy;
  const reference = typeof text === 'string' ? /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}$/.exec(text) : null;
  if (reference) {
    const document = stack.elements.find((e) => e.kind === 'data' && e.type === 'aws_iam_policy_document' && e.name === reference[1]);
    return document ? iamStatements(document) : [];
  }
  return iamStatements(policy);
}

function deniesInsecureTransport(s: IamStatement): boolean {
  return (
    s.effect === 'Deny' &&
    s.principals.includes('*') &&
    s.actions.some((a) => a === 's3:*' || a === '*') &&
    s.conditions.some((c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && c.values.includes('false'))
  );
}

/** Buckets refuse every request that does not use TLS. */
export const s3TlsOnly: PolicyRule = {
  id: 'LGTM-S3-TLS-ONLY',
  rationale: 'A bucket policy that denies requests without TLS (aws:SecureTransport false) keeps objects off plain HTTP.',
  checkov: [],
  tfsec: [],
  check: (element, stack) => {
    if (!isBucket(element)) return [];
    const ok = companionsOf(element, stack, 'aws_s3_bucket_policy').some((p) => bucketPolicyStatements(p, stack).some(deniesInsecureTransport));
    return ok
      ? []
      : [{ found: 'no bucket policy denying s3:* to * when aws:SecureTransport is false', fix: 'attach a bucket policy with that Deny statement (ConfigBucket\'s tls-only policy)' }];
  },
};
