import { stringsWithin } from '../elements';
import { findSecrets } from '../secret-patterns';
import type { PolicyRule } from '../types';

/** No secret value anywhere in the synthesized JSON: attributes, user-data, host files in the bucket, outputs. */
export const secretsNoLiterals: PolicyRule = {
  id: 'LGTM-SECRETS-NO-LITERALS',
  rationale: 'Secrets live in SSM Parameter Store; a value in Terraform JSON ends up in state, plan output, user-data and S3.',
  checkov: ['CKV_AWS_46'],
  tfsec: ['aws-ec2-no-secrets-in-user-data'],
  check: (element) =>
    stringsWithin(element.attributes).flatMap(({ at, text }) =>
      findSecrets(text).map((hit) => ({
        found: `${hit.kind} (${hit.masked}) in ${at || element.kind}`,
        fix: 'store the value as an SSM SecureString and name the parameter in config (e.g. alerting.slack.webhookUrlParameter); rotate the exposed secret',
      })),
    ),
};
