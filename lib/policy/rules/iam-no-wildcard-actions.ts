import { quote } from '../elements';
import { iamStatements, isActionPattern, isWildcardAction, statementName } from '../iam-statements';
import type { Finding, PolicyRule } from '../types';

/**
 * Our policies name every action they allow: `*`, `service:*`, patterns such as `s3:Put*` and NotAction never
 * appear in an Allow, whether written inline, as JSON, through `jsonencode`, merged from another document or
 * brought by an attached AWS managed policy. A policy that cannot be read is reported as such.
 */
export const iamNoWildcardActions: PolicyRule = {
  id: 'LGTM-IAM-NO-WILDCARD-ACTIONS',
  rationale: 'An Allow of "*", "service:*" or a pattern like "s3:Put*" grants every present and future action it matches; name the actions the host needs.',
  checkov: ['CKV_AWS_1', 'CKV_AWS_49', 'CKV_AWS_274'],
  tfsec: ['aws-iam-no-policy-wildcards'],
  check: (element, stack) => {
    const findings: Finding[] = [];
    for (const s of iamStatements(element, stack)) {
      if (s.unknown) {
        findings.push({
          found: `${s.at} is ${s.unknown}, so what it allows cannot be checked (treated as allowing everything)`,
          fix: 'write the policy as JSON or an aws_iam_policy_document in this stack, or attach only AWS managed policies listed in lib/policy/aws-managed-policies.ts',
        });
        continue;
      }
      if (s.effect !== 'Allow') continue;
      for (const action of s.actions.filter(isWildcardAction))
        findings.push({ found: `${statementName(s)} allows action ${quote(action)}`, fix: 'list the actions needed, e.g. "s3:GetObject"' });
      for (const action of s.actions.filter(isActionPattern))
        findings.push({ found: `${statementName(s)} allows the action pattern ${quote(action)}`, fix: 'list the actions needed, e.g. "s3:PutObject"' });
      if (s.notActions.length > 0)
        findings.push({
          found: `${statementName(s)} allows everything but ${quote(s.notActions.join(', '))} (NotAction)`,
          fix: 'list the allowed actions with Action instead',
        });
    }
    return findings;
  },
};
