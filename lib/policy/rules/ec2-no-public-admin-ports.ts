import { covers, securityGroupPermissions, worldOpenSources } from '../security-group-rules';
import type { PolicyRule } from '../types';

const ADMIN_PORTS: Record<number, string> = { 22: 'SSH', 3389: 'RDP' };

/** SSH and RDP are never open to the internet (by coverage; security groups and network ACLs); operators use SSM Session Manager. */
export const ec2NoPublicAdminPorts: PolicyRule = {
  id: 'LGTM-EC2-NO-PUBLIC-ADMIN',
  rationale: 'SSH (22) and RDP (3389) open to the internet are the most scanned doors there are; use SSM Session Manager.',
  checkov: ['CKV_AWS_24', 'CKV_AWS_25'],
  tfsec: ['aws-ec2-no-public-ingress-sgr'],
  check: (element, stack) =>
    securityGroupPermissions(element)
      .filter((p) => p.direction === 'ingress')
      .flatMap((p) =>
        Object.entries(ADMIN_PORTS)
          .filter(([port]) => covers(p, Number(port)))
          .flatMap(([port, name]) =>
            worldOpenSources(p, stack).map((source) => ({
              found: `${p.at ? `${p.at} ` : ''}ingress from ${source} reaching port ${port} (${name})`,
              fix: 'remove the rule; reach the host with `aws ssm start-session --target <instance id>`',
            })),
          ),
      ),
};
