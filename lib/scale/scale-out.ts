import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import type { PlatformConfig } from '../config/schema';
import { scaleSettings, usesAmp, type ScaleEndpoints, type ScaleSettings } from '../contracts/scale-endpoints';
import { Construct, TerraformOutput } from '../framework';
import type { LongTermMetricsStore } from '../grafana/data-sources';
import { renderIngestCollectorConfig } from '../telemetry/ingest-collector';
import { hostPortsReachedBy } from '../host/services';
import { IngestFleet } from './ingest-fleet';
import { UPSTREAM_HOST_PLACEHOLDER, renderIngestUserData } from './ingest-user-data';
import { ManagedPrometheus } from './managed-prometheus';
import { TelemetryBuckets } from './telemetry-buckets';
import { otlpCaParameter, otlpEnvironments, otlpIngestTlsParameters } from '../telemetry/otlp-sources';

export interface ScaleOutProps {
  /** The validated platform description, with `scale: distributed`. */
  readonly config: PlatformConfig;
}

/** Where the ingest fleet runs and whom it serves; known once the host exists. */
export interface IngestPlacement {
  readonly partition: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly hostSecurityGroupId: string;
  /** The monitoring host's private address, which the nodes forward to. */
  readonly hostPrivateIp: string;
  /** The key of the SSM parameters (the OTLP token the nodes read). */
  readonly secretsKmsKeyArn: string;
  /** The monitoring host's role, which publishes the nodes' certificate. */
  readonly hostRoleName: string;
}

/**
 * The distributed engines' infrastructure: Loki's and Tempo's buckets, the AMP workspace (when the metrics store
 * is AMP), and optionally the ingest fleet. It hands the host's renderers their endpoints, the host role its
 * bucket and workspace ARNs, and Grafana its long-term metrics store.
 */
export class ScaleOut extends Construct {
  readonly settings: ScaleSettings;
  readonly buckets: TelemetryBuckets;
  readonly managedPrometheus?: ManagedPrometheus;
  readonly endpoints: ScaleEndpoints;
  ingest?: IngestFleet;
  private readonly config: PlatformConfig;

  constructor(scope: Construct, id: string, props: ScaleOutProps) {
    super(scope, id);
    const settings = scaleSettings(props.config);
    if (!settings) throw new Error('ScaleOut needs scale: distributed');
    this.settings = settings;
    this.config = props.config;
    const { config } = props;
    this.buckets = new TelemetryBuckets(this, 'buckets', {
      namePrefix: config.name,
      logRetentionDays: settings.logRetentionDays,
      traceRetentionDays: settings.traceRetentionDays,
      noncurrentVersionDays: settings.noncurrentVersionDays,
    });
    const store = settings.metricsStore;
    const base = { lokiBucket: this.buckets.logs.bucket.bucket, tempoBucket: this.buckets.traces.bucket.bucket, region: config.region };
    if (usesAmp(store)) {
      this.managedPrometheus = new ManagedPrometheus(this, 'metrics', { alias: store.amp.alias ?? `${config.name}-metrics` });
      this.endpoints = {
        ...base,
        remoteWriteUrl: this.managedPrometheus.remoteWriteUrl,
        queryUrl: this.managedPrometheus.queryUrl,
        sigv4Region: config.region,
      };
      new TerraformOutput(this, 'amp_workspace_id', {
        value: this.managedPrometheus.workspace.id,
        description: 'Amazon Managed Service for Prometheus workspace',
      });
    } else {
      this.endpoints = { ...base, remoteWriteUrl: store.remoteWriteUrl, queryUrl: store.queryUrl };
    }
    new TerraformOutput(this, 'logs_bucket', { value: this.buckets.logs.bucket.bucket, description: 'Loki chunks and index' });
    new TerraformOutput(this, 'traces_bucket', { value: this.buckets.traces.bucket.bucket, description: 'Tempo blocks' });
  }

  /** The store Grafana's Prometheus data source reads, or undefined to keep reading the local Prometheus. */
  get longTermStore(): LongTermMetricsStore | undefined {
    if (!this.endpoints.queryUrl) return undefined;
    return { url: this.endpoints.queryUrl, sigv4Region: this.endpoints.sigv4Region };
  }

  /** ARNs the host role is granted on: the two buckets, and the workspace. */
  get bucketArns(): string[] {
    return this.buckets.all.map((b) => b.bucket.arn);
  }

  /** Creates the ingest fleet when `distributed.ingest` is set. */
  addIngestFleet(placement: IngestPlacement): IngestFleet | undefined {
    const ingest = this.settings.ingest;
    if (!ingest) return undefined;
    const config = this.config;
    const subnetIds =
      ingest.subnetIds ??
      (config.host.subnetId
        ? [config.host.subnetId]
        : new DataAwsSubnets(this, 'default-subnets', {
            filter: [
              { name: 'vpc-id', values: [placement.vpcId] },
              { name: 'default-for-az', values: ['true'] },
            ],
          }).ids);
    const mirror = config.host.artifactMirror;
    this.ingest = new IngestFleet(this, 'ingest', {
      namePrefix: config.name,
      partition: placement.partition,
      region: config.region,
      accountId: placement.accountId,
      vpcId: placement.vpcId,
      subnetIds,
      instanceType: ingest.instanceType,
      nodes: ingest.nodes,
      telemetrySourceCidrs: config.host.telemetrySourceCidrs,
      hostSecurityGroupId: placement.hostSecurityGroupId,
      hostPortsForNodes: hostPortsReachedBy(config, 'ingest-fleet'),
      userDataScript: renderIngestUserData(config, ingest.instanceType, renderIngestCollectorConfig(config, { hostAddress: UPSTREAM_HOST_PLACEHOLDER })),
      hostAddress: placement.hostPrivateIp,
      artifactMirror: mirror?.s3Bucket ? { bucket: mirror.s3Bucket, prefix: mirror.prefix } : undefined,
      otlpEnvironments: otlpEnvironments(config),
      otlpCaParameter: otlpCaParameter(config),
      secretsKmsKeyArn: placement.secretsKmsKeyArn,
      ingestTlsParameters: otlpIngestTlsParameters(config),
      hostRoleName: placement.hostRoleName,
    });
    new TerraformOutput(this, 'otlp_endpoint', {
      value: this.ingest.endpoint,
      description: `Send OTLP here, on your environment's ports: ${otlpEnvironments(config)
        .map((e) => `${e.name} gRPC ${e.grpcPort}, HTTP ${e.httpPort}`)
        .join('; ')}`,
    });
    return this.ingest;
  }
}
