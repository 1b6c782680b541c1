import { portRange, securityGroupPermissions, worldOpenSources } from '../security-group-rules';
import type { PolicyRule } from '../types';

/**
 * No ingress from the internet on any port, unless the user opted in for that port explicitly. "The internet"
 * is judged by coverage, not spelling (`0.0.0.0/1` counts), and a source unknown at synth counts as open;
 * security groups (the default group too) and network ACLs alike.
 */
export const sgNoWorldIngress: PolicyRule = {
  id: 'LGTM-SG-NO-WORLD-INGRESS',
  rationale:
    'Nothing on the platform is open to the internet (by address coverage, not just /0) unless the config opts in explicitly (host.allowPublicGrafana).',
  checkov: [],
  tfsec: ['aws-ec2-no-public-ingress-sgr', 'aws-ec2-no-public-ingress-acl'],
  check: (element, stack) =>
    securityGroupPermissions(element)
      .filter((p) => p.direction === 'ingress')
      .flatMap((p) =>
        worldOpenSources(p, stack).map((source) => ({
          found: `${p.at ? `${p.at} ` : ''}ingress from ${source} on ${portRange(p)}`,
          fix: 'allow only the networks that need it (host.grafanaAllowedCidrs, host.telemetrySourceCidrs); for Grafana on the internet set host.allowPublicGrafana: true',
        })),
      ),
};
