import { durationSeconds, type IngestConfig, type MetricsStoreConfig, type PlatformConfig } from '../config/schema';

/**
 * What the renderers of `scale: distributed` need from the infra stack: bucket names and the metrics store's
 * URLs. At synth they are Terraform tokens (resolved at apply time); `npm run render` and the tests use
 * `placeholderScaleEndpoints`, whose values are recognisably not real.
 */
export interface ScaleEndpoints {
  /** S3 bucket holding Loki's chunks and TSDB index. */
  readonly lokiBucket: string;
  /** S3 bucket holding Tempo's blocks. */
  readonly tempoBucket: string;
  /** Region of both buckets and of an AMP workspace. */
  readonly region: string;
  /** Prometheus remote-write endpoint of the long-term store. */
  readonly remoteWriteUrl: string;
  /** Base URL Grafana's Prometheus data source reads from (Prometheus HTTP API), when the store is queryable. */
  readonly queryUrl?: string;
  /** Set when the store is an AMP workspace: requests are signed with SigV4 in this region. */
  readonly sigv4Region?: string;
}

/** The normalised distributed settings, or undefined for `scale: single`. */
export interface ScaleSettings {
  readonly metricsStore: MetricsStoreConfig;
  readonly ingest?: IngestConfig & { readonly nodes: { min: number; max: number; desired: number } };
  /** Days Loki keeps logs (from `host.retention.logs`), also the logs bucket's expiration. */
  readonly logRetentionDays: number;
  /** Days Tempo keeps traces (from `host.retention.traces`, rounded up), also the traces bucket's expiration. */
  readonly traceRetentionDays: number;
  readonly noncurrentVersionDays: number;
}

export function scaleSettings(config: PlatformConfig): ScaleSettings | undefined {
  if (config.scale !== 'distributed') return undefined;
  const block = config.distributed ?? { metricsStore: { amp: {} }, noncurrentVersionDays: 7 };
  const ingest = block.ingest;
  return {
    metricsStore: block.metricsStore,
    ingest: ingest ? { ...ingest, nodes: { min: ingest.nodes.min, max: ingest.nodes.max, desired: ingest.nodes.desired ?? ingest.nodes.min } } : undefined,
    logRetentionDays: Math.ceil(durationSeconds(config.host.retention.logs) / 86400),
    traceRetentionDays: Math.ceil(durationSeconds(config.host.retention.traces) / 86400),
    noncurrentVersionDays: block.noncurrentVersionDays,
  };
}

/** Whether the metrics store is an AMP workspace created by the stack. */
export function usesAmp(store: MetricsStoreConfig): store is Extract<MetricsStoreConfig, { amp: unknown }> {
  return 'amp' in store;
}

/** AMP's remote-write and query paths under a workspace's `prometheus_endpoint` (which ends in `/`). */
export const AMP_REMOTE_WRITE_PATH = 'api/v1/remote_write';

/** Placeholder id of an AMP workspace in renders without infrastructure (`npm run render`, tests). */
export const PLACEHOLDER_WORKSPACE_ID = 'ws-00000000-0000-0000-0000-000000000000';

/** Endpoints with recognisable placeholder values, for rendering without an infra stack. */
export function placeholderScaleEndpoints(config: PlatformConfig): ScaleEndpoints | undefined {
  const settings = scaleSettings(config);
  if (!settings) return undefined;
  const store = settings.metricsStore;
  const base = {
    lokiBucket: `${config.name}-logs-placeholder`,
    tempoBucket: `${config.name}-traces-placeholder`,
    region: config.region,
  };
  if (usesAmp(store)) {
    const endpoint = `https://aps-workspaces.${config.region}.amazonaws.com/workspaces/${PLACEHOLDER_WORKSPACE_ID}/`;
    return { ...base, remoteWriteUrl: `${endpoint}${AMP_REMOTE_WRITE_PATH}`, queryUrl: endpoint, sigv4Region: config.region };
  }
  return { ...base, remoteWriteUrl: store.remoteWriteUrl, queryUrl: store.queryUrl };
}
