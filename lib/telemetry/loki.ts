import { dump } from 'js-yaml';
import { durationSeconds, type PlatformConfig } from '../config/schema';
import type { HostFile } from '../host/host-file';
import { PORTS } from '../host/ports';
import { PATHS, dataDir } from '../host/paths';

/** Hours in a schema duration, the unit every Loki/Tempo duration field accepts. */
export function hours(duration: string): string {
  return `${Math.round(durationSeconds(duration) / 3600)}h`;
}

/**
 * Loki as one process: filesystem storage on the data volume, TSDB index (schema v13, which OTLP ingestion
 * needs), retention `host.retention.logs` enforced by the compactor. The push API (HTTP, 3100) faces the
 * network for `telemetrySourceCidrs`; gRPC stays on loopback.
 */
export function renderLokiConfig(config: PlatformConfig): string {
  const root = dataDir('loki');
  const doc = {
    auth_enabled: false,
    server: {
      http_listen_address: '0.0.0.0',
      http_listen_port: PORTS.loki,
      grpc_listen_address: '127.0.0.1',
      grpc_listen_port: PORTS.lokiGrpc,
      log_level: 'info',
    },
    common: {
      instance_addr: '127.0.0.1',
      path_prefix: root,
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
      storage: { filesystem: { chunks_directory: `${root}/chunks`, rules_directory: `${root}/rules` } },
    },
    schema_config: {
      configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    limits_config: {
      retention_period: hours(config.host.retention.logs),
      allow_structured_metadata: true,
      reject_old_samples: true,
      reject_old_samples_max_age: '168h',
      ingestion_rate_mb: 8,
      ingestion_burst_size_mb: 16,
    },
    compactor: {
      working_directory: `${root}/compactor`,
      compaction_interval: '10m',
      retention_enabled: true,
      retention_delete_delay: '2h',
      delete_request_store: 'filesystem',
    },
    analytics: { reporting_enabled: false },
  };
  return `# Rendered by the LGTM platform from config/platform.yaml; do not edit on the host.\n${dump(doc, { lineWidth: -1, noRefs: true })}`;
}

export function renderLokiFiles(config: PlatformConfig): HostFile[] {
  return [{ path: PATHS.lokiConfig, content: renderLokiConfig(config) }];
}
