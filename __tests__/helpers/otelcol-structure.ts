/**
 * A structural check of a rendered OpenTelemetry Collector config that `otelcol validate` does not make: every
 * defined component is used by a pipeline (validate accepts unused ones). It also checks that every component a
 * pipeline names is defined and every key is in an allowlist written down from the contrib 0.135 READMEs; the
 * authority on keys is the pinned collector itself (__tests__/telemetry/otelcol-validate.test.ts).
 * Returns the problems found; an empty list means the config passed.
 */

type Tree = Record<string, unknown>;

/**
 * Documented keys per component type (the part of a component id before `/`), as nested allowlists: a key
 * mapping to `true` takes any value, to an object is checked recursively.
 * Sources: the READMEs / config.go of opentelemetry-collector(-contrib) v0.135.0 for otlpreceiver,
 * journaldreceiver, filelogreceiver, hostmetricsreceiver, memorylimiterprocessor, batchprocessor,
 * resourcedetectionprocessor, resourceprocessor, filterprocessor, attributesprocessor, otlpexporter (+ exporterhelper retry/queue),
 * otlphttpexporter, prometheusremotewriteexporter, healthcheckextension, bearertokenauthextension, filestorage.
 */
export const OTELCOL_KEY_ALLOWLIST: Record<'receivers' | 'processors' | 'exporters' | 'extensions', Record<string, Tree>> = {
  receivers: {
    otlp: {
      protocols: {
        // tls: configtls.ServerConfig, max_request_body_size: confighttp.ServerConfig (collector v0.160.0 / config v1.66.0).
        grpc: {
          endpoint: true,
          max_recv_msg_size_mib: true,
          auth: { authenticator: true },
          tls: { cert_file: true, key_file: true, client_ca_file: true, min_version: true },
        },
        http: {
          endpoint: true,
          cors: true,
          max_request_body_size: true,
          auth: { authenticator: true },
          tls: { cert_file: true, key_file: true, client_ca_file: true, min_version: true },
        },
      },
    },
    journald: {
      units: true,
      identifiers: true,
      matches: true,
      priority: true,
      grep: true,
      dmesg: true,
      directory: true,
      files: true,
      start_at: true,
      storage: true,
      all: true,
      operators: true,
    },
    filelog: {
      include: true,
      exclude: true,
      start_at: true,
      include_file_path: true,
      include_file_name: true,
      storage: true,
      multiline: true,
      encoding: true,
      poll_interval: true,
      max_log_size: true,
      operators: true,
    },
    hostmetrics: {
      collection_interval: true,
      initial_delay: true,
      root_path: true,
      scrapers: { cpu: true, memory: true, load: true, filesystem: true, network: true, disk: true, paging: true, processes: true },
    },
  },
  processors: {
    memory_limiter: { check_interval: true, limit_mib: true, spike_limit_mib: true, limit_percentage: true, spike_limit_percentage: true },
    batch: { timeout: true, send_batch_size: true, send_batch_max_size: true },
    resourcedetection: { detectors: true, timeout: true, override: true, ec2: true, system: true },
    resource: { attributes: true },
    filter: { error_mode: true, metrics: { metric: true, datapoint: true }, logs: { log_record: true }, traces: { span: true, spanevent: true } },
    attributes: { actions: true, include: true, exclude: true },
  },
  exporters: {
    otlp: {
      endpoint: true,
      tls: { insecure: true, ca_file: true, server_name_override: true },
      compression: true,
      timeout: true,
      retry_on_failure: { enabled: true, initial_interval: true, max_interval: true, max_elapsed_time: true, multiplier: true, randomization_factor: true },
      sending_queue: { enabled: true, storage: true, queue_size: true, num_consumers: true, sizer: true, block_on_overflow: true },
    },
    otlphttp: { endpoint: true, tls: true, compression: true, timeout: true, retry_on_failure: true, sending_queue: true, auth: { authenticator: true } },
    prometheusremotewrite: { endpoint: true, resource_to_telemetry_conversion: { enabled: true }, tls: true, retry_on_failure: true, remote_write_queue: true },
  },
  extensions: {
    health_check: { endpoint: true, path: true },
    bearertokenauth: { filename: true, token: true, tokens: true, scheme: true, header: true },
    file_storage: {
      directory: true,
      timeout: true,
      create_directory: true,
      fsync: true,
      compaction: { on_start: true, on_rebound: true, directory: true, max_transaction_size: true },
    },
  },
};

const SECTIONS = ['receivers', 'processors', 'exporters', 'extensions'] as const;
const SIGNALS = new Set(['logs', 'traces', 'metrics']);

function checkKeys(value: unknown, allowed: Tree | true, where: string, problems: string[]): void {
  if (allowed === true || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, inner] of Object.entries(value as Tree)) {
    const rule = allowed[key];
    if (rule === undefined) problems.push(`${where}: key "${key}" is not documented for this component (allowed: ${Object.keys(allowed).join(', ')})`);
    else checkKeys(inner, rule as Tree | true, `${where}.${key}`, problems);
  }
}

export function otelcolProblems(doc: any): string[] {
  const problems: string[] = [];
  const used: Record<(typeof SECTIONS)[number], Set<string>> = { receivers: new Set(), processors: new Set(), exporters: new Set(), extensions: new Set() };
  for (const id of doc.service?.extensions ?? []) used.extensions.add(id);
  for (const [name, pipeline] of Object.entries<any>(doc.service?.pipelines ?? {})) {
    if (!SIGNALS.has(name.split('/')[0])) problems.push(`pipeline ${name}: not a logs, traces or metrics pipeline`);
    for (const section of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of pipeline[section] ?? []) {
        used[section].add(id);
        if (!doc[section] || !(id in doc[section])) problems.push(`pipeline ${name} uses ${section.slice(0, -1)} ${id}, which is not defined`);
      }
    }
    if (!(pipeline.receivers?.length > 0) || !(pipeline.exporters?.length > 0)) problems.push(`pipeline ${name}: needs a receiver and an exporter`);
  }
  for (const id of doc.service?.extensions ?? [])
    if (!doc.extensions || !(id in doc.extensions)) problems.push(`service uses extension ${id}, which is not defined`);
  for (const section of SECTIONS) {
    for (const [id, settings] of Object.entries<unknown>(doc[section] ?? {})) {
      if (!used[section].has(id)) problems.push(`${section}.${id} is defined but no pipeline uses it`);
      const type = id.split('/')[0];
      const allowed = OTELCOL_KEY_ALLOWLIST[section][type];
      if (!allowed) problems.push(`${section}.${id}: component type ${type} is not in the allowlist`);
      else checkKeys(settings ?? {}, allowed, `${section}.${id}`, problems);
    }
  }
  // Storage references point at a defined file_storage extension.
  const storages = (settings: any) => [settings?.storage, settings?.sending_queue?.storage].filter((s) => typeof s === 'string');
  for (const section of ['receivers', 'exporters'] as const)
    for (const [id, settings] of Object.entries<any>(doc[section] ?? {}))
      for (const storage of storages(settings))
        if (!used.extensions.has(storage)) problems.push(`${section}.${id} stores in ${storage}, which is not an enabled extension`);
  return problems;
}
