import { isWorldCidr, portRange, securityGroupPermissions } from '../security-group-rules';
import type { PolicyRule } from '../types';

/** No ingress from 0.0.0.0/0 or ::/0 on any port, unless the user opted in for that port explicitly. */
export const sgNoWorldIngress: PolicyRule = {
  id: 'LGTM-SG-NO-WORLD-INGRESS',
  rationale: 'Nothing on the platform is open to the whole internet unless the config opts in explicitly (host.allowPublicGrafana).',
  checkov: [],
  tfsec: ['aws-ec2-no-public-ingress-sgr'],
  check: (element) =>
    securityGroupPermissions(element)
      .filter((p) => p.direction === 'ingress')
      .flatMap((p) =>
        p.cidrs.filter(isWorldCidr).map((cidr) => ({
          found: `${p.at ? `${p.at} ` : ''}ingress from ${cidr} on ${portRange(p)}`,
          fix: 'allow only the networks that need it (host.grafanaAllowedCidrs, host.telemetrySourceCidrs); for Grafana on the internet set host.allowPublicGrafana: true',
        })),
      ),
};
