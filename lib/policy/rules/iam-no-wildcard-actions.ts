import { quote } from '../elements';
import { iamStatements, isWildcardAction, statementName } from '../iam-statements';
import type { Finding, PolicyRule } from '../types';

/** Our policies name every action they allow; `*`, `service:*` and NotAction never appear in an Allow. */
export const iamNoWildcardActions: PolicyRule = {
  id: 'LGTM-IAM-NO-WILDCARD-ACTIONS',
  rationale: 'An Allow of "*" or "service:*" grants every present and future action; name the actions the host needs.',
  checkov: ['CKV_AWS_1', 'CKV_AWS_49'],
  tfsec: ['aws-iam-no-policy-wildcards'],
  check: (element) => {
    const findings: Finding[] = [];
    for (const s of iamStatements(element)) {
      if (s.effect !== 'Allow') continue;
      for (const action of s.actions.filter(isWildcardAction))
        findings.push({ found: `${statementName(s)} allows action ${quote(action)}`, fix: 'list the actions needed, e.g. "s3:GetObject"' });
      if (s.notActions.length > 0)
        findings.push({ found: `${statementName(s)} allows everything but ${quote(s.notActions.join(', '))} (NotAction)`, fix: 'list the allowed actions with Action instead' });
    }
    return findings;
  },
};
