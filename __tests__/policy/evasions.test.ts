import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Ec2ManagedPrefixList } from '@cdktf/provider-aws/lib/ec2-managed-prefix-list';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamUserPolicyAttachment } from '@cdktf/provider-aws/lib/iam-user-policy-attachment';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LaunchConfiguration } from '@cdktf/provider-aws/lib/launch-configuration';
import { NetworkAclRule } from '@cdktf/provider-aws/lib/network-acl-rule';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { SpotFleetRequest } from '@cdktf/provider-aws/lib/spot-fleet-request';
import { SpotInstanceRequest } from '@cdktf/provider-aws/lib/spot-instance-request';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ConfigBucket } from '../../lib/host/config-bucket';
import { Fn, TerraformVariable, type TerraformStack } from '../../lib/framework';
import { EBS_FIX, IMDS_FIX, SECRET_FIX, SSH_FIX, WORLD_FIX, describeRuleCases, type RuleCase } from './support';

/*
 * The evasion shapes of the adversarial review: ordinary Terraform a user could add next to the platform that
 * the rules used to miss. Each is a violating stack with its exact report (rule id, resource, fix) next to the
 * complying variant.
 */

const document = (statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const role = (stack: TerraformStack, trust = document([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }])) =>
  new IamRole(stack, 'role', { name: 'anvila-extra', assumeRolePolicy: trust });
const policy = (stack: TerraformStack, text: string) => new IamPolicy(stack, 'extra', { name: 'extra', policy: text });
const OBJECTS = 'arn:aws:s3:::anvila-config/*';
const ingress = (stack: TerraformStack, id: string, port: number, cidr: string) =>
  new VpcSecurityGroupIngressRule(stack, id, { securityGroupId: 'sg-1', ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: cidr, description: id });
const imds = { httpTokens: 'required', httpPutResponseHopLimit: 1 };

const UNKNOWN_FIX =
  'write the policy as JSON or an aws_iam_policy_document in this stack, or attach only AWS managed policies listed in lib/policy/aws-managed-policies.ts';
const ACTIONS_FIX = 'list the actions needed, e.g. "s3:GetObject"';
const PATTERN_FIX = 'list the actions needed, e.g. "s3:PutObject"';
const RESOURCE_FIX = 'name the resources (ARNs of this platform\'s bucket, parameters, keys); only actions without resource-level permissions may use "*"';
const ARN_FIX =
  "name the resources: this account, this region, this platform's bucket, parameters and keys (a pattern under one named resource, such as <bucket ARN>/*, is fine)";
const TRUST_FIX = 'trust exactly the principals that assume the role, e.g. { Service: "ec2.amazonaws.com" } (HostRole does)';
const NOT_PRINCIPAL_FIX = 'name the principals with Principal instead; NotPrincipal with Allow grants everyone else, anonymous users included';
const TLS_FIX = "attach a bucket policy with that Deny statement (ConfigBucket's tls-only policy)";

const CASES: RuleCase[] = [
  {
    rule: 'LGTM-IAM-NO-WILDCARD-ACTIONS',
    what: '1. AdministratorAccess attached to a role',
    bad: (stack) => new IamRolePolicyAttachment(stack, 'admin', { role: 'anvila-extra', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    lines: [
      `[LGTM-IAM-NO-WILDCARD-ACTIONS] test/admin (aws_iam_role_policy_attachment): found policy_arn (AdministratorAccess).Statement[0] allows action "*"; fix: ${ACTIONS_FIX}`,
    ],
    good: (stack) =>
      new IamRolePolicyAttachment(stack, 'write', { role: 'anvila-extra', policyArn: 'arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess' }),
  },
  {
    rule: 'LGTM-IAM-NO-WILDCARD-ACTIONS',
    what: "2. AmazonS3FullAccess through a role's managed_policy_arns",
    bad: (stack) =>
      new IamRole(stack, 'role', { name: 'r', assumeRolePolicy: document([]), managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'] }),
    lines: [
      `[LGTM-IAM-NO-WILDCARD-ACTIONS] test/role (aws_iam_role): found managed_policy_arns[0] (AmazonS3FullAccess).Statement[0] allows action "s3:*"; fix: ${ACTIONS_FIX}`,
      `[LGTM-IAM-NO-WILDCARD-ACTIONS] test/role (aws_iam_role): found managed_policy_arns[0] (AmazonS3FullAccess).Statement[0] allows action "s3-object-lambda:*"; fix: ${ACTIONS_FIX}`,
    ],
    good: (stack) => new IamRole(stack, 'role', { name: 'r', assumeRolePolicy: document([]) }),
  },
  {
    rule: 'LGTM-IAM-NO-WILDCARD-ACTIONS',
    what: '3. a managed policy the table does not know, attached to a user',
    bad: (stack) => new IamUserPolicyAttachment(stack, 'user', { user: 'ci', policyArn: 'arn:aws:iam::aws:policy/job-function/SystemAdministrator' }),
    lines: [
      `[LGTM-IAM-NO-WILDCARD-ACTIONS] test/user (aws_iam_user_policy_attachment): found policy_arn is the managed policy SystemAdministrator, which is not in the table of known AWS managed policies, so what it allows cannot be checked (treated as allowing everything); fix: ${UNKNOWN_FIX}`,
    ],
    good: (stack) => {
      const own = policy(stack, document([{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS }]));
      new IamUserPolicyAttachment(stack, 'user', { user: 'ci', policyArn: own.arn });
    },
  },
  {
    rule: 'LGTM-IAM-NO-WILDCARD-ACTIONS',
    what: '4. an s3:Put* action pattern',
    bad: (stack) => policy(stack, document([{ Effect: 'Allow', Action: ['s3:Put*'], Resource: OBJECTS }])),
    lines: [`[LGTM-IAM-NO-WILDCARD-ACTIONS] test/extra (aws_iam_policy): found policy.Statement[0] allows the action pattern "s3:Put*"; fix: ${PATTERN_FIX}`],
    good: (stack) => policy(stack, document([{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: OBJECTS }])),
  },
  {
    rule: 'LGTM-IAM-NO-WILDCARD-RESOURCES',
    what: '5. an ARN pattern over every bucket',
    bad: (stack) => policy(stack, document([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*/*' }])),
    lines: [
      `[LGTM-IAM-NO-WILDCARD-RESOURCES] test/extra (aws_iam_policy): found policy.Statement[0] allows "s3:GetObject" on the ARN pattern "arn:aws:s3:::*/*"; fix: ${ARN_FIX}`,
    ],
    good: (stack) => policy(stack, document([{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS }])),
  },
  {
    rule: 'LGTM-IAM-NO-WILDCARD-ACTIONS',
    what: '6. a jsonencode(...) policy',
    bad: (stack) => policy(stack, Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: OBJECTS }] })),
    lines: [`[LGTM-IAM-NO-WILDCARD-ACTIONS] test/extra (aws_iam_policy): found policy.Statement[0] allows action "*"; fix: ${ACTIONS_FIX}`],
    good: (stack) => policy(stack, Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS }] })),
  },
  {
    rule: 'LGTM-IAM-NO-WILDCARD-RESOURCES',
    what: '7. a policy document whose override_policy_documents grant "*"',
    bad: (stack) =>
      new DataAwsIamPolicyDocument(stack, 'doc', {
        statement: [{ sid: 'Read', actions: ['s3:GetObject'], resources: [OBJECTS] }],
        overridePolicyDocuments: [document([{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }])],
      }),
    lines: [
      `[LGTM-IAM-NO-WILDCARD-RESOURCES] test/doc (aws_iam_policy_document): found override_policy_documents[0].Statement[0] (Read) allows "s3:GetObject" on resource "*"; fix: ${RESOURCE_FIX}`,
    ],
    good: (stack) =>
      new DataAwsIamPolicyDocument(stack, 'doc', {
        statement: [{ sid: 'Read', actions: ['s3:GetObject'], resources: [OBJECTS] }],
        overridePolicyDocuments: [document([{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::anvila-config/etc/*' }])],
      }),
  },
  {
    rule: 'LGTM-IAM-NO-WILDCARD-ACTIONS',
    what: '8. a policy document whose source_policy_documents grant iam:*',
    bad: (stack) =>
      new DataAwsIamPolicyDocument(stack, 'doc', {
        sourcePolicyDocuments: [document([{ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::123456789012:role/x' }])],
      }),
    lines: [
      `[LGTM-IAM-NO-WILDCARD-ACTIONS] test/doc (aws_iam_policy_document): found source_policy_documents[0].Statement[0] allows action "iam:*"; fix: ${ACTIONS_FIX}`,
    ],
    good: (stack) =>
      new DataAwsIamPolicyDocument(stack, 'doc', {
        sourcePolicyDocuments: [document([{ Effect: 'Allow', Action: 'iam:GetRole', Resource: 'arn:aws:iam::123456789012:role/x' }])],
      }),
  },
  {
    rule: 'LGTM-IAM-TRUST-NO-WILDCARD-PRINCIPAL',
    what: '9. a trust policy with Principal "*"',
    bad: (stack) => role(stack, document([{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }])),
    lines: [
      `[LGTM-IAM-TRUST-NO-WILDCARD-PRINCIPAL] test/role (aws_iam_role): found assume_role_policy.Statement[0] lets principal "*" assume the role; fix: ${TRUST_FIX}`,
    ],
    good: (stack) => role(stack),
  },
  {
    rule: 'LGTM-IAM-TRUST-NO-WILDCARD-PRINCIPAL',
    what: '10. a trust policy document with AWS principal "*"',
    bad: (stack) => {
      const trust = new DataAwsIamPolicyDocument(stack, 'trust', {
        statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'AWS', identifiers: ['*'] }] }],
      });
      role(stack, trust.json);
    },
    lines: [
      `[LGTM-IAM-TRUST-NO-WILDCARD-PRINCIPAL] test/role (aws_iam_role): found assume_role_policy -> test/trust.statement[0] lets principal "*" assume the role; fix: ${TRUST_FIX}`,
    ],
    good: (stack) => {
      const trust = new DataAwsIamPolicyDocument(stack, 'trust', {
        statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:role/deployer'] }] }],
      });
      role(stack, trust.json);
    },
  },
  {
    rule: 'LGTM-IAM-TRUST-NO-WILDCARD-PRINCIPAL',
    what: '11. an Allow with NotPrincipal in a trust policy',
    bad: (stack) => role(stack, document([{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }])),
    lines: [
      `[LGTM-IAM-TRUST-NO-WILDCARD-PRINCIPAL] test/role (aws_iam_role): found assume_role_policy.Statement[0] lets everyone but "arn:aws:iam::123456789012:root" assume the role (NotPrincipal); fix: ${NOT_PRINCIPAL_FIX}`,
    ],
    good: (stack) => role(stack, document([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }])),
  },
  {
    rule: 'LGTM-SG-NO-WORLD-INGRESS',
    what: '12. 0.0.0.0/1 and 128.0.0.0/1 instead of 0.0.0.0/0',
    bad: (stack) =>
      new SecurityGroupRule(stack, 'halves', {
        type: 'ingress',
        securityGroupId: 'sg-1',
        protocol: 'tcp',
        fromPort: 3100,
        toPort: 3100,
        cidrBlocks: ['0.0.0.0/1', '128.0.0.0/1'],
        description: 'loki',
      }),
    lines: [
      `[LGTM-SG-NO-WORLD-INGRESS] test/halves (aws_security_group_rule): found ingress from 0.0.0.0/1 on port 3100; fix: ${WORLD_FIX}`,
      `[LGTM-SG-NO-WORLD-INGRESS] test/halves (aws_security_group_rule): found ingress from 128.0.0.0/1 on port 3100; fix: ${WORLD_FIX}`,
    ],
    good: (stack) =>
      new SecurityGroupRule(stack, 'halves', {
        type: 'ingress',
        securityGroupId: 'sg-1',
        protocol: 'tcp',
        fromPort: 3100,
        toPort: 3100,
        cidrBlocks: ['10.0.0.0/9', '10.128.0.0/9'],
        description: 'loki',
      }),
  },
  {
    rule: 'LGTM-SG-NO-WORLD-INGRESS',
    what: '13. a public /8 and public ranges that only together reach a /8',
    bad: (stack) => {
      ingress(stack, 'public-8', 4317, '1.0.0.0/8');
      new SecurityGroupRule(stack, 'quarters', {
        type: 'ingress',
        securityGroupId: 'sg-1',
        protocol: 'tcp',
        fromPort: 4318,
        toPort: 4318,
        cidrBlocks: ['44.0.0.0/9', '44.128.0.0/9'],
        description: 'otlp',
      });
    },
    lines: [
      `[LGTM-SG-NO-WORLD-INGRESS] test/public-8 (aws_vpc_security_group_ingress_rule): found ingress from 1.0.0.0/8 on port 4317; fix: ${WORLD_FIX}`,
      `[LGTM-SG-NO-WORLD-INGRESS] test/quarters (aws_security_group_rule): found ingress from 44.0.0.0/9, 44.128.0.0/9 on port 4318; fix: ${WORLD_FIX}`,
    ],
    good: (stack) => {
      ingress(stack, 'office', 4317, '198.51.0.0/16');
      ingress(stack, 'vpc', 4318, '10.0.0.0/8');
    },
  },
  {
    rule: 'LGTM-SG-NO-WORLD-INGRESS',
    what: '14. a prefix list of the internet, and one defined elsewhere',
    bad: (stack) => {
      const list = new Ec2ManagedPrefixList(stack, 'everyone', { name: 'everyone', addressFamily: 'IPv4', maxEntries: 1, entry: [{ cidr: '0.0.0.0/0' }] });
      new VpcSecurityGroupIngressRule(stack, 'listed', {
        securityGroupId: 'sg-1',
        ipProtocol: 'tcp',
        fromPort: 3000,
        toPort: 3000,
        prefixListId: list.id,
        description: 'grafana',
      });
      new SecurityGroupRule(stack, 'foreign', {
        type: 'ingress',
        securityGroupId: 'sg-1',
        protocol: 'tcp',
        fromPort: 9090,
        toPort: 9090,
        prefixListIds: ['pl-0123456789abcdef0'],
        description: 'prometheus',
      });
    },
    lines: [
      `[LGTM-SG-NO-WORLD-INGRESS] test/listed (aws_vpc_security_group_ingress_rule): found ingress from prefix list \${aws_ec2_managed_prefix_list.everyone.id} (entries 0.0.0.0/0) on port 3000; fix: ${WORLD_FIX}`,
      `[LGTM-SG-NO-WORLD-INGRESS] test/foreign (aws_security_group_rule): found ingress from prefix list pl-0123456789abcdef0 (entries unknown at synth) on port 9090; fix: ${WORLD_FIX}`,
    ],
    good: (stack) => {
      const list = new Ec2ManagedPrefixList(stack, 'offices', {
        name: 'offices',
        addressFamily: 'IPv4',
        maxEntries: 2,
        entry: [{ cidr: '198.51.100.0/24' }, { cidr: '10.1.0.0/16' }],
      });
      new VpcSecurityGroupIngressRule(stack, 'listed', {
        securityGroupId: 'sg-1',
        ipProtocol: 'tcp',
        fromPort: 3000,
        toPort: 3000,
        prefixListId: list.id,
        description: 'grafana',
      });
    },
  },
  {
    rule: 'LGTM-EC2-NO-PUBLIC-ADMIN',
    what: "15. SSH open on the VPC's default security group",
    bad: (stack) =>
      new DefaultSecurityGroup(stack, 'default', { vpcId: 'vpc-1', ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] }),
    lines: [
      `[LGTM-EC2-NO-PUBLIC-ADMIN] test/default (aws_default_security_group): found ingress[0] ingress from 0.0.0.0/0 reaching port 22 (SSH); fix: ${SSH_FIX}`,
    ],
    good: (stack) => new DefaultSecurityGroup(stack, 'default', { vpcId: 'vpc-1' }),
  },
  {
    rule: 'LGTM-SG-NO-WORLD-INGRESS',
    what: '16. a variable whose default is 0.0.0.0/0',
    bad: (stack) => {
      const allowed = new TerraformVariable(stack, 'allowed', { type: 'string', default: '0.0.0.0/0' });
      ingress(stack, 'grafana', 3000, allowed.stringValue);
    },
    lines: [
      `[LGTM-SG-NO-WORLD-INGRESS] test/grafana (aws_vpc_security_group_ingress_rule): found ingress from \${var.allowed} (default "0.0.0.0/0") on port 3000; fix: ${WORLD_FIX}`,
    ],
    good: (stack) => {
      const allowed = new TerraformVariable(stack, 'allowed', { type: 'string', default: '10.0.0.0/16' });
      ingress(stack, 'grafana', 3000, allowed.stringValue);
    },
  },
  {
    rule: 'LGTM-SG-NO-WORLD-INGRESS',
    what: '17. a CIDR that is an expression unknown until apply',
    bad: (stack) => ingress(stack, 'grafana', 3000, Fn.cidrsubnet('0.0.0.0/0', 0, 0)),
    lines: [
      `[LGTM-SG-NO-WORLD-INGRESS] test/grafana (aws_vpc_security_group_ingress_rule): found ingress from \${cidrsubnet("0.0.0.0/0", 0, 0)} (an expression unknown until apply) on port 3000; fix: ${WORLD_FIX}`,
    ],
    // A VPC's own range is at most a /16: never the internet, whatever it is.
    good: (stack) => ingress(stack, 'grafana', 3000, '${data.aws_vpc.default.cidr_block}'),
  },
  {
    rule: 'LGTM-EC2-NO-PUBLIC-ADMIN',
    what: '18. a network ACL rule allowing SSH from anywhere',
    bad: (stack) =>
      new NetworkAclRule(stack, 'ssh', {
        networkAclId: 'acl-1',
        ruleNumber: 100,
        egress: false,
        protocol: 'tcp',
        ruleAction: 'allow',
        cidrBlock: '0.0.0.0/0',
        fromPort: 22,
        toPort: 22,
      }),
    lines: [`[LGTM-EC2-NO-PUBLIC-ADMIN] test/ssh (aws_network_acl_rule): found ingress from 0.0.0.0/0 reaching port 22 (SSH); fix: ${SSH_FIX}`],
    good: (stack) =>
      new NetworkAclRule(stack, 'ssh', {
        networkAclId: 'acl-1',
        ruleNumber: 100,
        egress: false,
        protocol: 'tcp',
        ruleAction: 'deny',
        cidrBlock: '0.0.0.0/0',
        fromPort: 22,
        toPort: 22,
      }),
  },
  {
    rule: 'LGTM-EC2-IMDSV2',
    what: '19. a launch configuration without IMDSv2',
    bad: (stack) => new LaunchConfiguration(stack, 'collectors', { imageId: 'ami-12345678', instanceType: 't3.medium' }),
    lines: [`[LGTM-EC2-IMDSV2] test/collectors (aws_launch_configuration): found no metadata_options (IMDSv1 allowed); fix: ${IMDS_FIX}`],
    good: (stack) => new LaunchConfiguration(stack, 'collectors', { imageId: 'ami-12345678', instanceType: 't3.medium', metadataOptions: imds }),
  },
  {
    rule: 'LGTM-EC2-IMDSV2',
    what: '20. a spot instance request with optional tokens',
    bad: (stack) =>
      new SpotInstanceRequest(stack, 'spot', {
        ami: 'ami-12345678',
        instanceType: 't3.medium',
        metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 1 },
      }),
    lines: [`[LGTM-EC2-IMDSV2] test/spot (aws_spot_instance_request): found metadata_options.http_tokens "optional"; fix: ${IMDS_FIX}`],
    good: (stack) => new SpotInstanceRequest(stack, 'spot', { ami: 'ami-12345678', instanceType: 't3.medium', metadataOptions: imds }),
  },
  {
    rule: 'LGTM-S3-TLS-ONLY',
    what: '21. a TLS-deny statement aimed at another bucket',
    bad: (stack) => {
      const bucket = new S3Bucket(stack, 'traces', { bucket: 'anvila-traces' });
      const deny = new DataAwsIamPolicyDocument(stack, 'deny', {
        statement: [
          {
            effect: 'Deny',
            actions: ['s3:*'],
            resources: ['arn:aws:s3:::some-other-bucket', 'arn:aws:s3:::some-other-bucket/*'],
            principals: [{ type: '*', identifiers: ['*'] }],
            condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
          },
        ],
      });
      new S3BucketPolicy(stack, 'traces-policy', { bucket: bucket.id, policy: deny.json });
    },
    lines: [
      `[LGTM-S3-TLS-ONLY] test/traces (aws_s3_bucket): found no bucket policy denying s3:* on this bucket and its objects to * when aws:SecureTransport is false; fix: ${TLS_FIX}`,
    ],
    good: (stack) => new ConfigBucket(stack, 'config', { namePrefix: 'anvila' }),
  },
  {
    rule: 'LGTM-SECRETS-NO-LITERALS',
    what: '22. a password in base64 user-data',
    bad: (stack) =>
      new Instance(stack, 'host', {
        ami: 'ami-12345678',
        instanceType: 't3.large',
        userDataBase64: Buffer.from('#!/bin/sh\nexport DB_PASSWORD=hunter2hunter2\n').toString('base64'),
      }),
    lines: [
      `[LGTM-SECRETS-NO-LITERALS] test/host (aws_instance): found a literal value for "DB_PASSWORD" (DB_PASSWORD=hunter…r2) in user_data_base64 (base64-decoded); fix: ${SECRET_FIX}`,
    ],
    good: (stack) =>
      new Instance(stack, 'host', {
        ami: 'ami-12345678',
        instanceType: 't3.large',
        userDataBase64: Buffer.from('#!/bin/sh\nexport DB_PASSWORD="$(aws ssm get-parameter --name /anvila/db)"\n').toString('base64'),
      }),
  },
  {
    rule: 'LGTM-SECRETS-NO-LITERALS',
    what: '23. a literal password split by ${""}',
    bad: (stack) =>
      new Instance(stack, 'host', { ami: 'ami-12345678', instanceType: 't3.large', userData: '#!/bin/sh\nexport DB_PASSWORD=${""}hunter2hunter2\n' }),
    lines: [
      `[LGTM-SECRETS-NO-LITERALS] test/host (aws_instance): found a literal value for "DB_PASSWORD" (DB_PASSWORD=hunter…r2) in user_data (with constant interpolations folded); fix: ${SECRET_FIX}`,
    ],
    good: (stack) =>
      new Instance(stack, 'host', { ami: 'ami-12345678', instanceType: 't3.large', userData: '#!/bin/sh\nexport DB_PASSWORD=${var.db_password_parameter}\n' }),
  },
];

describeRuleCases(CASES);

/** Shapes next to the 23: hand-written HCL inside jsonencode, and policy text the engine cannot read. */
const MORE_CASES: RuleCase[] = [
  {
    rule: 'LGTM-IAM-NO-WILDCARD-RESOURCES',
    what: 'hand-written jsonencode with references, newlines and `:` keys',
    bad: (stack) =>
      policy(
        stack,
        '${jsonencode({\n  Version = "2012-10-17"\n  Statement = [\n    { Effect: "Allow", Action = ["s3:GetObject"], Resource = ["*"] },\n    { Effect = "Allow", Action = "s3:PutObject", Resource = "${aws_s3_bucket.b.arn}/*" }\n  ]\n})}',
      ),
    lines: [
      `[LGTM-IAM-NO-WILDCARD-RESOURCES] test/extra (aws_iam_policy): found policy.Statement[0] allows "s3:GetObject" on resource "*"; fix: ${RESOURCE_FIX}`,
    ],
    good: (stack) =>
      policy(
        stack,
        '${jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "${aws_s3_bucket.b.arn}/*" }, { Effect = "Allow", Action = "s3:ListBucket", Resource = aws_s3_bucket.b.arn }] })}',
      ),
  },
  {
    rule: 'LGTM-IAM-NO-WILDCARD-ACTIONS',
    what: 'a policy read from a file at apply time',
    bad: (stack) => policy(stack, '${file("policy.json")}'),
    lines: [
      `[LGTM-IAM-NO-WILDCARD-ACTIONS] test/extra (aws_iam_policy): found policy is the expression "\${file(\\"policy.json\\")}", so what it allows cannot be checked (treated as allowing everything); fix: ${UNKNOWN_FIX}`,
    ],
    good: (stack) => policy(stack, document([{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS }])),
  },
  {
    rule: 'LGTM-EC2-IMDSV2',
    what: 'a spot fleet launching from inline specifications',
    bad: (stack) =>
      new SpotFleetRequest(stack, 'fleet', {
        iamFleetRole: 'arn:aws:iam::123456789012:role/fleet',
        targetCapacity: 2,
        launchSpecification: [{ ami: 'ami-12345678', instanceType: 't3.medium' }],
      }),
    lines: [
      '[LGTM-EC2-IMDSV2] test/fleet (aws_spot_fleet_request): found launch_specification[0] (an inline launch specification cannot require IMDSv2); fix: launch from a launch template (launch_template_config) whose metadata_options require IMDSv2 with hop limit 1',
    ],
    good: (stack) =>
      new SpotFleetRequest(stack, 'fleet', {
        iamFleetRole: 'arn:aws:iam::123456789012:role/fleet',
        targetCapacity: 2,
        launchTemplateConfig: [{ launchTemplateSpecification: { id: 'lt-0123456789abcdef0', version: '1' } }],
      }),
  },
  {
    rule: 'LGTM-EC2-EBS-ENCRYPTED',
    what: 'a launch configuration with an unencrypted root volume',
    bad: (stack) =>
      new LaunchConfiguration(stack, 'collectors', {
        imageId: 'ami-12345678',
        instanceType: 't3.medium',
        metadataOptions: imds,
        rootBlockDevice: { encrypted: false },
      }),
    lines: [`[LGTM-EC2-EBS-ENCRYPTED] test/collectors (aws_launch_configuration): found root_block_device.encrypted false; fix: ${EBS_FIX}`],
    good: (stack) =>
      new LaunchConfiguration(stack, 'collectors', {
        imageId: 'ami-12345678',
        instanceType: 't3.medium',
        metadataOptions: imds,
        rootBlockDevice: { encrypted: true },
      }),
  },
];

describeRuleCases(MORE_CASES);

it('GIVEN the evasion cases THEN there are 23, each with a violating and a complying stack', () => {
  expect(CASES).toHaveLength(23);
});
