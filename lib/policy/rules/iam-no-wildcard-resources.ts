import { quote } from '../elements';
import { isArnPattern, needsResourceWildcard, readableStatements, RESOURCE_WILDCARD_ACTIONS, statementName } from '../iam-statements';
import type { Finding, PolicyRule } from '../types';

/**
 * Our identity policies name the resources they grant; `Resource: "*"` only for actions that support no
 * resource-level permissions (RESOURCE_WILDCARD_ACTIONS), and no ARN pattern over other accounts, regions or
 * every resource of a kind (`arn:aws:s3:::*`). Resource policies (with a Principal) are attached to
 * their one resource and are not judged here.
 */
export const iamNoWildcardResources: PolicyRule = {
  id: 'LGTM-IAM-NO-WILDCARD-RESOURCES',
  rationale: `Grants name their resources; "*" only for actions without resource-level permissions (${RESOURCE_WILDCARD_ACTIONS.join(', ')}).`,
  checkov: ['CKV_AWS_356'],
  tfsec: ['aws-iam-no-policy-wildcards'],
  check: (element, stack) => {
    const findings: Finding[] = [];
    for (const s of readableStatements(element, stack)) {
      if (s.effect !== 'Allow' || s.principals.length > 0) continue;
      if (s.resources.includes('*')) {
        const restrictable = s.actions.filter((a) => !needsResourceWildcard(a));
        if (restrictable.length > 0 || s.actions.length === 0)
          findings.push({
            found: `${statementName(s)} allows ${quote(restrictable.join(', ') || '(no actions)')} on resource "*"`,
            fix: 'name the resources (ARNs of this platform\'s bucket, parameters, keys); only actions without resource-level permissions may use "*"',
          });
      }
      for (const resource of s.resources.filter(isArnPattern))
        findings.push({
          found: `${statementName(s)} allows ${quote(s.actions.join(', ') || '(no actions)')} on the ARN pattern ${quote(resource)}`,
          fix: "name the resources: this account, this region, this platform's bucket, parameters and keys (a pattern under one named resource, such as <bucket ARN>/*, is fine)",
        });
      if (s.notResources.length > 0)
        findings.push({
          found: `${statementName(s)} allows every resource but ${quote(s.notResources.join(', '))} (NotResource)`,
          fix: 'list the resources with Resource instead',
        });
    }
    return findings;
  },
};
