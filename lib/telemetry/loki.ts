import { dump } from 'js-yaml';
import { durationSeconds, type PlatformConfig } from '../config/schema';
import { placeholderScaleEndpoints, type ScaleEndpoints } from '../contracts/scale-endpoints';
import type { HostContext, HostFile } from '../shared/host-file';
import { PORTS } from '../contracts/ports';
import { PATHS, dataDir } from '../shared/host-paths';

/** Hours in a schema duration, the unit every Loki/Tempo duration field accepts. */
export function hours(duration: string): string {
  return `${Math.round(durationSeconds(duration) / 3600)}h`;
}

/**
 * Loki as one process: filesystem storage on the data volume, TSDB index (schema v13, which OTLP ingestion
 * needs), retention `host.retention.logs` enforced by the compactor. HTTP and gRPC listen on loopback only:
 * Loki has no authentication of its own (push, query, tail, delete, `/config`, `/ingester/shutdown` are all
 * open to whoever reaches 3100), so logs arrive only through the host's collector, which authenticates senders.
 */
export function renderLokiConfig(config: PlatformConfig, context?: HostContext): string {
  const root = dataDir('loki');
  const doc: Record<string, unknown> = {
    auth_enabled: false,
    server: {
      http_listen_address: '127.0.0.1',
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
      storage: { filesystem: { chunks_directory: `${root}/chunks`, rules_directory: PATHS.lokiRulesDir } },
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
  const scale = config.scale === 'distributed' ? (context?.scale ?? placeholderScaleEndpoints(config)) : undefined;
  if (scale) Object.assign(doc, lokiObjectStorage(root, scale));
  return `# Rendered by the LGTM platform from config/platform.yaml; do not edit on the host.\n${dump(doc, { lineWidth: -1, noRefs: true })}`;
}

/**
 * `scale: distributed`: chunks and the TSDB index live in the S3 bucket (credentials from the instance role,
 * through the AWS SDK's default chain), and the rings keep their state in memberlist instead of memory. Still
 * one process: memberlist binds to, joins and advertises 127.0.0.1 (`common.instance_addr`), so Loki's simple
 * scalable targets (`-target=write`, `read`, `backend`) on other nodes could not join with this file; that
 * needs per-node addresses and real peers in join_members, which this file does not render. The compactor applies retention and deletes in the bucket. Every key is checked
 * against Loki's config structs at the pinned tag (__tests__/scale/allowlists/loki.json).
 */
function lokiObjectStorage(root: string, scale: ScaleEndpoints): Record<string, unknown> {
  return {
    common: {
      instance_addr: '127.0.0.1',
      path_prefix: root,
      replication_factor: 1,
      ring: { kvstore: { store: 'memberlist' } },
      storage: { s3: { bucketnames: scale.lokiBucket, region: scale.region, s3forcepathstyle: false } },
    },
    memberlist: {
      bind_addr: ['127.0.0.1'],
      bind_port: PORTS.lokiMemberlist,
      join_members: [`127.0.0.1:${PORTS.lokiMemberlist}`],
    },
    schema_config: {
      configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 's3', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    storage_config: {
      tsdb_shipper: { active_index_directory: `${root}/tsdb-index`, cache_location: `${root}/tsdb-cache` },
    },
    compactor: {
      working_directory: `${root}/compactor`,
      compaction_interval: '10m',
      retention_enabled: true,
      retention_delete_delay: '2h',
      delete_request_store: 's3',
    },
  };
}

export function renderLokiFiles(config: PlatformConfig, context?: HostContext): HostFile[] {
  return [{ path: PATHS.lokiConfig, content: renderLokiConfig(config, context) }];
}
