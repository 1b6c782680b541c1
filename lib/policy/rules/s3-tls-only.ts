import { isReference } from '../elements';
import { iamStatements, referencedDocument, type IamStatement } from '../iam-statements';
import { companionsOf, isBucket } from '../s3-companions';
import type { PolicyRule, StackDocument, TerraformElement } from '../types';

/** The statements of a bucket policy: its own text, or the policy document data source it references. */
function bucketPolicyStatements(policy: TerraformElement, stack: StackDocument): IamStatement[] {
  const document = referencedDocument(policy.attributes.policy, stack);
  return document ? iamStatements(document, stack) : iamStatements(policy, stack);
}

/** Whether a statement's resources cover the bucket itself and its objects. */
function coversBucket(s: IamStatement, bucket: TerraformElement): boolean {
  const name = typeof bucket.attributes.bucket === 'string' && !isReference(bucket.attributes.bucket) ? bucket.attributes.bucket : undefined;
  const arns = [`\${${bucket.type}.${bucket.name}.arn}`, ...(name ? [`arn:aws:s3:::${name}`] : [])];
  const covers = (target: string) => s.resources.some((r) => r === '*' || r.replace(/^arn:\$\{[^}]+\}:/, 'arn:aws:') === target);
  return arns.some((arn) => covers(arn)) && arns.some((arn) => covers(`${arn}/*`));
}

function deniesInsecureTransport(s: IamStatement, bucket: TerraformElement): boolean {
  return (
    s.effect === 'Deny' &&
    coversBucket(s, bucket) &&
    s.principals.includes('*') &&
    s.actions.some((a) => a === 's3:*' || a === '*') &&
    s.conditions.some((c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && c.values.includes('false'))
  );
}

/** Buckets refuse every request that does not use TLS: a Deny aimed at this bucket (and its objects), not at another. */
export const s3TlsOnly: PolicyRule = {
  id: 'LGTM-S3-TLS-ONLY',
  rationale: 'A bucket policy that denies requests without TLS (aws:SecureTransport false) keeps objects off plain HTTP.',
  checkov: [],
  tfsec: [],
  check: (element, stack) => {
    if (!isBucket(element)) return [];
    const ok = companionsOf(element, stack, 'aws_s3_bucket_policy').some((p) =>
      bucketPolicyStatements(p, stack).some((s) => deniesInsecureTransport(s, element)),
    );
    return ok
      ? []
      : [
          {
            found: 'no bucket policy denying s3:* on this bucket and its objects to * when aws:SecureTransport is false',
            fix: "attach a bucket policy with that Deny statement (ConfigBucket's tls-only policy)",
          },
        ];
  },
};
