import { securityGroupPermissions } from '../security-group-rules';
import type { Finding, PolicyRule } from '../types';

/** Every security group and every rule says why it exists. */
export const sgRuleDescription: PolicyRule = {
  id: 'LGTM-SG-RULE-DESCRIPTION',
  rationale: 'A rule that says whom it admits and why can be reviewed and removed safely; an unnamed one stays forever.',
  checkov: ['CKV_AWS_23'],
  tfsec: ['aws-ec2-add-description-to-security-group-rule'],
  check: (element) => {
    const findings: Finding[] = [];
    const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';
    if (element.kind === 'resource' && element.type === 'aws_security_group' && blank(element.attributes.description))
      findings.push({ found: 'a security group without description', fix: 'set description to what the group admits' });
    for (const p of securityGroupPermissions(element))
      if (p.via === 'security-group' && blank(p.description))
        findings.push({
          found: `${p.at ? `${p.at} ` : ''}${p.direction} rule without description`,
          fix: 'set description to who is admitted and why, e.g. "grafana from 203.0.113.0/24"',
        });
    return findings;
  },
};
