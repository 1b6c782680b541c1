import { quote } from '../elements';
import type { PolicyRule } from '../types';

/**
 * The load balancers the platform creates (Grafana's front door, the ingest fleet's) carry every user's sign-in or
 * every sender's telemetry; deleting one by a stray API call or a destroy breaks that path for all of them at once.
 */
export const lbDeletionProtection: PolicyRule = {
  id: 'LGTM-LB-DELETION-PROTECTION',
  rationale: 'A load balancer in front of Grafana or the ingest fleet must not disappear through a stray delete or destroy.',
  checkov: ['CKV_AWS_150'],
  tfsec: [],
  check: (element) => {
    if (element.kind !== 'resource' || (element.type !== 'aws_lb' && element.type !== 'aws_alb')) return [];
    const value = element.attributes.enable_deletion_protection;
    if (value === true) return [];
    return [
      {
        found: `enable_deletion_protection ${quote(value)}`,
        fix: 'set enableDeletionProtection: true on the load balancer (the platform sets it on its own), or suppress this rule with a reason',
      },
    ];
  },
};
