import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { Instance, type InstanceConfig } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { TerraformStack } from '../../lib/framework';
import { EBS_FIX, IMDS_FIX, SSH_FIX, WORLD_FIX, describeRuleCases, type RuleCase } from './support';

/** An instance that complies with every EC2 rule; each case breaks one thing. */
const goodInstance: InstanceConfig = {
  ami: 'ami-12345678',
  instanceType: 't3.large',
  monitoring: true,
  disableApiTermination: true,
  metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
  rootBlockDevice: { encrypted: true, volumeType: 'gp3' },
};
const instance = (changes: Partial<InstanceConfig>) => (stack: TerraformStack) => new Instance(stack, 'host', { ...goodInstance, ...changes });
const group = (stack: TerraformStack) => new SecurityGroup(stack, 'group', { description: 'monitoring host' });

const LB_FIX = 'set enableDeletionProtection: true on the load balancer (the platform sets it on its own), or suppress this rule with a reason';

const CASES: RuleCase[] = [
  {
    rule: 'LGTM-EC2-IMDSV2',
    what: 'IMDSv1 allowed and the token may hop',
    bad: instance({ metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2 } }),
    lines: [
      `[LGTM-EC2-IMDSV2] test/host (aws_instance): found metadata_options.http_tokens "optional"; fix: ${IMDS_FIX}`,
      `[LGTM-EC2-IMDSV2] test/host (aws_instance): found metadata_options.http_put_response_hop_limit 2; fix: ${IMDS_FIX}`,
    ],
    good: instance({}),
  },
  {
    rule: 'LGTM-EC2-IMDSV2',
    what: 'a launch template without metadata options',
    bad: (stack) => new LaunchTemplate(stack, 'collectors', { imageId: 'ami-12345678' }),
    lines: [`[LGTM-EC2-IMDSV2] test/collectors (aws_launch_template): found no metadata_options (IMDSv1 allowed); fix: ${IMDS_FIX}`],
    good: (stack) =>
      new LaunchTemplate(stack, 'collectors', { imageId: 'ami-12345678', metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 } }),
  },
  {
    rule: 'LGTM-EC2-EBS-ENCRYPTED',
    what: 'an unencrypted root volume and an unencrypted data volume',
    bad: (stack) => {
      instance({ rootBlockDevice: { encrypted: false } })(stack);
      new EbsVolume(stack, 'data', { availabilityZone: 'us-east-1a', size: 50 });
    },
    lines: [
      `[LGTM-EC2-EBS-ENCRYPTED] test/host (aws_instance): found root_block_device.encrypted false; fix: ${EBS_FIX}`,
      `[LGTM-EC2-EBS-ENCRYPTED] test/data (aws_ebs_volume): found encrypted nothing; fix: ${EBS_FIX}`,
    ],
    good: (stack) => {
      instance({})(stack);
      new EbsVolume(stack, 'data', { availabilityZone: 'us-east-1a', size: 50, encrypted: true });
    },
  },
  {
    rule: 'LGTM-EC2-NO-PUBLIC-ADMIN',
    what: 'SSH from anywhere (inline) and RDP from anywhere (rule resource)',
    bad: (stack) => {
      new SecurityGroup(stack, 'group', {
        description: 'monitoring host',
        ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'], description: 'ssh' }],
      });
      new SecurityGroupRule(stack, 'rdp', {
        type: 'ingress',
        securityGroupId: 'sg-1',
        fromPort: 3000,
        toPort: 4000,
        protocol: 'tcp',
        ipv6CidrBlocks: ['::/0'],
        description: 'rdp',
      });
    },
    lines: [
      `[LGTM-EC2-NO-PUBLIC-ADMIN] test/group (aws_security_group): found ingress[0] ingress from 0.0.0.0/0 reaching port 22 (SSH); fix: ${SSH_FIX}`,
      `[LGTM-EC2-NO-PUBLIC-ADMIN] test/rdp (aws_security_group_rule): found ingress from ::/0 reaching port 3389 (RDP); fix: ${SSH_FIX}`,
    ],
    good: (stack) => {
      new SecurityGroup(stack, 'group', {
        description: 'x',
        ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['10.0.0.0/16'], description: 'ssh from the VPN' }],
      });
    },
  },
  {
    rule: 'LGTM-EC2-DETAILED-MONITORING',
    what: 'basic monitoring only',
    bad: instance({ monitoring: false }),
    lines: [
      '[LGTM-EC2-DETAILED-MONITORING] test/host (aws_instance): found monitoring false; fix: set host.detailedMonitoring: true (the default), or suppress this rule with a reason',
    ],
    good: instance({}),
  },
  {
    rule: 'LGTM-EC2-TERMINATION-PROTECTION',
    what: 'no termination protection',
    bad: instance({ disableApiTermination: undefined }),
    lines: [
      '[LGTM-EC2-TERMINATION-PROTECTION] test/host (aws_instance): found disable_api_termination nothing; fix: set host.disableApiTermination: true (the default), or suppress this rule with a reason',
    ],
    good: instance({}),
  },
  {
    rule: 'LGTM-LB-DELETION-PROTECTION',
    what: 'a network load balancer without deletion protection, and one that turns it off',
    bad: (stack) => {
      new Lb(stack, 'ingest', { loadBalancerType: 'network', internal: true, subnets: ['subnet-1'] });
      new Lb(stack, 'grafana', { loadBalancerType: 'application', subnets: ['subnet-1'], enableDeletionProtection: false });
    },
    lines: [
      `[LGTM-LB-DELETION-PROTECTION] test/ingest (aws_lb): found enable_deletion_protection nothing; fix: ${LB_FIX}`,
      `[LGTM-LB-DELETION-PROTECTION] test/grafana (aws_lb): found enable_deletion_protection false; fix: ${LB_FIX}`,
    ],
    good: (stack) => new Lb(stack, 'ingest', { loadBalancerType: 'network', internal: true, subnets: ['subnet-1'], enableDeletionProtection: true }),
  },
  {
    rule: 'LGTM-SG-NO-WORLD-INGRESS',
    what: 'Grafana open to the IPv4 and IPv6 internet',
    bad: (stack) => {
      group(stack);
      new VpcSecurityGroupIngressRule(stack, 'grafana-v4', {
        securityGroupId: 'sg-1',
        ipProtocol: 'tcp',
        fromPort: 3000,
        toPort: 3000,
        cidrIpv4: '0.0.0.0/0',
        description: 'grafana',
      });
      new VpcSecurityGroupIngressRule(stack, 'all-v6', { securityGroupId: 'sg-1', ipProtocol: '-1', cidrIpv6: '::/0', description: 'everything' });
    },
    lines: [
      `[LGTM-SG-NO-WORLD-INGRESS] test/grafana-v4 (aws_vpc_security_group_ingress_rule): found ingress from 0.0.0.0/0 on port 3000; fix: ${WORLD_FIX}`,
      `[LGTM-SG-NO-WORLD-INGRESS] test/all-v6 (aws_vpc_security_group_ingress_rule): found ingress from ::/0 on all ports; fix: ${WORLD_FIX}`,
    ],
    good: (stack) => {
      new VpcSecurityGroupIngressRule(stack, 'grafana', {
        securityGroupId: 'sg-1',
        ipProtocol: 'tcp',
        fromPort: 3000,
        toPort: 3000,
        cidrIpv4: '203.0.113.0/24',
        description: 'grafana',
      });
    },
  },
  {
    rule: 'LGTM-SG-RULE-DESCRIPTION',
    what: 'a group and rules without descriptions',
    bad: (stack) => {
      new SecurityGroup(stack, 'group', { egress: [{ fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['10.0.0.0/8'] }] });
      new VpcSecurityGroupIngressRule(stack, 'otlp', { securityGroupId: 'sg-1', ipProtocol: 'tcp', fromPort: 4317, toPort: 4317, cidrIpv4: '10.0.0.0/16' });
    },
    lines: [
      '[LGTM-SG-RULE-DESCRIPTION] test/group (aws_security_group): found a security group without description; fix: set description to what the group admits',
      '[LGTM-SG-RULE-DESCRIPTION] test/group (aws_security_group): found egress[0] egress rule without description; fix: set description to who is admitted and why, e.g. "grafana from 203.0.113.0/24"',
      '[LGTM-SG-RULE-DESCRIPTION] test/otlp (aws_vpc_security_group_ingress_rule): found ingress rule without description; fix: set description to who is admitted and why, e.g. "grafana from 203.0.113.0/24"',
    ],
    good: (stack) => {
      new SecurityGroup(stack, 'group', {
        description: 'host',
        egress: [{ fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['10.0.0.0/8'], description: 'AWS APIs' }],
      });
    },
  },
];

describeRuleCases(CASES);
