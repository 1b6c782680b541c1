import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from '../framework';

/** Users open Grafana here, on the load balancer. */
export const GRAFANA_HTTPS_PORT = 443;
/** TLS 1.2 and 1.3 only, forward-secret ciphers (an ELB predefined policy). */
export const GRAFANA_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface GrafanaFrontDoorProps {
  readonly namePrefix: string;
  readonly vpcId: string;
  /** Subnet of the load balancer: the host's own, which has a route to the internet (the host has a public address). */
  readonly subnetId: string;
  /** The host's security group and instance, and the port Grafana listens on there. */
  readonly hostSecurityGroupId: string;
  readonly instanceId: string;
  readonly grafanaPort: number;
  /** Who may open Grafana (`host.grafanaAllowedCidrs`). */
  readonly allowedCidrs: readonly string[];
  /** `host.grafanaCertificate`. */
  readonly domain: string;
  readonly route53ZoneId: string;
}

/**
 * HTTPS for Grafana with a certificate AWS issues and renews, and none on the host: an ACM certificate for the
 * domain, validated by DNS in the given Route 53 zone, on an internet-facing Network Load Balancer whose TLS
 * listener (443) forwards to Grafana's port on the host. The zone gets the domain's alias record. Only the load
 * balancer's security group reaches Grafana on the host; the load balancer admits `allowedCidrs` on 443.
 * ACM's public certificates cannot be installed on an instance, hence the load balancer.
 */
export class GrafanaFrontDoor extends Construct {
  readonly certificate: AcmCertificate;
  readonly loadBalancer: Lb;
  /** The rules admitting users on 443, with the CIDR each admits (host.allowPublicGrafana suppresses on these). */
  readonly ingress: { readonly rule: VpcSecurityGroupIngressRule; readonly cidr: string }[] = [];

  constructor(scope: Construct, id: string, props: GrafanaFrontDoorProps) {
    super(scope, id);
    this.certificate = new AcmCertificate(this, 'certificate', {
      domainName: props.domain,
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: `${props.namePrefix}-grafana` },
    });
    const option = this.certificate.domainValidationOptions.get(0);
    const validationRecord = new Route53Record(this, 'validation-record', {
      zoneId: props.route53ZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    });
    const validated = new AcmCertificateValidation(this, 'validation', {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: [validationRecord.fqdn],
    });

    const group = new SecurityGroup(this, 'group', {
      namePrefix: `${props.namePrefix}-grafana-lb-`,
      description: `${props.namePrefix} Grafana load balancer: HTTPS from grafanaAllowedCidrs, to Grafana only`,
      vpcId: props.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    for (const cidr of props.allowedCidrs)
      this.ingress.push({
        cidr,
        rule: new VpcSecurityGroupIngressRule(this, `https-${cidr.replace(/[^0-9a-f]+/gi, '-')}`, {
          securityGroupId: group.id,
          ipProtocol: 'tcp',
          fromPort: GRAFANA_HTTPS_PORT,
          toPort: GRAFANA_HTTPS_PORT,
          description: `Grafana over HTTPS from ${cidr}`,
          ...(cidr.includes(':') ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        }),
      });
    new VpcSecurityGroupEgressRule(this, 'to-grafana', {
      securityGroupId: group.id,
      ipProtocol: 'tcp',
      fromPort: props.grafanaPort,
      toPort: props.grafanaPort,
      referencedSecurityGroupId: props.hostSecurityGroupId,
      description: 'Grafana on the monitoring host',
    });
    new VpcSecurityGroupIngressRule(this, 'host-grafana', {
      securityGroupId: props.hostSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: props.grafanaPort,
      toPort: props.grafanaPort,
      referencedSecurityGroupId: group.id,
      description: 'Grafana from its load balancer',
    });

    this.loadBalancer = new Lb(this, 'nlb', {
      namePrefix: 'graf-',
      internal: false,
      loadBalancerType: 'network',
      subnets: [props.subnetId],
      securityGroups: [group.id],
      // Users' way in and the DNS name the zone points at: deleting it takes a change that turns this off first.
      enableDeletionProtection: true,
      tags: { Name: `${props.namePrefix}-grafana` },
    });
    const target = new LbTargetGroup(this, 'target', {
      namePrefix: 'graf-',
      port: props.grafanaPort,
      protocol: 'TCP',
      vpcId: props.vpcId,
      targetType: 'instance',
      healthCheck: { protocol: 'HTTP', path: '/api/health', port: 'traffic-port', interval: 30, healthyThreshold: 2, unhealthyThreshold: 2 },
      lifecycle: { createBeforeDestroy: true },
    });
    new LbTargetGroupAttachment(this, 'host', { targetGroupArn: target.arn, targetId: props.instanceId, port: props.grafanaPort });
    new LbListener(this, 'https', {
      loadBalancerArn: this.loadBalancer.arn,
      port: GRAFANA_HTTPS_PORT,
      protocol: 'TLS',
      sslPolicy: GRAFANA_TLS_POLICY,
      certificateArn: validated.certificateArn,
      defaultAction: [{ type: 'forward', targetGroupArn: target.arn }],
    });
    new Route53Record(this, 'alias', {
      zoneId: props.route53ZoneId,
      name: props.domain,
      type: 'A',
      alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
    });
  }
}
