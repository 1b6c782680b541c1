import { blocks, quote } from '../elements';
import type { Finding, PolicyRule } from '../types';

/** Instances and launch templates require IMDSv2 session tokens, and the token cannot leave the host (hop limit 1). */
export const ec2Imdsv2: PolicyRule = {
  id: 'LGTM-EC2-IMDSV2',
  rationale: 'IMDSv2 with a hop limit of 1 stops SSRF and containers from stealing the instance role\'s credentials.',
  checkov: ['CKV_AWS_79'],
  tfsec: ['aws-ec2-enforce-http-token-imds'],
  check: (element) => {
    if (element.kind !== 'resource' || (element.type !== 'aws_instance' && element.type !== 'aws_launch_template')) return [];
    const fix = 'set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (MonitoringHost does)';
    const [options] = blocks(element.attributes.metadata_options);
    if (!options) return [{ found: 'no metadata_options (IMDSv1 allowed)', fix }];
    if (options.http_endpoint === 'disabled') return [];
    const findings: Finding[] = [];
    if (options.http_tokens !== 'required') findings.push({ found: `metadata_options.http_tokens ${quote(options.http_tokens)}`, fix });
    if (Number(options.http_put_response_hop_limit) !== 1)
      findings.push({ found: `metadata_options.http_put_response_hop_limit ${quote(options.http_put_response_hop_limit)}`, fix });
    return findings;
  },
};
