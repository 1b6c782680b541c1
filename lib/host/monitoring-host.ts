import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { EipAssociation } from '@cdktf/provider-aws/lib/eip-association';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { VolumeAttachment } from '@cdktf/provider-aws/lib/volume-attachment';
import { Construct, type ITerraformDependable } from '../framework';
import { escapeTerraformTemplate } from '../terraform-text';
import { architectureOf, type Architecture } from './architecture';

export interface MonitoringHostProps {
  readonly namePrefix: string;
  /** EC2 instance type; the AMI's architecture follows it. */
  readonly instanceType: string;
  /** The AMI's architecture: the compiled model's, the one the install script checks. @default implied by `instanceType` */
  readonly architecture?: Architecture;
  /** Availability zone of the instance and its data volume. */
  readonly availabilityZone: string;
  /** Subnet to launch in. @default the default VPC's default subnet in `availabilityZone` */
  readonly subnetId?: string;
  readonly securityGroupId: string;
  readonly instanceProfileName: string;
  readonly rootVolumeGiB: number;
  readonly dataVolumeGiB: number;
  /** Builds the user-data once the data volume's id is known. */
  readonly userData: (dataVolumeId: string) => string;
  /** Resources that must exist before the host boots (its config objects). */
  readonly bootAfter?: ITerraformDependable[];
  /** Public address, created beforehand so rendered files can name it. */
  readonly elasticIp: Eip;
  /** One-minute CloudWatch metrics (EC2 detailed monitoring). @default true */
  readonly detailedMonitoring?: boolean;
  /** EC2 termination protection. @default true */
  readonly disableApiTermination?: boolean;
}

/**
 * The monitoring EC2 host: current Amazon Linux 2023, IMDSv2 only, encrypted gp3 root volume, and a separate
 * encrypted gp3 data volume that is protected from destroy and outlives any replacement of the instance.
 */
export class MonitoringHost extends Construct {
  readonly instance: Instance;
  readonly dataVolume: EbsVolume;
  /** The data volume's Name tag. */
  readonly dataVolumeName: string;

  constructor(scope: Construct, id: string, props: MonitoringHostProps) {
    super(scope, id);
    const architecture = props.architecture ?? architectureOf(props.instanceType);
    const ami = new DataAwsSsmParameter(this, 'ami', {
      name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`,
    });
    this.dataVolumeName = `${props.namePrefix}-monitoring-data`;
    this.dataVolume = new EbsVolume(this, 'data', {
      availabilityZone: props.availabilityZone,
      size: props.dataVolumeGiB,
      type: 'gp3',
      encrypted: true,
      finalSnapshot: true,
      tags: { Name: this.dataVolumeName },
      lifecycle: { preventDestroy: true },
    });
    this.instance = new Instance(this, 'instance', {
      ami: ami.insecureValue,
      instanceType: props.instanceType,
      availabilityZone: props.availabilityZone,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [props.securityGroupId],
      iamInstanceProfile: props.instanceProfileName,
      ebsOptimized: true,
      monitoring: props.detailedMonitoring ?? true,
      disableApiTermination: props.disableApiTermination ?? true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      rootBlockDevice: { volumeType: 'gp3', volumeSize: props.rootVolumeGiB, encrypted: true, deleteOnTermination: true },
      userData: escapeTerraformTemplate(props.userData(this.dataVolume.id)),
      userDataReplaceOnChange: false,
      tags: { Name: `${props.namePrefix}-monitoring` },
      dependsOn: props.bootAfter,
      // A newer AMI must not replace the host; patching happens in place. User-data runs at first boot only, so a
      // changed bootstrap matters only to a new instance, while updating it would stop and start the running one.
      lifecycle: { ignoreChanges: ['ami', 'user_data'] },
    });
    new VolumeAttachment(this, 'data-attachment', {
      deviceName: '/dev/sdf',
      volumeId: this.dataVolume.id,
      instanceId: this.instance.id,
      stopInstanceBeforeDetaching: true,
    });
    new EipAssociation(this, 'address', { allocationId: props.elasticIp.allocationId, instanceId: this.instance.id });
  }
}
