import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from '../framework';
import { acceptInstanceRolePatterns } from '../policy/known-findings';
import { sessionManagerStatements } from './session-manager';

export interface HostRoleProps {
  readonly namePrefix: string;
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly configBucketArn: string;
  /** Key prefix of the host files in the config bucket. */
  readonly configKeyPrefix: string;
  /** The SSM String parameter holding the config manifest's SHA-256: read only. */
  readonly configManifestParameter: string;
  /** SSM parameter names (with leading slash) the host may read and decrypt; nothing else. */
  readonly secretParameters: readonly string[];
  /** The customer-managed key those parameters are encrypted with (the platform's, or `host.secretsKmsKeyArn`). */
  readonly secretsKmsKeyArn: string;
  /** The SSM String parameter the host publishes its OTLP CA certificate to (read and overwrite that one only). */
  readonly otlpCaParameter: string;
  /** Read access to an artifact mirror bucket, when downloads come from S3. */
  readonly artifactMirror?: { readonly bucket: string; readonly prefix: string };
  /** Prometheus finds the app servers by EC2 discovery: allow `ec2:DescribeInstances`. @default false */
  readonly discoverAppServers?: boolean;
  /** ARNs of buckets Loki and Tempo keep their data in (`scale: distributed`): object read/write/delete there only. */
  readonly telemetryBucketArns?: readonly string[];
  /** ARN of the AMP workspace Prometheus writes to and Grafana queries (`scale: distributed`). */
  readonly ampWorkspaceArn?: string;
}

/** What Loki and Tempo do with their objects (Tempo tags blocks); nothing else, and only inside their buckets. */
export const TELEMETRY_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObjectTagging', 's3:PutObjectTagging'] as const;
/** Remote write from Prometheus, and the queries Grafana's data source makes (per AMP's documented query policy). */
export const AMP_ACTIONS = ['aps:RemoteWrite', 'aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata'] as const;

/**
 * The instance role: Session Manager (its own statements, no AWS managed policy), read of this platform's config prefix, read and decrypt of exactly the
 * SSM parameters named in config, and (with app server agents) `ec2:DescribeInstances` for Prometheus's EC2
 * discovery. Nothing more.
 */
export class HostRole extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: HostRoleProps) {
    super(scope, id);
    const assume = new DataAwsIamPolicyDocument(this, 'assume', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }],
    });
    this.role = new IamRole(this, 'role', {
      namePrefix: `${props.namePrefix}-monitoring-`,
      assumeRolePolicy: assume.json,
      description: `${props.namePrefix} monitoring host`,
    });
    const parameterArns = props.secretParameters.map((name) => `arn:${props.partition}:ssm:${props.region}:${props.accountId}:parameter${name}`);
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      ...sessionManagerStatements(props),
      {
        sid: 'ReadConfigObjects',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [`${props.configBucketArn}/${props.configKeyPrefix}/*`],
      },
      {
        sid: 'ListConfigPrefix',
        actions: ['s3:ListBucket'],
        resources: [props.configBucketArn],
        condition: [{ test: 'StringLike', variable: 's3:prefix', values: [`${props.configKeyPrefix}/*`] }],
      },
      {
        sid: 'ReadConfigManifestDigest',
        actions: ['ssm:GetParameter'],
        resources: [`arn:${props.partition}:ssm:${props.region}:${props.accountId}:parameter${props.configManifestParameter}`],
      },
    ];
    if (parameterArns.length > 0)
      statements.push(
        { sid: 'ReadNamedSecrets', actions: ['ssm:GetParameter', 'ssm:GetParameters'], resources: parameterArns },
        {
          sid: 'DecryptNamedSecrets',
          actions: ['kms:Decrypt'],
          // The secrets' key, and only as SSM decrypts one of the named parameters.
          resources: [props.secretsKmsKeyArn],
          condition: [
            { test: 'StringEquals', variable: 'kms:ViaService', values: [`ssm.${props.region}.amazonaws.com`] },
            { test: 'StringEquals', variable: 'kms:EncryptionContext:PARAMETER_ARN', values: parameterArns },
          ],
        },
      );
    statements.push({
      sid: 'PublishOtlpCaCertificate',
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      resources: [`arn:${props.partition}:ssm:${props.region}:${props.accountId}:parameter${props.otlpCaParameter}`],
    });
    if (props.artifactMirror)
      statements.push({
        sid: 'ReadArtifactMirror',
        actions: ['s3:GetObject'],
        resources: [`arn:${props.partition}:s3:::${props.artifactMirror.bucket}/${props.artifactMirror.prefix}/*`],
      });
    if (props.discoverAppServers)
      statements.push({
        sid: 'DiscoverAppServers',
        actions: ['ec2:DescribeInstances'],
        // DescribeInstances supports no resource-level permissions or resource conditions: AWS only accepts
        // "*" here. It reads instance metadata (ids, addresses, tags) and changes nothing.
        resources: ['*'],
      });
    const buckets = props.telemetryBucketArns ?? [];
    if (buckets.length > 0)
      statements.push(
        { sid: 'TelemetryObjects', actions: [...TELEMETRY_OBJECT_ACTIONS], resources: buckets.map((arn) => `${arn}/*`) },
        { sid: 'ListTelemetryBuckets', actions: ['s3:ListBucket'], resources: [...buckets] },
      );
    if (props.ampWorkspaceArn) statements.push({ sid: 'ManagedPrometheus', actions: [...AMP_ACTIONS], resources: [props.ampWorkspaceArn] });
    const access = new DataAwsIamPolicyDocument(this, 'access', { statement: statements });
    acceptInstanceRolePatterns(access);
    new IamRolePolicy(this, 'access-policy', { role: this.role.id, name: 'platform-access', policy: access.json });
    this.instanceProfile = new IamInstanceProfile(this, 'profile', {
      namePrefix: `${props.namePrefix}-monitoring-`,
      role: this.role.name,
    });
  }
}
