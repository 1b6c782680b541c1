import { blocks, quote } from '../elements';
import type { Finding, PolicyRule } from '../types';

/** Every resource that launches instances and carries its own metadata options. */
const LAUNCHES_WITH_OPTIONS = ['aws_instance', 'aws_launch_template', 'aws_launch_configuration', 'aws_spot_instance_request'];

/**
 * Every way to launch an instance requires IMDSv2 session tokens, and the token cannot leave the host (hop
 * limit 1): instances, launch templates, launch configurations, spot instance requests, and spot fleets (whose
 * inline launch specifications cannot require IMDSv2, so they must launch from a launch template).
 */
export const ec2Imdsv2: PolicyRule = {
  id: 'LGTM-EC2-IMDSV2',
  rationale: "IMDSv2 with a hop limit of 1 stops SSRF and containers from stealing the instance role's credentials.",
  checkov: ['CKV_AWS_79', 'CKV_AWS_341'],
  tfsec: ['aws-ec2-enforce-http-token-imds', 'aws-ec2-enforce-launch-config-http-token-imds'],
  check: (element) => {
    if (element.kind !== 'resource') return [];
    const fix = 'set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (MonitoringHost does)';
    if (element.type === 'aws_spot_fleet_request')
      return blocks(element.attributes.launch_specification).map((_, i) => ({
        found: `launch_specification[${i}] (an inline launch specification cannot require IMDSv2)`,
        fix: 'launch from a launch template (launch_template_config) whose metadata_options require IMDSv2 with hop limit 1',
      }));
    if (!LAUNCHES_WITH_OPTIONS.includes(element.type)) return [];
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
