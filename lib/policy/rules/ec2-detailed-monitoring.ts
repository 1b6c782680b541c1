import { blocks, quote } from '../elements';
import type { PolicyRule } from '../types';

/** One-minute CloudWatch metrics for instances, so the monitor of the monitoring is not five minutes late. */
export const ec2DetailedMonitoring: PolicyRule = {
  id: 'LGTM-EC2-DETAILED-MONITORING',
  rationale: 'One-minute CloudWatch metrics watch the watcher: a dying monitoring host shows up in minutes, not after five-minute gaps.',
  checkov: ['CKV_AWS_126'],
  tfsec: [],
  check: (element) => {
    if (element.kind !== 'resource') return [];
    const fix = 'set host.detailedMonitoring: true (the default), or suppress this rule with a reason';
    if (element.type === 'aws_instance' && element.attributes.monitoring !== true)
      return [{ found: `monitoring ${quote(element.attributes.monitoring)}`, fix }];
    if (element.type === 'aws_launch_template') {
      const [monitoring] = blocks(element.attributes.monitoring);
      if (monitoring?.enabled !== true) return [{ found: `monitoring.enabled ${quote(monitoring?.enabled)}`, fix: 'set monitoring { enabled = true }' }];
    }
    return [];
  },
};
