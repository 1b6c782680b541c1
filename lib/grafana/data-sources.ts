import { DATA_SOURCES, EXEMPLAR_TRACE_ID_LABEL, type DataSourceKey } from '../contracts/data-sources';

/** One Grafana data source as the provider takes it; `jsonData` becomes `json_data_encoded`. */
export interface DataSourceSpec {
  readonly key: DataSourceKey;
  readonly name: string;
  readonly type: string;
  readonly uid: string;
  readonly url: string;
  readonly isDefault: boolean;
  readonly jsonData: Record<string, unknown>;
}

/**
 * The long-term metrics store Grafana's Prometheus data source reads instead of the local Prometheus
 * (`scale: distributed`). Same UID, name and type, so dashboards and correlations are unchanged.
 */
export interface LongTermMetricsStore {
  /** Prometheus HTTP API base URL (AMP: the workspace's `prometheus_endpoint`). */
  readonly url: string;
  /** AMP: sign queries with SigV4 in this region, with the AWS SDK's default credentials (the instance role). */
  readonly sigv4Region?: string;
  /** Grafana's `prometheusType` hint (Prometheus, Mimir, Cortex, Thanos). @default Prometheus */
  readonly prometheusType?: string;
}

/** Scrape interval Grafana assumes for `$__rate_interval` (must match the global scrape interval). */
export const PROMETHEUS_SCRAPE_INTERVAL = '15s';

/** Regex over a log line capturing a trace ID written as `trace_id=…`, `traceID: …` or `"traceId":"…"`. */
export const TRACE_ID_IN_LOG_LINE = '[tT]race_?[iI][dD]"?\\s*[:=]\\s*"?([0-9a-fA-F]{16,32})';

/** PromQL templates Tempo offers from a span (`$__tags` becomes the span's mapped tags). */
export const TRACES_TO_METRICS_QUERIES = [
  { name: 'Request rate', query: 'sum(rate(traces_spanmetrics_calls_total{$__tags}[5m]))' },
  { name: 'Error rate', query: 'sum(rate(traces_spanmetrics_calls_total{$__tags, status_code="STATUS_CODE_ERROR"}[5m]))' },
  { name: 'p95 latency', query: 'histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$__tags}[5m])))' },
] as const;

/**
 * The four data sources and the correlations that make the Unified view work:
 * - Prometheus exemplars carry `trace_id` (EXEMPLAR_TRACE_ID_LABEL) and link to Tempo;
 * - Loki derived fields turn trace IDs (in the line, or in `trace_id` structured metadata) into Tempo links;
 * - Tempo links spans to their logs (Loki, by service and trace ID) and metrics (Prometheus span metrics), and
 *   draws the service map and node graph from the service-graph metrics in Prometheus.
 * Grafana macros such as `${__value.raw}` appear here literally; the stack escapes them for Terraform.
 */
export function grafanaDataSources(longTermStore?: LongTermMetricsStore): DataSourceSpec[] {
  const { prometheus, loki, tempo, alertmanager } = DATA_SOURCES;
  const shift = { spanStartTimeShift: '-5m', spanEndTimeShift: '5m' };
  return [
    {
      key: 'prometheus',
      ...prometheus,
      isDefault: true,
      ...(longTermStore ? { url: longTermStore.url } : {}),
      jsonData: {
        httpMethod: 'POST',
        prometheusType: longTermStore?.prometheusType ?? 'Prometheus',
        timeInterval: PROMETHEUS_SCRAPE_INTERVAL,
        exemplarTraceIdDestinations: [{ name: EXEMPLAR_TRACE_ID_LABEL, datasourceUid: tempo.uid, urlDisplayLabel: 'View trace' }],
        ...(longTermStore?.sigv4Region ? { sigV4Auth: true, sigV4AuthType: 'default', sigV4Region: longTermStore.sigv4Region } : {}),
      },
    },
    {
      key: 'loki',
      ...loki,
      isDefault: false,
      jsonData: {
        maxLines: 1000,
        derivedFields: [
          {
            name: 'TraceID',
            matcherType: 'regex',
            matcherRegex: TRACE_ID_IN_LOG_LINE,
            datasourceUid: tempo.uid,
            url: '${__value.raw}',
            urlDisplayLabel: 'View trace',
          },
          { name: 'trace_id', matcherType: 'label', matcherRegex: 'trace_?id', datasourceUid: tempo.uid, url: '${__value.raw}', urlDisplayLabel: 'View trace' },
        ],
      },
    },
    {
      key: 'tempo',
      ...tempo,
      isDefault: false,
      jsonData: {
        tracesToLogsV2: {
          datasourceUid: loki.uid,
          ...shift,
          tags: [{ key: 'service.name', value: 'service_name' }],
          filterByTraceID: true,
          filterBySpanID: false,
          customQuery: false,
        },
        tracesToMetrics: { datasourceUid: prometheus.uid, ...shift, tags: [{ key: 'service.name', value: 'service' }], queries: TRACES_TO_METRICS_QUERIES },
        serviceMap: { datasourceUid: prometheus.uid },
        nodeGraph: { enabled: true },
        search: { hide: false },
        traceQuery: { timeShiftEnabled: true, spanStartTimeShift: '-30m', spanEndTimeShift: '30m' },
        spanBar: { type: 'Tag', tag: 'http.route' },
      },
    },
    {
      key: 'alertmanager',
      ...alertmanager,
      isDefault: false,
      jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
    },
  ];
}
