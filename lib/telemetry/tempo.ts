import { dump } from 'js-yaml';
import type { PlatformConfig } from '../config/schema';
import type { HostFile } from '../host/host-file';
import { PORTS } from '../host/ports';
import { PATHS, dataDir } from '../host/paths';
import { hours } from './loki';

/**
 * Tempo as one process on loopback: local block storage on the data volume, retention
 * `host.retention.traces`, OTLP gRPC from the collector on 127.0.0.1:4417, and the metrics-generator
 * producing span metrics and service graphs, remote-written into Prometheus.
 */
export function renderTempoConfig(config: PlatformConfig): string {
  const root = dataDir('tempo');
  const doc = {
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
  return `# Rendered by the LGTM platform from config/platform.yaml; do not edit on the host.\n${dump(doc, { lineWidth: -1, noRefs: true })}`;
}

export function renderTempoFiles(config: PlatformConfig): HostFile[] {
  return [{ path: PATHS.tempoConfig, content: renderTempoConfig(config) }];
}
