import { blocks, quote } from '../elements';
import type { Finding, PolicyRule } from '../types';

/** Every EBS volume, attached at launch (instance, launch template or configuration, spot request) or on its own, is encrypted at rest. */
export const ec2EbsEncrypted: PolicyRule = {
  id: 'LGTM-EC2-EBS-ENCRYPTED',
  rationale: "Root and data volumes hold metrics, logs, traces and Grafana's database: encrypted at rest, always.",
  checkov: ['CKV_AWS_8', 'CKV_AWS_3'],
  tfsec: ['aws-ec2-enable-at-rest-encryption', 'aws-ebs-enable-volume-encryption'],
  check: (element) => {
    if (element.kind !== 'resource') return [];
    const a = element.attributes;
    const fix = 'set encrypted = true on the volume (MonitoringHost encrypts its root and data volumes)';
    const unencrypted = (value: unknown) => value !== true && value !== 'true';
    const findings: Finding[] = [];
    switch (element.type) {
      case 'aws_ebs_volume':
        if (unencrypted(a.encrypted)) findings.push({ found: `encrypted ${quote(a.encrypted)}`, fix });
        break;
      case 'aws_instance':
      case 'aws_launch_configuration':
      case 'aws_spot_instance_request': {
        const [root] = blocks(a.root_block_device);
        if (!root || unencrypted(root.encrypted)) findings.push({ found: `root_block_device.encrypted ${quote(root?.encrypted)}`, fix });
        blocks(a.ebs_block_device).forEach((device, i) => {
          if (unencrypted(device.encrypted)) findings.push({ found: `ebs_block_device[${i}].encrypted ${quote(device.encrypted)}`, fix });
        });
        break;
      }
      case 'aws_launch_template':
        blocks(a.block_device_mappings).forEach((mapping, i) => {
          const [ebs] = blocks(mapping.ebs);
          if (ebs && unencrypted(ebs.encrypted)) findings.push({ found: `block_device_mappings[${i}].ebs.encrypted ${quote(ebs.encrypted)}`, fix });
        });
        break;
      default:
    }
    return findings;
  },
};
