import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/** The Session Manager channel actions; they support no resource-level permissions, so AWS only accepts "*". */
export const SESSION_MANAGER_CHANNEL_ACTIONS = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
] as const;

/**
 * What the SSM Agent needs for Session Manager and nothing more, in place of the AWS managed policy
 * AmazonSSMManagedInstanceCore (which also grants `ssm:GetParameter(s)`, `ssm:GetDocument` and more on every
 * resource, so it would make every SecureString of the account readable by the instance): registering the
 * instance (on this account's instances in this region only) and opening session channels.
 */
export function sessionManagerStatements(where: { partition: string; region: string; accountId: string }): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: 'SessionManagerRegistration',
      actions: ['ssm:UpdateInstanceInformation'],
      resources: [`arn:${where.partition}:ec2:${where.region}:${where.accountId}:instance/*`],
    },
    { sid: 'SessionManagerChannels', actions: [...SESSION_MANAGER_CHANNEL_ACTIONS], resources: ['*'] },
  ];
}
