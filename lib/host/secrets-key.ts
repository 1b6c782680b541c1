import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct, Lazy } from '../framework';
import { secretsKeyAlias } from './secrets';

export interface SecretsKeyProps {
  readonly namePrefix: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /**
   * ARNs of SSM parameters that senders outside the platform read with roles of their own (the OTLP token): any
   * principal of the account whose IAM policy allows it may decrypt these, and only these.
   */
  readonly senderParameterArns: readonly string[];
}

/**
 * What the account's administrators may do with the key: manage it, never use it. Without `kms:Decrypt`,
 * `kms:ReEncrypt*` and `kms:CreateGrant` (a grant could hand out Decrypt), no IAM policy of the account can let
 * anyone but the platform's roles read a parameter under this key.
 */
export const SECRETS_KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

/**
 * The customer-managed key the platform's SSM SecureString parameters are encrypted with (alias
 * `alias/<name>-secrets`), created unless `host.secretsKmsKeyArn` names one. Rotation is on. Its key policy lets
 * the account manage the key and encrypt through SSM (so operators can put the parameters), lets exactly the
 * roles added with `allowDecrypt` decrypt through SSM, and lets other principals of the account decrypt only the
 * sender parameters.
 */
export class SecretsKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  private readonly decrypters: string[] = [];

  constructor(scope: Construct, id: string, props: SecretsKeyProps) {
    super(scope, id);
    const account = `arn:${props.partition}:iam::${props.accountId}:root`;
    const viaSsm = { test: 'StringEquals', variable: 'kms:ViaService', values: [`ssm.${props.region}.amazonaws.com`] };
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      statement: [
        { sid: 'KeyAdministration', actions: [...SECRETS_KEY_ADMIN_ACTIONS], resources: ['*'], principals: [{ type: 'AWS', identifiers: [account] }] },
        {
          sid: 'EncryptThroughSsm',
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          principals: [{ type: 'AWS', identifiers: [account] }],
          condition: [viaSsm],
        },
        {
          sid: 'DecryptPlatformParameters',
          actions: ['kms:Decrypt'],
          resources: ['*'],
          principals: [{ type: 'AWS', identifiers: Lazy.listValue({ produce: () => this.decrypters }) }],
          condition: [viaSsm],
        },
        ...(props.senderParameterArns.length > 0
          ? [
              {
                sid: 'DecryptOtlpTokenForSenders',
                actions: ['kms:Decrypt'],
                resources: ['*'],
                principals: [{ type: 'AWS', identifiers: [account] }],
                condition: [viaSsm, { test: 'StringEquals', variable: 'kms:EncryptionContext:PARAMETER_ARN', values: [...props.senderParameterArns] }],
              },
            ]
          : []),
      ],
    });
    this.key = new KmsKey(this, 'key', {
      description: `${props.namePrefix} platform secrets (SSM SecureString parameters)`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    this.alias = new KmsAlias(this, 'alias', { name: secretsKeyAlias(props.namePrefix), targetKeyId: this.key.keyId });
  }

  /** Lets a role (its ARN) decrypt the platform's parameters through SSM; its IAM policy still names which. */
  allowDecrypt(roleArn: string): void {
    this.decrypters.push(roleArn);
  }
}
