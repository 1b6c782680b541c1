import { quote } from '../elements';
import type { PolicyRule } from '../types';

/** A single instance holding the platform's state cannot be terminated by a stray API call or console click. */
export const ec2TerminationProtection: PolicyRule = {
  id: 'LGTM-EC2-TERMINATION-PROTECTION',
  rationale: 'The monitoring host is a single instance: a stray terminate call or click must not take monitoring down.',
  checkov: [],
  tfsec: [],
  check: (element) => {
    if (element.kind !== 'resource' || element.type !== 'aws_instance') return [];
    const value = element.attributes.disable_api_termination;
    if (value === true) return [];
    return [
      { found: `disable_api_termination ${quote(value)}`, fix: 'set host.disableApiTermination: true (the default), or suppress this rule with a reason' },
    ];
  },
};
