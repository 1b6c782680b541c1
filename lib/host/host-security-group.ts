import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from '../framework';
import type { EgressRule } from './host-egress';

export interface HostSecurityGroupProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  /** Port Grafana listens on (the platform passes its descriptor's `grafana-users` port, grafanaUsersPort). */
  readonly grafanaPort: number;
  /** Who may open Grafana. */
  readonly grafanaAllowedCidrs: readonly string[];
  /** Who may push telemetry (OTLP gRPC/HTTP to the collector). */
  readonly telemetrySourceCidrs: readonly string[];
  /**
   * The ports telemetry sources may open: the platform passes its descriptors' `telemetry-sources` ports
   * (hostPortsReachedBy), the collector's OTLP receivers, a gRPC and an HTTP one per environment.
   */
  readonly telemetryPorts: readonly number[];
  /** Where the host may connect (hostEgressRules). @default HTTPS and DNS anywhere */
  readonly egress?: readonly EgressRule[];
}

const DEFAULT_EGRESS: readonly EgressRule[] = [
  { protocol: 'tcp', port: 443, cidr: '0.0.0.0/0', description: 'HTTPS' },
  { protocol: 'tcp', port: 443, cidr: '::/0', description: 'HTTPS' },
  { protocol: 'udp', port: 53, cidr: '0.0.0.0/0', description: 'DNS' },
  { protocol: 'udp', port: 53, cidr: '::/0', description: 'DNS' },
];

/**
 * Grafana from its allowed CIDRs, telemetry receivers from the app networks, and nothing else: no SSH
 * (operators use SSM Session Manager). Egress only to the ports and ranges in `egress`.
 */
export class HostSecurityGroup extends Construct {
  readonly group: SecurityGroup;
  /** The Grafana ingress rules, with the CIDR each admits. */
  readonly grafanaIngress: { readonly rule: VpcSecurityGroupIngressRule; readonly cidr: string }[] = [];

  constructor(scope: Construct, id: string, props: HostSecurityGroupProps) {
    super(scope, id);
    this.group = new SecurityGroup(this, 'group', {
      namePrefix: `${props.namePrefix}-monitoring-`,
      description: `${props.namePrefix} monitoring host: Grafana and telemetry receivers only`,
      vpcId: props.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    const ingress = (cidr: string, port: number, what: string) =>
      new VpcSecurityGroupIngressRule(this, `${what}-${port}-${cidr.replace(/[^0-9a-f]+/gi, '-')}`, {
        securityGroupId: this.group.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: `${what} from ${cidr}`,
        ...(cidr.includes(':') ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
      });
    for (const cidr of props.grafanaAllowedCidrs) this.grafanaIngress.push({ rule: ingress(cidr, props.grafanaPort, 'grafana'), cidr });
    for (const cidr of props.telemetrySourceCidrs) for (const port of props.telemetryPorts) ingress(cidr, port, 'telemetry');
    for (const rule of props.egress ?? DEFAULT_EGRESS)
      new VpcSecurityGroupEgressRule(this, `egress-${rule.protocol}-${rule.port}-${rule.cidr.replace(/[^0-9a-f]+/gi, '-')}`, {
        securityGroupId: this.group.id,
        ipProtocol: rule.protocol,
        fromPort: rule.port,
        toPort: rule.port,
        description: rule.description,
        ...(rule.cidr.includes(':') ? { cidrIpv6: rule.cidr } : { cidrIpv4: rule.cidr }),
      });
  }
}
