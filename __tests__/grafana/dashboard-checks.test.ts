import { buildDashboards, DASHBOARD_BUILDERS } from '../../lib/dashboards';
import type { Dashboard } from '../../lib/dashboards/common';
import {
  checkLogql,
  checkPromql,
  checkTraceql,
  findDashboardProblems,
  sampleVariableValues,
  validateDashboards,
  validateDataSourceQueries,
} from '../../lib/grafana/dashboard-checks';
import type { DashboardKey } from '../../lib/contracts/dashboards';
import { substituteVariables } from '../../lib/grafana/dashboard-queries';
import { grafanaDataSources, TRACES_TO_METRICS_QUERIES } from '../../lib/grafana/data-sources';
import { isKnownMetric, RULE_CATALOG_METRICS } from '../../lib/grafana/metric-catalog';
import { grafanaTestConfig, synthGrafana } from './fixtures';
import { internalErrorOf } from '../helpers/config-errors';
import { promqlMetricNames } from '../../lib/promql/expression-metrics';

const config = grafanaTestConfig();
const values = sampleVariableValues(config);

/** A copy of a dashboard with the first target of the titled panel replaced. */
function plant(model: Dashboard, panelTitle: string, change: (target: any) => void): Dashboard {
  const copy = JSON.parse(JSON.stringify(model));
  const panel = copy.panels.find((p: any) => p.title === panelTitle);
  if (!panel) throw new Error(`no panel ${panelTitle}`);
  change(panel.targets[0]);
  return copy;
}

describe('dashboard validation', () => {
  it('passes every dashboard of the default config', () => {
    const dashboards = buildDashboards(config);
    for (const [key, model] of Object.entries(dashboards)) expect(findDashboardProblems(key as DashboardKey, model, values)).toEqual([]);
    expect(() => validateDashboards(dashboards, values)).not.toThrow();
  });

  it('fails a misspelt metric, naming dashboard, panel and target, and suggesting the right name', () => {
    const { host } = buildDashboards(config);
    const bad = plant(host, 'Memory used', (t) => (t.expr = t.expr.replace('node_memory_MemAvailable_bytes', 'node_memory_MemAvailabel_bytes')));
    const error = internalErrorOf(() => validateDashboards({ host: bad }, values));
    expect(error.source).toBe('lib/dashboards/host.ts');
    expect(error.message).toContain('lib/dashboards/host.ts: dashboard "Host" (lgtm-host) › panel "Memory used" › target A: found ');
    expect(error.message).toContain(
      'metric node_memory_MemAvailabel_bytes is produced by nothing on the platform (did you mean node_memory_MemAvailable_bytes?)',
    );
  });

  it('fails PromQL that does not parse', () => {
    const { slo } = buildDashboards(config);
    const bad = plant(slo, 'Objective', (t) => (t.expr = 'sum(rate(slo:objective:ratio{service="$service"}[5m])'));
    const error = internalErrorOf(() => validateDashboards({ slo: bad }, values));
    expect(error.message).toContain('lib/dashboards/slo.ts: dashboard "SLO and error budget" (lgtm-slo) › panel "Objective" › target A: found ');
    expect(error.message).toMatch(/PromQL is invalid: syntax error at offset/);
  });

  it('fails a variable the dashboard does not define', () => {
    const { uptime } = buildDashboards(config);
    const bad = plant(uptime, 'Probe success', (t) => (t.expr = 'probe_success{service="$servce"}'));
    expect(internalErrorOf(() => validateDashboards({ uptime: bad }, values)).message).toContain(
      'variable $servce is not defined on this dashboard; defined: $service, $environment',
    );
  });

  it('fails LogQL on a label the pipeline does not attach, and TraceQL on an unknown attribute', () => {
    const { unified } = buildDashboards(config);
    const badLogs = plant(unified, 'Logs', (t) => (t.expr = '{app="$service"}'));
    expect(internalErrorOf(() => validateDashboards({ unified: badLogs }, values)).message).toMatch(
      /panel "Logs" › target A: .*Loki label app is not attached/,
    );
    const badTraces = plant(unified, 'Recent traces', (t) => (t.query = '{ resource.service.nmae = "$service" }'));
    expect(internalErrorOf(() => validateDashboards({ unified: badTraces }, values)).message).toContain(
      'TraceQL attribute resource.service.nmae is not one we record',
    );
  });

  it('fails synth of the Grafana stack when a dashboard builder plants a typo', () => {
    const original = DASHBOARD_BUILDERS.service;
    DASHBOARD_BUILDERS.service = (c) => plant(original(c), 'Traffic', (t) => (t.expr = 'sum(rate(http_request_total[5m]))'));
    try {
      expect(() => synthGrafana(config)).toThrow(
        /dashboards\/service\.ts: dashboard "Service golden signals" \(lgtm-service\) › panel "Traffic" › target A: found .*http_request_total.*did you mean http_requests_total/,
      );
    } finally {
      DASHBOARD_BUILDERS.service = original;
    }
  });
});

describe('query checks', () => {
  it('extracts metric names from selectors and __name__ matchers, not from functions or labels', () => {
    expect(promqlMetricNames('sum by (le) (rate(http_request_duration_seconds_bucket{status="500"}[1m])) / on() group_left {__name__="up"}').sort()).toEqual([
      'http_request_duration_seconds_bucket',
      'up',
    ]);
    expect(promqlMetricNames('vector(1) + time()')).toEqual([]);
  });

  it('accepts known metrics and valid syntax, rejects the rest', () => {
    expect(checkPromql('slo:current_burn_rate:ratio{slo="latency"} > 14.4')).toEqual([]);
    expect(checkPromql('')).toEqual(['PromQL is invalid: empty expression']);
    expect(checkPromql('rate(up)')[0]).toMatch(/^PromQL is invalid: .*expected type matrix/);
    expect(checkPromql('rate(up[1m]')).toHaveLength(1);
    expect(checkPromql('nonexistent_metric')[0]).toContain('metric nonexistent_metric is produced by nothing');
  });

  it('checks LogQL selectors and TraceQL filters', () => {
    expect(checkLogql('{service_name="a", deployment_environment=~"b|"} |= "error"')).toEqual([]);
    expect(checkLogql('|= "error"')).toEqual(['LogQL needs a stream selector such as {service_name="$service"}']);
    expect(checkTraceql('{ resource.service.name = "a" && (status = error || duration > 1s) }')).toEqual([]);
    expect(checkTraceql('{ }')[0]).toContain('non-empty span filter');
    expect(checkTraceql('{ status = error ')).toEqual(['TraceQL needs a non-empty span filter such as { resource.service.name = "$service" }']);
  });

  it('substitutes every variable form', () => {
    expect(
      substituteVariables('a{s="$service", e=~"${environment:regex}", i="[[instance]]"}[$__rate_interval] $__range $unknown', {
        service: 'api',
        environment: 'prod',
        instance: 'h:1',
      }),
    ).toBe('a{s="api", e=~"prod", i="h:1"}[1m] 1h $unknown');
  });

  it('the Tempo traces-to-metrics queries use catalog metrics and parse; a typo there names the data source', () => {
    for (const { query } of TRACES_TO_METRICS_QUERIES) expect(checkPromql(substituteVariables(query, { __tags: 'service="api"' }))).toEqual([]);
    expect(() => validateDataSourceQueries(grafanaDataSources())).not.toThrow();
    const planted = grafanaDataSources().map((spec) =>
      spec.key === 'tempo'
        ? {
            ...spec,
            jsonData: { ...spec.jsonData, tracesToMetrics: { queries: [{ name: 'Rate', query: 'sum(rate(traces_spanmetric_calls_total{$__tags}[5m]))' }] } },
          }
        : spec,
    );
    expect(() => validateDataSourceQueries(planted)).toThrow(
      'lib/grafana/data-sources.ts: data source "Tempo" (lgtm-tempo) › tracesToMetrics › query "Rate": found "sum(rate(traces_spanmetric_calls_total{$__tags}[5m]))"; metric traces_spanmetric_calls_total is produced by nothing',
    );
  });

  it('knows the SLO, DORA, app-contract, Tempo-generated and component metrics, and leaves a place for the rule catalog', () => {
    for (const name of [
      'slo:sli_error:ratio_rate3d',
      'dora_lead_time_queue_seconds_bucket',
      'http_request_duration_seconds_count',
      'traces_service_graph_request_total',
      'traces_spanmetrics_latency_bucket',
      'otelcol_receiver_accepted_spans_total',
    ])
      expect(isKnownMetric(name)).toBe(true);
    expect(Array.isArray(RULE_CATALOG_METRICS)).toBe(true);
  });
});
