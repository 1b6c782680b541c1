import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DlmLifecyclePolicy } from '@cdktf/provider-aws/lib/dlm-lifecycle-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from '../framework';
import { acceptSnapshotPattern } from '../policy/known-findings';

export interface DataVolumeSnapshotsProps {
  readonly namePrefix: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The data volume's id, and its `Name` tag, which the policy targets. */
  readonly volumeId: string;
  readonly volumeName: string;
  /** Daily snapshots kept (the oldest is deleted when a new one is taken). */
  readonly retentionDays: number;
}

/** Tag on every snapshot of the data volume; the snapshot role may delete only snapshots that carry it. */
export const SNAPSHOT_OF_TAG = 'lgtm-snapshot-of';

/**
 * A daily snapshot of the monitoring data volume by Data Lifecycle Manager, keeping `retentionDays` of them,
 * so a lost or corrupted volume costs at most a day of metrics, logs and traces. DLM acts through a role of its
 * own whose policy names the volume and the snapshots it tags (no AWS managed policy).
 */
export class DataVolumeSnapshots extends Construct {
  readonly policy: DlmLifecyclePolicy;

  constructor(scope: Construct, id: string, props: DataVolumeSnapshotsProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['dlm.amazonaws.com'] }] }],
    });
    const role = new IamRole(this, 'role', {
      namePrefix: `${props.namePrefix}-snapshots-`,
      assumeRolePolicy: trust.json,
      description: `${props.namePrefix} data volume snapshots (Data Lifecycle Manager)`,
    });
    const snapshots = `arn:${props.partition}:ec2:${props.region}::snapshot/*`;
    const access = new DataAwsIamPolicyDocument(this, 'access', {
      statement: [
        {
          sid: 'SnapshotDataVolume',
          actions: ['ec2:CreateSnapshot'],
          resources: [`arn:${props.partition}:ec2:${props.region}:${props.accountId}:volume/${props.volumeId}`, snapshots],
        },
        {
          sid: 'TagNewSnapshots',
          actions: ['ec2:CreateTags'],
          resources: [snapshots],
          condition: [{ test: 'StringEquals', variable: 'ec2:CreateAction', values: ['CreateSnapshot'] }],
        },
        {
          sid: 'PruneOwnSnapshots',
          actions: ['ec2:DeleteSnapshot'],
          resources: [snapshots],
          condition: [{ test: 'StringEquals', variable: `aws:ResourceTag/${SNAPSHOT_OF_TAG}`, values: [props.volumeName] }],
        },
        // Describe* supports no resource-level permissions.
        { sid: 'DescribeForSnapshots', actions: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'], resources: ['*'] },
      ],
    });
    acceptSnapshotPattern(access);
    new IamRolePolicy(this, 'access-policy', { role: role.id, name: 'data-volume-snapshots', policy: access.json });
    this.policy = new DlmLifecyclePolicy(this, 'policy', {
      description: `${props.namePrefix} monitoring data volume, daily`,
      executionRoleArn: role.arn,
      state: 'ENABLED',
      policyDetails: {
        resourceTypes: ['VOLUME'],
        targetTags: { Name: props.volumeName },
        schedule: [
          {
            name: 'daily',
            createRule: { interval: 24, intervalUnit: 'HOURS', times: ['03:00'] },
            retainRule: { count: props.retentionDays },
            copyTags: true,
            tagsToAdd: { [SNAPSHOT_OF_TAG]: props.volumeName },
          },
        ],
      },
    });
  }
}
