import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct, Fn, Token } from '../framework';
import { architectureOf } from '../host/architecture';
import { sessionManagerStatements } from '../host/session-manager';
import { acceptInstanceRolePatterns } from '../policy/known-findings';
import { ingestUserDataCall } from './ingest-user-data';
import type { OtlpEnvironment, otlpIngestTlsParameters } from '../telemetry/otlp-sources';

/** OTLP ports the load balancer forwards to the nodes: each environment's gRPC and HTTP receiver (otlpEnvironments). */
export function ingestPorts(environments: readonly OtlpEnvironment[]): Record<string, number> {
  return Object.fromEntries(
    environments.flatMap((e) => [
      [`otlp-grpc-${e.grpcPort}`, e.grpcPort],
      [`otlp-http-${e.httpPort}`, e.httpPort],
    ]),
  );
}

export interface IngestFleetProps {
  readonly namePrefix: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  /** Subnets of the nodes and of the (internal) load balancer. */
  readonly subnetIds: string[];
  readonly instanceType: string;
  readonly nodes: { readonly min: number; readonly max: number; readonly desired: number };
  /** Who may send OTLP (the platform's `telemetrySourceCidrs`); the VPC itself always may (load-balancer health checks). */
  readonly telemetrySourceCidrs: readonly string[];
  /** Security group of the monitoring host: the nodes are let in on `hostPortsForNodes`. */
  readonly hostSecurityGroupId: string;
  /**
   * The monitoring host's ports the nodes forward to: the host collector's TLS HTTP receiver of each environment,
   * every signal (the descriptors' `ingest-fleet` ports, hostPortsReachedBy; Loki and Tempo listen on loopback only).
   */
  readonly hostPortsForNodes: readonly number[];
  /** The node's user-data without its last line: a static script defining `main` (see renderIngestUserData). */
  readonly userDataScript: string;
  /** The monitoring host's private address (a Terraform token), passed to `main` by the last line. */
  readonly hostAddress: string;
  /** Read access to an artifact mirror bucket, when downloads come from S3. */
  readonly artifactMirror?: { readonly bucket: string; readonly prefix: string };
  /** The OTLP environments: the nodes read their token parameters and the host's CA certificate at boot, and nothing else. */
  readonly otlpEnvironments: readonly OtlpEnvironment[];
  /** The SSM String parameter holding the monitoring host's OTLP CA certificate. */
  readonly otlpCaParameter: string;
  /** The customer-managed key of the token parameters (the platform's, or `host.secretsKmsKeyArn`). */
  readonly secretsKmsKeyArn: string;
  /** The SSM parameters of the nodes' server certificate, which the monitoring host issues from its CA. */
  readonly ingestTlsParameters: ReturnType<typeof otlpIngestTlsParameters>;
  /** The monitoring host's role: it may publish exactly the nodes' certificate and key. */
  readonly hostRoleName: string;
}

/**
 * Stateless OTLP ingest: an Auto Scaling group of OpenTelemetry Collector nodes behind an internal Network Load
 * Balancer (one TCP listener and target group per OTLP port). Nodes run the current Amazon Linux 2023 with
 * IMDSv2 only (hop limit 1), encrypted volumes, no SSH (Session Manager only) and a role that may do nothing
 * else. A changed launch template rolls the nodes by instance refresh. The state lives in S3 and the metrics
 * store, so nodes come and go freely.
 */
export class IngestFleet extends Construct {
  readonly loadBalancer: Lb;
  readonly group: AutoscalingGroup;
  readonly securityGroup: SecurityGroup;
  /** The nodes' instance role. */
  readonly role: IamRole;
  readonly launchTemplate: LaunchTemplate;
  /** `DNS:<load balancer>`: the names the host's certificate for the nodes carries; the host boots after it exists. */
  readonly tlsNamesParameter: SsmParameter;

  constructor(scope: Construct, id: string, props: IngestFleetProps) {
    super(scope, id);
    const name = `${props.namePrefix}-ingest`;
    const vpc = new DataAwsVpc(this, 'vpc', { id: props.vpcId });

    this.securityGroup = new SecurityGroup(this, 'group', {
      namePrefix: `${name}-`,
      description: `${props.namePrefix} ingest nodes: OTLP from the load balancer and telemetry sources only`,
      vpcId: props.vpcId,
      lifecycle: { createBeforeDestroy: true },
    });
    const sources = [...new Set([vpc.cidrBlock, ...props.telemetrySourceCidrs])];
    sources.forEach((cidr, index) => {
      for (const [label, port] of Object.entries(ingestPorts(props.otlpEnvironments)))
        new VpcSecurityGroupIngressRule(this, `${label}-${index}`, {
          securityGroupId: this.securityGroup.id,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          description: index === 0 ? `${label} from the VPC (load balancer and health checks)` : `${label} from ${cidr}`,
          ...(cidr.includes(':') ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        });
    });
    new VpcSecurityGroupEgressRule(this, 'egress-ipv4', {
      securityGroupId: this.securityGroup.id,
      ipProtocol: '-1',
      cidrIpv4: '0.0.0.0/0',
      description: 'monitoring host, AWS APIs, release downloads',
    });
    // The ids and descriptions keep the resource addresses of earlier releases, so an upgrade replaces no rule.
    for (const port of props.hostPortsForNodes)
      new VpcSecurityGroupIngressRule(this, `host-host-otlp-${port}`, {
        securityGroupId: props.hostSecurityGroupId,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        referencedSecurityGroupId: this.securityGroup.id,
        description: `host-otlp-${port} from the ingest nodes`,
      });

    const assume = new DataAwsIamPolicyDocument(this, 'assume', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }],
    });
    const role = (this.role = new IamRole(this, 'role', {
      namePrefix: `${name}-`,
      assumeRolePolicy: assume.json,
      description: `${props.namePrefix} ingest nodes`,
    }));
    const parameterArn = (name: string) => `arn:${props.partition}:ssm:${props.region}:${props.accountId}:parameter${name}`;
    const tokenArns = props.otlpEnvironments.map((environment) => parameterArn(environment.tokenParameter));
    const tls = props.ingestTlsParameters;
    const viaSsm = { test: 'StringEquals', variable: 'kms:ViaService', values: [`ssm.${props.region}.amazonaws.com`] };
    const access = new DataAwsIamPolicyDocument(this, 'access', {
      statement: [
        ...sessionManagerStatements(props),
        {
          sid: 'ReadOtlpTokens',
          actions: ['ssm:GetParameter'],
          resources: [...tokenArns, parameterArn(props.otlpCaParameter), parameterArn(tls.certificate), parameterArn(tls.key)],
        },
        {
          sid: 'DecryptOtlpToken',
          actions: ['kms:Decrypt'],
          resources: [props.secretsKmsKeyArn],
          condition: [viaSsm, { test: 'StringEquals', variable: 'kms:EncryptionContext:PARAMETER_ARN', values: [...tokenArns, parameterArn(tls.key)] }],
        },
        ...(props.artifactMirror
          ? [
              {
                sid: 'ReadArtifactMirror',
                actions: ['s3:GetObject'],
                resources: [`arn:${props.partition}:s3:::${props.artifactMirror.bucket}/${props.artifactMirror.prefix}/*`],
              },
            ]
          : []),
      ],
    });
    acceptInstanceRolePatterns(access);
    new IamRolePolicy(this, 'access-policy', { role: role.id, name: 'ingest-node-access', policy: access.json });
    const profile = new IamInstanceProfile(this, 'profile', { namePrefix: `${name}-`, role: role.name });

    const ami = new DataAwsSsmParameter(this, 'ami', {
      name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architectureOf(props.instanceType)}`,
    });
    this.launchTemplate = new LaunchTemplate(this, 'template', {
      namePrefix: `${name}-`,
      description: `${props.namePrefix} OTLP ingest node (otelcol-contrib)`,
      imageId: ami.insecureValue,
      instanceType: props.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      vpcSecurityGroupIds: [this.securityGroup.id],
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeType: 'gp3', volumeSize: 20, encrypted: 'true', deleteOnTermination: 'true' } }],
      monitoring: { enabled: true },
      userData: ingestUserDataBase64(props.userDataScript, props.hostAddress),
      updateDefaultVersion: true,
      tagSpecifications: [
        { resourceType: 'instance', tags: { Name: name } },
        { resourceType: 'volume', tags: { Name: name } },
      ],
    });

    this.loadBalancer = new Lb(this, 'nlb', {
      namePrefix: 'otlp-',
      internal: true,
      loadBalancerType: 'network',
      subnets: props.subnetIds,
      enableCrossZoneLoadBalancing: true,
      // Every app's telemetry path: deleting it takes a change that turns this off first.
      enableDeletionProtection: true,
      tags: { Name: `${name}-otlp` },
    });
    // The host issues the nodes' certificate for these names (lgtm-secrets, ensure_ingest_tls) and publishes it with
    // its key; it may write exactly those two parameters and encrypt only that key, and nobody but the nodes decrypts it.
    this.tlsNamesParameter = new SsmParameter(this, 'tls-names', {
      name: tls.names,
      type: 'String',
      value: `DNS:${this.loadBalancer.dnsName}`,
      description: `${props.namePrefix} OTLP load balancer: the names of the ingest nodes' certificate`,
    });
    const hostPublishes = new DataAwsIamPolicyDocument(this, 'host-publishes-tls', {
      statement: [
        { sid: 'ReadOtlpIngestNames', actions: ['ssm:GetParameter'], resources: [parameterArn(tls.names)] },
        {
          sid: 'PublishOtlpIngestCertificate',
          actions: ['ssm:GetParameter', 'ssm:PutParameter'],
          resources: [parameterArn(tls.certificate), parameterArn(tls.key)],
        },
        {
          sid: 'EncryptOtlpIngestKey',
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [props.secretsKmsKeyArn],
          condition: [viaSsm, { test: 'StringEquals', variable: 'kms:EncryptionContext:PARAMETER_ARN', values: [parameterArn(tls.key)] }],
        },
      ],
    });
    new IamRolePolicy(this, 'host-publishes-tls-policy', { role: props.hostRoleName, name: 'otlp-ingest-certificate', policy: hostPublishes.json });
    const targetGroups = Object.entries(ingestPorts(props.otlpEnvironments)).map(([label, port]) => {
      const group = new LbTargetGroup(this, `target-${label}`, {
        namePrefix: label.startsWith('otlp-grpc') ? 'grpc-' : 'http-',
        port,
        protocol: 'TCP',
        vpcId: props.vpcId,
        targetType: 'instance',
        deregistrationDelay: '30',
        healthCheck: { protocol: 'TCP', port: 'traffic-port', interval: 10, healthyThreshold: 2, unhealthyThreshold: 2 },
        lifecycle: { createBeforeDestroy: true },
      });
      new LbListener(this, `listener-${label}`, {
        loadBalancerArn: this.loadBalancer.arn,
        port,
        protocol: 'TCP',
        defaultAction: [{ type: 'forward', targetGroupArn: group.arn }],
      });
      return group;
    });

    this.group = new AutoscalingGroup(this, 'nodes', {
      namePrefix: `${name}-`,
      minSize: props.nodes.min,
      maxSize: props.nodes.max,
      desiredCapacity: props.nodes.desired,
      vpcZoneIdentifier: props.subnetIds,
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      targetGroupArns: targetGroups.map((group) => group.arn),
      healthCheckType: 'ELB',
      healthCheckGracePeriod: 180,
      instanceRefresh: { strategy: 'Rolling', preferences: { minHealthyPercentage: 50 } },
      tag: [{ key: 'Name', value: name, propagateAtLaunch: true }],
    });
  }

  /** DNS name apps send OTLP to (per environment a gRPC and an HTTP port; otlpEnvironments). */
  get endpoint(): string {
    return this.loadBalancer.dnsName;
  }
}

/**
 * Launch templates take user-data base64-encoded. The static script is encoded here (padded with newlines to a
 * multiple of 3 bytes, so its base64 has no padding and can be continued), and only the last line, which holds
 * the host's address token, is encoded by Terraform; the two base64 strings then decode as one script.
 */
export function ingestUserDataBase64(script: string, hostAddress: string): string {
  let text = script.endsWith('\n') ? script : `${script}\n`;
  while (Buffer.byteLength(text) % 3 !== 0) text += '\n';
  return `${Buffer.from(text).toString('base64')}${Fn.base64encode(ingestUserDataCall(hostAddress))}`;
}
