import { SLO_ERROR_RATIO_WINDOWS, SLO_SERIES } from '../contracts/slo-series';
import { DORA_METRICS } from '../dora/exporter/metric-names';
import { RECORDED_SERIES } from '../prometheus/rule-series';
import { CONFIG_SYNC_METRICS } from '../contracts/config-sync';
import { METRIC_CONVENTIONS } from '../slo/conventions';

/**
 * Every metric a dashboard may query, by producer. A panel naming anything else is a typo or a metric nothing on
 * the platform produces, and fails synth (lib/grafana/dashboard-checks.ts).
 */

/** Histogram series names: `<name>_bucket`, `<name>_sum`, `<name>_count`. */
const histogram = (name: string): string[] => [`${name}_bucket`, `${name}_sum`, `${name}_count`];

/**
 * Prometheus itself: `up` for every scrape target, `ALERTS` for every alerting rule's pending and firing alerts
 * (the error budget policy's annotations), plus the self metrics the platform dashboard reads.
 */
export const PROMETHEUS_METRICS = [
  'up',
  'ALERTS',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'prometheus_tsdb_head_series',
  'prometheus_tsdb_storage_blocks_bytes',
  'prometheus_rule_evaluation_failures_total',
  'prometheus_rule_group_last_duration_seconds',
  'prometheus_notifications_errors_total',
  'prometheus_notifications_dropped_total',
  'prometheus_config_last_reload_successful',
  'prometheus_target_scrapes_exceeded_sample_limit_total',
  'prometheus_rule_group_interval_seconds',
  'prometheus_tsdb_compactions_failed_total',
  'prometheus_tsdb_wal_writes_failed_total',
] as const;

/** Node Exporter (host dashboard). */
export const NODE_EXPORTER_METRICS = [
  'node_uname_info',
  'node_boot_time_seconds',
  'node_time_seconds',
  'node_cpu_seconds_total',
  'node_load1',
  'node_load5',
  'node_load15',
  'node_memory_MemTotal_bytes',
  'node_memory_MemAvailable_bytes',
  'node_memory_SwapTotal_bytes',
  'node_memory_SwapFree_bytes',
  'node_filesystem_size_bytes',
  'node_filesystem_avail_bytes',
  'node_filesystem_readonly',
  'node_disk_read_bytes_total',
  'node_disk_written_bytes_total',
  'node_disk_io_time_seconds_total',
  'node_network_receive_bytes_total',
  'node_network_transmit_bytes_total',
  'node_network_receive_errs_total',
  'node_network_transmit_errs_total',
  'node_vmstat_oom_kill',
  'node_pressure_cpu_waiting_seconds_total',
  'node_pressure_memory_waiting_seconds_total',
  'node_pressure_io_waiting_seconds_total',
  'node_filesystem_files',
  'node_filesystem_files_free',
  'node_network_receive_packets_total',
  'node_network_transmit_packets_total',
  'node_nf_conntrack_entries',
  'node_nf_conntrack_entries_limit',
  'node_textfile_scrape_error',
  'node_timex_offset_seconds',
  'node_timex_sync_status',
  'node_timex_maxerror_seconds',
  'node_filefd_allocated',
  'node_filefd_maximum',
  'node_disk_io_time_weighted_seconds_total',
  'node_vmstat_pgmajfault',
  // The systemd collector, limited to the platform's units (lib/host/systemd-units.ts).
  'node_systemd_unit_state',
  'node_systemd_service_restart_total',
] as const;

/**
 * The process collector of the Prometheus client libraries: every platform component written with one exposes
 * these on its own job (prometheus, node, blackbox-exporter, alertmanager, loki, tempo, grafana).
 */
export const PROCESS_METRICS = ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'process_open_fds'] as const;

/** The host's config sync, through node exporter's textfile collector (job `node`; lib/contracts/config-sync.ts). */
export const CONFIG_SYNC_TEXTFILE_METRICS: readonly string[] = Object.values(CONFIG_SYNC_METRICS);

/** Blackbox Exporter HTTP probes (uptime dashboard). */
export const BLACKBOX_METRICS = [
  'probe_success',
  'probe_duration_seconds',
  'probe_http_status_code',
  'probe_http_duration_seconds',
  'probe_ssl_earliest_cert_expiry',
  'probe_http_ssl',
] as const;

/** The app contract: what every service's /metrics exposes (labels `status`, `le`; `service`/`environment` added at scrape). */
export const APP_CONTRACT_METRICS = ['http_requests_total', ...histogram('http_request_duration_seconds'), 'http_requests_in_progress'] as const;

/** The app contract of the opentelemetry convention (HTTP semantic conventions, as remote write names them). */
export const OTEL_APP_CONTRACT_METRICS = [
  ...histogram(METRIC_CONVENTIONS.opentelemetry.durationHistogram),
  METRIC_CONVENTIONS.opentelemetry.inProgress,
] as const;

/** Alertmanager, Loki, Tempo and OpenTelemetry Collector self metrics (platform dashboard). */
export const COMPONENT_METRICS = [
  'alertmanager_alerts',
  'alertmanager_notifications_total',
  'alertmanager_notifications_failed_total',
  'alertmanager_config_last_reload_successful',
  'loki_distributor_lines_received_total',
  'loki_distributor_bytes_received_total',
  'loki_ingester_memory_streams',
  'tempo_distributor_spans_received_total',
  'tempo_ingester_live_traces',
  'otelcol_receiver_accepted_spans_total',
  'otelcol_receiver_refused_spans_total',
  'otelcol_receiver_accepted_log_records_total',
  'otelcol_receiver_refused_log_records_total',
  'otelcol_receiver_accepted_metric_points_total',
  'otelcol_exporter_send_failed_spans_total',
  'otelcol_exporter_send_failed_log_records_total',
  'otelcol_exporter_send_failed_metric_points_total',
] as const;

/** Tempo's metrics generator, remote-written into Prometheus: span metrics and the service graph. */
export const TEMPO_GENERATED_METRICS = [
  'traces_spanmetrics_calls_total',
  ...histogram('traces_spanmetrics_latency'),
  'traces_service_graph_request_total',
  'traces_service_graph_request_failed_total',
  ...histogram('traces_service_graph_request_server_seconds'),
  ...histogram('traces_service_graph_request_client_seconds'),
] as const;

/** The SLO recording rules (lib/contracts/slo-series.ts), every window included. */
export const SLO_METRICS: readonly string[] = [
  ...SLO_ERROR_RATIO_WINDOWS.map((window) => SLO_SERIES.errorRatio(window)),
  ...Object.values(SLO_SERIES as Record<string, unknown>).filter((value): value is string => typeof value === 'string'),
];

/** The DORA exporter (lib/dora/exporter/metric-names.ts); the four duration series are histograms. */
const DORA_HISTOGRAMS: readonly string[] = [
  DORA_METRICS.leadTime,
  DORA_METRICS.leadTimeQueue,
  DORA_METRICS.leadTimePipeline,
  DORA_METRICS.leadTimeConfirmation,
  DORA_METRICS.timeToRestore,
];
export const DORA_EXPORTER_METRICS: readonly string[] = Object.values(DORA_METRICS).flatMap((name) =>
  DORA_HISTOGRAMS.includes(name) ? histogram(name) : [name],
);

/** Recording rules of the rule files (lib/prometheus/rule-series.ts) other than the SLO series above. */
export const RULE_CATALOG_METRICS: readonly string[] = RECORDED_SERIES.filter((name) => !SLO_METRICS.includes(name));

/** The one catalog: every metric name the platform produces, by producer. */
export const METRIC_CATALOG: Readonly<Record<string, readonly string[]>> = {
  prometheus: PROMETHEUS_METRICS,
  'component processes': PROCESS_METRICS,
  'node-exporter': NODE_EXPORTER_METRICS,
  'config sync (textfile)': CONFIG_SYNC_TEXTFILE_METRICS,
  'blackbox-exporter': BLACKBOX_METRICS,
  'app contract': APP_CONTRACT_METRICS,
  'app contract (OpenTelemetry)': OTEL_APP_CONTRACT_METRICS,
  'platform components': COMPONENT_METRICS,
  'tempo metrics-generator': TEMPO_GENERATED_METRICS,
  'SLO recording rules': SLO_METRICS,
  'DORA exporter': DORA_EXPORTER_METRICS,
  'rule catalog': RULE_CATALOG_METRICS,
};

const KNOWN = new Set(Object.values(METRIC_CATALOG).flat());

/** Whether something on the platform produces this metric. */
export function isKnownMetric(name: string): boolean {
  return KNOWN.has(name);
}
