import { quote } from '../elements';
import { readableStatements, statementName, trustStatements } from '../iam-statements';
import type { Finding, PolicyRule } from '../types';

const FIX_TRUST = 'trust exactly the principals that assume the role, e.g. { Service: "ec2.amazonaws.com" } (HostRole does)';
const FIX_NOT_PRINCIPAL = 'name the principals with Principal instead; NotPrincipal with Allow grants everyone else, anonymous users included';

/**
 * A role is assumable only by the principals its trust policy names: no `"*"` (anyone, in any account) and no
 * Allow with NotPrincipal, in a trust policy or in any other resource policy.
 */
export const iamTrustNoWildcardPrincipal: PolicyRule = {
  id: 'LGTM-IAM-TRUST-NO-WILDCARD-PRINCIPAL',
  rationale: 'A trust policy with Principal "*" or an Allow with NotPrincipal lets any AWS account (or anyone) assume the role or use the resource.',
  checkov: ['CKV_AWS_60', 'CKV_AWS_61'],
  tfsec: [],
  check: (element, stack) => {
    const findings: Finding[] = [];
    for (const s of trustStatements(element, stack)) {
      if (s.effect !== 'Allow') continue;
      for (const principal of s.principals.filter((p) => /[*?]/.test(p.replace(/\$\{[^}]*\}/g, ''))))
        findings.push({ found: `${statementName(s)} lets principal ${quote(principal)} assume the role`, fix: FIX_TRUST });
      // A referenced document's NotPrincipal is reported on the document itself, below.
      if (s.notPrincipals.length > 0 && s.at.startsWith('assume_role_policy.'))
        findings.push({
          found: `${statementName(s)} lets everyone but ${quote(s.notPrincipals.join(', '))} assume the role (NotPrincipal)`,
          fix: FIX_NOT_PRINCIPAL,
        });
    }
    for (const s of readableStatements(element, stack))
      if (s.effect === 'Allow' && s.notPrincipals.length > 0)
        findings.push({ found: `${statementName(s)} allows everyone but ${quote(s.notPrincipals.join(', '))} (NotPrincipal)`, fix: FIX_NOT_PRINCIPAL });
    return findings;
  },
};
