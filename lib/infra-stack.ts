import { otlpCaParameter, otlpEnvironments } from './telemetry/otlp-sources';
import { grafanaUsersPort, hostPortsReachedBy } from './host/services';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { AppServerAgent } from './agent/app-server-agent';
import { Annotations, Construct, TerraformOutput, TerraformStack, dependencyOn } from './framework';
import { OPERATOR_REACHED, operatorUrl, portForwardCommand } from './contracts/operator-reach';
import { renderBootstrapUserData } from './host/bootstrap-user-data';
import { ConfigBucket } from './host/config-bucket';
import { GrafanaFrontDoor } from './host/grafana-front-door';
import type { HostContext, HostFile } from './shared/host-file';
import { HostRole } from './host/host-role';
import { HostSecurityGroup } from './host/host-security-group';
import { hostEgressRules } from './host/host-egress';
import { MonitoringHost } from './host/monitoring-host';
import { DataVolumeSnapshots } from './host/data-volume-snapshots';
import { hostSecretParameters } from './host/secrets';
import { SecretsKey } from './host/secrets-key';
import { ScaleOut } from './scale/scale-out';
import { modelOf, type PlatformSource } from './model/platform-source';
import { renderHostFiles } from './render-host-files';

/** The compiled platform (`model`), or the validated description (`config`), compiled here. */
export type InfraStackProps = PlatformSource & {
  /** Renders every host file once the Grafana URL (a token here) is known. @default renderHostFiles of the model */
  readonly renderFiles?: (context: HostContext) => HostFile[];
};

/** `<name>-infra`: the monitoring host, its network access, its role, and the bucket its files come from. */
export class InfraStack extends TerraformStack {
  /** Where users open Grafana; resolves at apply time. */
  readonly grafanaUrl: string;
  readonly host: MonitoringHost;
  readonly configBucket: ConfigBucket;
  /** The app servers' telemetry agents, when any environment has `agent` in config. */
  readonly agents?: AppServerAgent;
  /** Buckets, metrics store and ingest fleet of `scale: distributed`; absent on one host. */
  readonly scaleOut?: ScaleOut;
  readonly network: HostSecurityGroup;
  /** Grafana's load balancer with its ACM certificate, with `host.grafanaCertificate`. */
  readonly grafanaFrontDoor?: GrafanaFrontDoor;
  /** The host's instance role and profile. */
  readonly role: HostRole;
  /** The Elastic IP of the host (Grafana's address unless alerting.grafanaBaseUrl says otherwise). */
  readonly address: Eip;

  constructor(scope: Construct, id: string, props: InfraStackProps) {
    super(scope, id);
    const model = modelOf(props);
    const { config } = model;
    const renderFiles = props.renderFiles ?? ((context: HostContext) => renderHostFiles(model, context));
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { platform: config.name, 'managed-by': 'cdktf', ...config.tags } }],
    });
    const partition = new DataAwsPartition(this, 'partition');
    const account = new DataAwsCallerIdentity(this, 'account');

    let vpcId: string;
    let availabilityZone: string;
    if (config.host.subnetId) {
      const subnet = new DataAwsSubnet(this, 'subnet', { id: config.host.subnetId });
      vpcId = config.host.vpcId ?? subnet.vpcId;
      availabilityZone = subnet.availabilityZone;
    } else {
      vpcId = new DataAwsVpc(this, 'default-vpc', { default: true }).id;
      availabilityZone = config.host.availabilityZone ?? `${config.region}a`;
      // Placement a user did not choose is said out loud (printed by synth, not a warning: it is a supported
      // setup): the default VPC may not exist, or be the wrong network.
      Annotations.of(this).addInfo(
        `host.subnetId is not set: the monitoring host is placed in the default VPC of ${config.region}, in ${availabilityZone}; set host.subnetId (and host.vpcId) to use your own network`,
      );
    }

    const address = (this.address = new Eip(this, 'address', { domain: 'vpc', tags: { Name: `${config.name}-monitoring` } }));
    const tls = config.host.grafanaTls;
    const certificate = config.host.grafanaCertificate;
    this.grafanaUrl =
      config.alerting.grafanaBaseUrl ??
      (certificate
        ? `https://${certificate.domain}`
        : tls
          ? `https://${tls.domain ?? address.publicIp}:${config.host.grafanaPort}`
          : `http://${address.publicIp}:${config.host.grafanaPort}`);

    this.scaleOut = config.scale === 'distributed' ? new ScaleOut(this, 'scale', { config }) : undefined;
    this.configBucket = new ConfigBucket(this, 'config', { namePrefix: config.name, writerArns: config.host.configWriterArns });
    this.configBucket.addFiles(renderFiles({ grafanaUrl: this.grafanaUrl, ...(this.scaleOut ? { scale: this.scaleOut.endpoints } : {}) }));

    // The one port the security groups admit Grafana's users on, from its descriptor (the host group, or the load balancer's).
    const grafanaPort = grafanaUsersPort(config);
    const securityGroup = (this.network = new HostSecurityGroup(this, 'network', {
      namePrefix: config.name,
      vpcId,
      grafanaPort,
      // Behind its load balancer, Grafana is reached from that balancer only (GrafanaFrontDoor adds the rule).
      grafanaAllowedCidrs: certificate ? [] : config.host.grafanaAllowedCidrs,
      telemetrySourceCidrs: config.host.telemetrySourceCidrs,
      telemetryPorts: hostPortsReachedBy(config, 'telemetry-sources'),
      egress: hostEgressRules(config),
    }));
    const mirror = config.host.artifactMirror;
    const hasAgents = model.agents.length > 0;
    const secretsKey = config.host.secretsKmsKeyArn
      ? undefined
      : new SecretsKey(this, 'secrets', {
          namePrefix: config.name,
          partition: partition.partition,
          region: config.region,
          accountId: account.accountId,
          senderParameterArns: otlpEnvironments(config).map(
            (environment) => `arn:${partition.partition}:ssm:${config.region}:${account.accountId}:parameter${environment.tokenParameter}`,
          ),
        });
    const secretsKmsKeyArn = config.host.secretsKmsKeyArn ?? secretsKey!.key.arn;
    const role = (this.role = new HostRole(this, 'identity', {
      namePrefix: config.name,
      partition: partition.partition,
      region: config.region,
      accountId: account.accountId,
      configBucketArn: this.configBucket.bucket.arn,
      configKeyPrefix: this.configBucket.keyPrefix,
      configManifestParameter: this.configBucket.manifestParameterName,
      secretParameters: hostSecretParameters(config),
      secretsKmsKeyArn,
      otlpCaParameter: otlpCaParameter(config),
      artifactMirror: mirror?.s3Bucket ? { bucket: mirror.s3Bucket, prefix: mirror.prefix } : undefined,
      discoverAppServers: hasAgents || config.scrapeJobs.some((job) => job.ec2),
      telemetryBucketArns: this.scaleOut?.bucketArns,
      ampWorkspaceArn: this.scaleOut?.managedPrometheus?.arn,
    }));

    this.host = new MonitoringHost(this, 'host', {
      namePrefix: config.name,
      instanceType: config.host.instanceType,
      architecture: model.artifacts.hostArchitecture,
      availabilityZone,
      subnetId: config.host.subnetId,
      securityGroupId: securityGroup.group.id,
      instanceProfileName: role.instanceProfile.name,
      rootVolumeGiB: config.host.rootVolumeGiB,
      dataVolumeGiB: config.host.dataVolumeGiB,
      elasticIp: address,
      bootAfter: [...this.configBucket.uploaded, ...this.configBucket.ready, ...(this.scaleOut?.buckets.all.flatMap((b) => b.ready) ?? [])],
      detailedMonitoring: config.host.detailedMonitoring,
      disableApiTermination: config.host.disableApiTermination,
      userData: (dataVolumeId) =>
        renderBootstrapUserData({
          bucket: this.configBucket.bucket.bucket,
          prefix: this.configBucket.keyPrefix,
          region: config.region,
          dataVolumeId,
          manifestParameter: this.configBucket.manifestParameterName,
          awsEndpoints: config.host.awsEndpoints,
        }),
    });

    if (certificate)
      this.grafanaFrontDoor = new GrafanaFrontDoor(this, 'grafana-https', {
        namePrefix: config.name,
        vpcId,
        subnetId: this.host.instance.subnetId,
        hostSecurityGroupId: securityGroup.group.id,
        instanceId: this.host.instance.id,
        grafanaPort,
        allowedCidrs: config.host.grafanaAllowedCidrs,
        domain: certificate.domain,
        route53ZoneId: certificate.route53ZoneId,
      });

    new DataVolumeSnapshots(this, 'snapshots', {
      namePrefix: config.name,
      partition: partition.partition,
      region: config.region,
      accountId: account.accountId,
      volumeId: this.host.dataVolume.id,
      volumeName: this.host.dataVolumeName,
      retentionDays: config.host.dataVolumeSnapshotRetentionDays,
    });

    if (hasAgents)
      this.agents = new AppServerAgent(this, 'agents', {
        model,
        monitoringHostPrivateIp: this.host.instance.privateIp,
        monitoringSecurityGroupId: securityGroup.group.id,
      });
    if (this.agents)
      new TerraformOutput(this, 'monitoring_security_group_id', {
        value: securityGroup.group.id,
        description: "Admit this group on the app servers' Node Exporter port (9100) where config names no appSecurityGroupId",
      });
    secretsKey?.allowDecrypt(role.role.arn);
    const ingest = this.scaleOut?.addIngestFleet({
      partition: partition.partition,
      accountId: account.accountId,
      vpcId,
      hostSecurityGroupId: securityGroup.group.id,
      hostPrivateIp: this.host.instance.privateIp,
      secretsKmsKeyArn,
      hostRoleName: role.role.name,
    });
    if (ingest) secretsKey?.allowDecrypt(ingest.role.arn);
    // The host issues the nodes' certificate at boot for the load balancer's names: they must exist by then.
    if (ingest) this.host.instance.dependsOn = [...(this.host.instance.dependsOn ?? []), dependencyOn(ingest.tlsNamesParameter)];
    if (secretsKey) {
      new TerraformOutput(this, 'secrets_kms_key', {
        value: secretsKey.alias.name,
        description: 'Encrypt the SSM SecureString parameters with this key (aws ssm put-parameter --key-id <this>)',
      });
      new TerraformOutput(this, 'secrets_kms_key_arn', {
        value: secretsKey.key.arn,
        description: "The secrets key's ARN, for the app servers' role (kms:Decrypt of the OTLP token through SSM)",
      });
    }

    new TerraformOutput(this, 'grafana_url', { value: this.grafanaUrl, description: 'Open Grafana here' });
    new TerraformOutput(this, 'instance_id', {
      value: this.host.instance.id,
      description: 'aws ssm start-session --target <this>',
    });
    for (const [program, port] of Object.entries(OPERATOR_REACHED))
      new TerraformOutput(this, `${program}_port_forward`, {
        value: portForwardCommand(this.host.instance.id, port),
        description: `Run this, then open ${operatorUrl(port)} (the links in alerts point there)`,
      });
    new TerraformOutput(this, 'config_bucket', { value: this.configBucket.bucket.bucket, description: 'Host files' });
    new TerraformOutput(this, 'data_volume_id', { value: this.host.dataVolume.id, description: 'Protected data volume' });
  }
}
