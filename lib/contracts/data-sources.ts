import { PORTS } from './ports';

/**
 * The Grafana data sources, by fixed UID, so dashboards and the data sources' own correlations reference each
 * other without waiting for Grafana to assign ids. Grafana runs on the monitoring host, so every backend is on
 * loopback at its port from lib/contracts/ports.ts.
 */
export const DATA_SOURCES = {
  prometheus: { uid: 'lgtm-prometheus', type: 'prometheus', name: 'Prometheus', url: `http://127.0.0.1:${PORTS.prometheus}` },
  loki: { uid: 'lgtm-loki', type: 'loki', name: 'Loki', url: `http://127.0.0.1:${PORTS.loki}` },
  tempo: { uid: 'lgtm-tempo', type: 'tempo', name: 'Tempo', url: `http://127.0.0.1:${PORTS.tempo}` },
  alertmanager: { uid: 'lgtm-alertmanager', type: 'alertmanager', name: 'Alertmanager', url: `http://127.0.0.1:${PORTS.alertmanager}` },
} as const;

export type DataSourceKey = keyof typeof DATA_SOURCES;

/** The `{ type, uid }` reference a panel, target or variable puts in its `datasource` field. */
export function dataSourceRef(key: DataSourceKey): { type: string; uid: string } {
  return { type: DATA_SOURCES[key].type, uid: DATA_SOURCES[key].uid };
}

/**
 * Labels the telemetry pipeline puts on logs in Loki: OTLP resource attributes become index labels
 * (`service.name` → `service_name`, `deployment.environment` → `deployment_environment`). LogQL stream selectors
 * on dashboards may use these and nothing else.
 */
export const LOG_LABELS = ['service_name', 'deployment_environment', 'service_namespace', 'level', 'detected_level', 'job', 'instance'] as const;

/**
 * The exemplar label holding a trace ID, in every exemplar Prometheus stores: the collector's remote write
 * (prometheusremotewrite exporter) names it so, and Tempo's metrics-generator is told to (its own default is
 * `traceID`); Grafana's exemplar link reads it.
 */
export const EXEMPLAR_TRACE_ID_LABEL = 'trace_id';

/** Span attributes TraceQL queries on dashboards may use (intrinsics and the OTel resource/span attributes we rely on). */
export const TRACE_ATTRIBUTES = [
  'resource.service.name',
  'resource.deployment.environment',
  'span.http.route',
  'span.http.request.method',
  'span.http.response.status_code',
  'status',
  'duration',
  'name',
  'kind',
  'rootServiceName',
  'rootName',
  'traceDuration',
] as const;
