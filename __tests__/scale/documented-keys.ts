/**
 * The configuration keys our Loki and Tempo renders may use, written down from each project's configuration
 * reference for the pinned versions (lib/host/artifacts.ts: Loki 3.5.0, Tempo 2.8.1). No Loki or Tempo binary
 * runs here, so the tests check every rendered key against these trees instead.
 *
 * Checked (2026-11-25, through the `search` tool):
 * - Loki `docs/sources/shared/configuration.md` (grafana/loki): top-level `auth_enabled`, `server`, `common`
 *   (`path_prefix`, `instance_addr`, `replication_factor`, `ring.kvstore.store` with `memberlist` among its
 *   values, `storage.s3` / `storage.filesystem`), `memberlist` (`bind_addr`, `bind_port`, `join_members`),
 *   `schema_config.configs[]` (`from`, `store`, `object_store`, `schema`, `index.prefix`, `index.period`),
 *   `storage_config.tsdb_shipper` (`active_index_directory`, `cache_location`), `s3_storage_config`
 *   (`s3`, `s3forcepathstyle`, `bucketnames`, `endpoint`, `region`, `access_key_id`, `secret_access_key`,
 *   `insecure`), `compactor` (`working_directory`, `compaction_interval`, `retention_enabled`,
 *   `retention_delete_delay`, `delete_request_store` — "Store used for managing delete requests"),
 *   `limits_config` and `analytics.reporting_enabled`.
 * - Tempo configuration reference and "Amazon S3 and S3-compatible storage" (grafana.com/docs/tempo):
 *   `storage.trace.backend: s3`, `storage.trace.s3` (`bucket`, `prefix`, `endpoint`, `region`, `insecure`,
 *   `forcepathstyle`; credentials from the EC2 instance role when `access_key`/`secret_key` are absent),
 *   `storage.trace.wal.path`, `storage.trace.local.path`, `memberlist`, `distributor.receivers.otlp`,
 *   `compactor.compaction.block_retention`, `metrics_generator`, `overrides.defaults`, `usage_report`.
 * - Tempo source at tag v2.8.1 (2026-12-01, through `fetch`): the rings' advertised addresses,
 *   `ingester.lifecycler.address` (dskit ring.LifecyclerConfig `yaml:"address"`, embedded by
 *   modules/ingester/config.go), `metrics_generator.ring.instance_addr` (modules/generator/generator_ring.go),
 *   `distributor.ring.instance_addr` (modules/distributor/distributor_ring.go), `compactor.ring.instance_addr`
 *   (modules/compactor/compactor_ring.go); `overrides.defaults.metrics_generator.trace_id_label_name`
 *   (modules/overrides/config.go MetricsGeneratorOverrides).
 */

/** A tree of allowed keys: `true` is a leaf (any scalar or list of scalars), `ANY` a free-form map. */
export type KeyTree = { readonly [key: string]: KeyTree | true | typeof ANY };
export const ANY = 'any-keys' as const;

const server: KeyTree = {
  http_listen_address: true,
  http_listen_port: true,
  grpc_listen_address: true,
  grpc_listen_port: true,
  log_level: true,
};

const memberlist: KeyTree = { bind_addr: true, bind_port: true, join_members: true, abort_if_cluster_join_fails: true };

const lokiS3: KeyTree = {
  s3: true,
  s3forcepathstyle: true,
  bucketnames: true,
  endpoint: true,
  region: true,
  access_key_id: true,
  secret_access_key: true,
  insecure: true,
};

export const LOKI_3_5_KEYS: KeyTree = {
  target: true,
  auth_enabled: true,
  server,
  common: {
    path_prefix: true,
    instance_addr: true,
    replication_factor: true,
    ring: { kvstore: { store: true } },
    storage: { s3: lokiS3, filesystem: { chunks_directory: true, rules_directory: true } },
  },
  memberlist,
  schema_config: { configs: { from: true, store: true, object_store: true, schema: true, index: { prefix: true, period: true } } },
  storage_config: {
    tsdb_shipper: { active_index_directory: true, cache_location: true },
    aws: lokiS3,
    filesystem: { directory: true },
  },
  limits_config: {
    retention_period: true,
    allow_structured_metadata: true,
    reject_old_samples: true,
    reject_old_samples_max_age: true,
    ingestion_rate_mb: true,
    ingestion_burst_size_mb: true,
  },
  compactor: {
    working_directory: true,
    compaction_interval: true,
    retention_enabled: true,
    retention_delete_delay: true,
    delete_request_store: true,
  },
  analytics: { reporting_enabled: true },
};

const otlpProtocols: KeyTree = { protocols: { grpc: { endpoint: true }, http: { endpoint: true } } };

export const TEMPO_2_8_KEYS: KeyTree = {
  stream_over_http_enabled: true,
  target: true,
  server,
  memberlist,
  distributor: { receivers: { otlp: otlpProtocols }, ring: { instance_addr: true } },
  ingester: { max_block_duration: true, lifecycler: { address: true } },
  compactor: { compaction: { block_retention: true }, ring: { instance_addr: true } },
  metrics_generator: {
    ring: { instance_addr: true },
    registry: { external_labels: ANY },
    storage: { path: true, remote_write: { url: true, send_exemplars: true } },
    traces_storage: { path: true },
  },
  storage: {
    trace: {
      backend: true,
      wal: { path: true },
      local: { path: true },
      s3: { bucket: true, prefix: true, endpoint: true, region: true, insecure: true, forcepathstyle: true },
    },
  },
  overrides: { defaults: { metrics_generator: { processors: true, trace_id_label_name: true } } },
  usage_report: { reporting_enabled: true },
};

/** Dotted paths of every key in `doc` that `allowed` does not list (list elements are checked like maps). */
export function undocumentedKeys(doc: unknown, allowed: KeyTree, at = ''): string[] {
  if (Array.isArray(doc)) return doc.flatMap((item, i) => undocumentedKeys(item, allowed, `${at}[${i}]`));
  if (doc === null || typeof doc !== 'object') return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const path = at ? `${at}.${key}` : key;
    const rule = allowed[key];
    if (rule === undefined) found.push(path);
    else if (rule === true) {
      if (value !== null && typeof value === 'object' && !(Array.isArray(value) && value.every((v) => typeof v !== 'object')))
        found.push(`${path} (expected a scalar)`);
    } else if (rule !== ANY) found.push(...undocumentedKeys(value, rule, path));
  }
  return found;
}
