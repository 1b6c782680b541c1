/**
 * What the AWS managed policies a platform like ours could attach allow, so an attachment is judged by the
 * statements it brings (AWS Managed Policy Reference; the statements are the published documents, reduced to
 * Effect/Action/NotAction/Resource). An attached managed policy that is not in this table cannot be judged and
 * is reported as unknown: add it here, from its published document, before attaching it.
 */
export interface ManagedPolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource: readonly string[];
}

export const AWS_MANAGED_POLICIES: Readonly<Record<string, readonly ManagedPolicyStatement[]>> = {
  AdministratorAccess: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }],
  PowerUserAccess: [
    { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: ['*'] },
    {
      Effect: 'Allow',
      Action: [
        'iam:CreateServiceLinkedRole',
        'iam:DeleteServiceLinkedRole',
        'iam:ListRoles',
        'organizations:DescribeOrganization',
        'account:ListRegions',
        'account:GetAccountInformation',
      ],
      Resource: ['*'],
    },
  ],
  AmazonS3FullAccess: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: ['*'] }],
  AmazonS3ReadOnlyAccess: [
    { Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: ['*'] },
  ],
  AmazonSSMManagedInstanceCore: [
    {
      Effect: 'Allow',
      Action: [
        'ssm:DescribeAssociation',
        'ssm:GetDeployablePatchSnapshotForInstance',
        'ssm:GetDocument',
        'ssm:DescribeDocument',
        'ssm:GetManifest',
        'ssm:GetParameter',
        'ssm:GetParameters',
        'ssm:ListAssociations',
        'ssm:ListInstanceAssociations',
        'ssm:PutInventory',
        'ssm:PutComplianceItems',
        'ssm:PutConfigurePackageResult',
        'ssm:UpdateAssociationStatus',
        'ssm:UpdateInstanceAssociationStatus',
        'ssm:UpdateInstanceInformation',
      ],
      Resource: ['*'],
    },
    {
      Effect: 'Allow',
      Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
      Resource: ['*'],
    },
    {
      Effect: 'Allow',
      Action: [
        'ec2messages:AcknowledgeMessage',
        'ec2messages:DeleteMessage',
        'ec2messages:FailMessage',
        'ec2messages:GetEndpoint',
        'ec2messages:GetMessages',
        'ec2messages:SendReply',
      ],
      Resource: ['*'],
    },
  ],
  CloudWatchAgentServerPolicy: [
    {
      Effect: 'Allow',
      Action: [
        'cloudwatch:PutMetricData',
        'ec2:DescribeVolumes',
        'ec2:DescribeTags',
        'logs:PutLogEvents',
        'logs:PutRetentionPolicy',
        'logs:DescribeLogStreams',
        'logs:DescribeLogGroups',
        'logs:CreateLogStream',
        'logs:CreateLogGroup',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:GetSamplingStatisticSummaries',
      ],
      Resource: ['*'],
    },
    { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: ['arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*'] },
  ],
  AmazonPrometheusRemoteWriteAccess: [{ Effect: 'Allow', Action: ['aps:RemoteWrite'], Resource: ['*'] }],
};

/** The managed policy an ARN names (`arn:<partition>:iam::aws:policy/[<path>/]<name>`), or undefined. */
export function managedPolicyName(arn: string): string | undefined {
  return /^arn:(?:aws|aws-cn|aws-us-gov|\$\{[^}]+\}):iam::aws:policy\/(?:[A-Za-z0-9+=,.@_-]+\/)*([A-Za-z0-9+=,.@_-]+)$/.exec(arn)?.[1];
}
