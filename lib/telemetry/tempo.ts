import { dump } from 'js-yaml';
import type { PlatformConfig } from '../config/schema';
import { placeholderScaleEndpoints, scaleSettings, type ScaleEndpoints } from '../contracts/scale-endpoints';
import type { HostContext, HostFile } from '../host/host-file';
import { PORTS } from '../contracts/ports';
import { PATHS, dataDir } from '../host/paths';
import { hours } from './loki';

/**
 * Tempo as one process on loopback: local block storage on the data volume, retention
 * `host.retention.traces`, OTLP gRPC from the collector on 127.0.0.1:4417, and the metrics-generator
 * producing span metrics and service graphs, remote-written into Prometheus.
 */
export function renderTempoConfig(config: PlatformConfig, context?: HostContext): string {
  const root = dataDir('tempo');
  const doc: Record<string, unknown> = {
    stream_over_http_enabled: true,
    server: {
      http_listen_address: '127.0.0.1',
      http_listen_port: PORTS.tempo,
      grpc_listen_address: '127.0.0.1',
      grpc_listen_port: PORTS.tempoGrpc,
      log_level: 'info',
    },
    memberlist: { bind_addr: ['127.0.0.1'] },
    distributor: {
      receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${PORTS.tempoOtlpGrpc}` } } } },
    },
    ingester: { max_block_duration: '5m' },
    compactor: { compaction: { block_retention: hours(config.host.retention.traces) } },
    metrics_generator: {
      registry: { external_labels: { source: 'tempo' } },
      storage: {
        path: `${root}/generator/wal`,
        remote_write: [{ url: `http://127.0.0.1:${PORTS.prometheus}/api/v1/write`, send_exemplars: true }],
      },
      traces_storage: { path: `${root}/generator/traces` },
    },
    storage: {
      trace: {
        backend: 'local',
        wal: { path: `${root}/wal` },
        local: { path: `${root}/blocks` },
      },
    },
    overrides: {
      defaults: { metrics_generator: { processors: ['service-graphs', 'span-metrics', 'local-blocks'] } },
    },
    usage_report: { reporting_enabled: false },
  };
  const scale = config.scale === 'distributed' ? (context?.scale ?? placeholderScaleEndpoints(config)) : undefined;
  if (scale) Object.assign(doc, tempoObjectStorage(config, root, scale));
  return `# Rendered by the LGTM platform from config/platform.yaml; do not edit on the host.\n${dump(doc, { lineWidth: -1, noRefs: true })}`;
}

/**
 * `scale: distributed`: blocks live in the S3 bucket (instance-role credentials), the WAL stays on the data
 * volume, and the rings gossip over memberlist on their own port (Loki's is 7946), so distributor, ingester and
 * querier targets can be added with the same storage settings. With ingest nodes, the distributor's OTLP gRPC
 * receiver also listens beyond loopback (the security group admits only the ingest nodes). Keys checked
 * against Tempo's configuration reference (storage.trace.s3: bucket, endpoint, region; memberlist); see
 * __tests__/scale/documented-keys.ts.
 */
function tempoObjectStorage(config: PlatformConfig, root: string, scale: ScaleEndpoints): Record<string, unknown> {
  const ingest = scaleSettings(config)?.ingest;
  return {
    memberlist: {
      bind_addr: ['127.0.0.1'],
      bind_port: PORTS.tempoMemberlist,
      join_members: [`127.0.0.1:${PORTS.tempoMemberlist}`],
    },
    ...(ingest
      ? { distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${PORTS.tempoOtlpGrpc}` } } } } } }
      : {}),
    storage: {
      trace: {
        backend: 's3',
        wal: { path: `${root}/wal` },
        s3: { bucket: scale.tempoBucket, endpoint: `s3.${scale.region}.amazonaws.com`, region: scale.region },
      },
    },
  };
}

export function renderTempoFiles(config: PlatformConfig, context?: HostContext): HostFile[] {
  return [{ path: PATHS.tempoConfig, content: renderTempoConfig(config, context) }];
}
