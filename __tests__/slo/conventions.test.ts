import { validatePlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { sampleVariableValues, validateDashboards } from '../../lib/grafana/dashboard-checks';
import { staticAlertRules } from '../../lib/prometheus/rule-files';
import { promqlProblems } from '../../lib/promql/validate';
import { declaredAppMetrics } from '../../lib/slo/conventions';
import { sliErrorRatioExpr, sloEnvironments } from '../../lib/slo/sli';
import { buildDashboards } from '../../lib/dashboards';
import { dashboardQueries } from '../../lib/grafana/dashboard-queries';
import { CONTEXT, DEFAULT_CONFIG } from '../prometheus/promtool-harness';
import { compilePlatform } from '../../lib/model/compile';

/** The default config plus `billing`, which speaks `convention` and has an errors and a latency SLO; no metricsTarget. */
function withConvention(convention: unknown): PlatformConfig {
  const raw = structuredClone(DEFAULT_CONFIG) as unknown as { services: unknown[] };
  raw.services.push({
    name: 'billing',
    metricConvention: convention,
    environments: [{ name: 'production', probeUrl: 'https://billing.example/health' }],
    slos: [
      { name: 'requests', objective: 99.9, sli: 'errors' },
      { name: 'latency', objective: 99, sli: { latency: { threshold: 0.25 } } },
    ],
  });
  return validatePlatformConfig(raw, 'config/platform.yaml');
}

const EXPLICIT = { requests: 'rpc_calls_total', statusLabel: 'code', durationHistogram: 'rpc_call_seconds', matchers: 'job="billing-rpc"' };

function billingExprs(config: PlatformConfig) {
  const service = config.services[1];
  return { service, errors: sliErrorRatioExpr(service, service.slos[0], '5m'), latency: sliErrorRatioExpr(service, service.slos[1], '5m') };
}

describe('metric conventions: what the SLIs read', () => {
  it('GIVEN the default config THEN every service speaks prometheus-client and reads job="app"', () => {
    expect(DEFAULT_CONFIG.services[0].metricConvention).toBe('prometheus-client');
    const service = DEFAULT_CONFIG.services[0];
    expect(sliErrorRatioExpr(service, service.slos[1], '5m')).toContain('rate(http_requests_total{job="app",service="anvila-api",status=~"5.."}[5m])');
  });

  it('GIVEN opentelemetry THEN errors and latency read the HTTP semantic-convention histogram by service, in every environment (OTLP needs no metricsTarget)', () => {
    const { service, errors, latency } = billingExprs(withConvention('opentelemetry'));
    expect(errors).toBe(
      '(sum by (service, environment) (rate(http_server_request_duration_seconds_count{service="billing",http_response_status_code=~"5.."}[5m])) or 0 * sum by (service, environment) (rate(http_server_request_duration_seconds_count{service="billing"}[5m]))) / sum by (service, environment) (rate(http_server_request_duration_seconds_count{service="billing"}[5m]))',
    );
    expect(latency).toBe(
      '1 - sum by (service, environment) (rate(http_server_request_duration_seconds_bucket{service="billing",le=~"0\\\\.25"}[5m])) / sum by (service, environment) (rate(http_server_request_duration_seconds_count{service="billing"}[5m]))',
    );
    expect(service.slos.map((slo) => sloEnvironments(service, slo))).toEqual([['production'], ['production']]);
  });

  it('GIVEN explicit names THEN the SLIs read those names with the given matchers', () => {
    const { errors, latency } = billingExprs(withConvention(EXPLICIT));
    expect(errors).toContain('rate(rpc_calls_total{job="billing-rpc",service="billing",code=~"5.."}[5m])');
    expect(latency).toContain('rate(rpc_call_seconds_bucket{job="billing-rpc",service="billing",le=~"0\\\\.25"}[5m])');
    expect(latency).toContain('rate(rpc_call_seconds_count{job="billing-rpc",service="billing"}[5m])');
    for (const expr of [errors, latency]) expect(promqlProblems(expr)).toEqual([]);
  });

  it('GIVEN an unknown convention THEN synth names the path and the choices', () => {
    expect(() => withConvention('statsd')).toThrow(
      'config/platform.yaml: services[1].metricConvention: found "statsd"; expected one of: prometheus-client, opentelemetry, or { requests, statusLabel, durationHistogram, inProgress?, matchers? }',
    );
  });

  it('GIVEN explicit names with a bad label THEN synth refuses the label', () => {
    expect(() => withConvention({ ...EXPLICIT, statusLabel: 'http.status' })).toThrow(
      'config/platform.yaml: services[1].metricConvention.statusLabel: found "http.status"; expected a label name such as code: letters, digits and _, not starting with a digit',
    );
  });
});

describe('metric conventions: App5xxRatioHigh and the service dashboard', () => {
  const app5xx = (config: PlatformConfig) => staticAlertRules(compilePlatform(config), CONTEXT, 'app').find((r) => r.alert === 'App5xxRatioHigh')!.expr;

  it('GIVEN only prometheus-client services THEN App5xxRatioHigh is the one job="app" comparison', () => {
    // joined with the services' routing labels (the default config's team)
    expect(app5xx(DEFAULT_CONFIG)).toBe(
      '(100 * sum by (service, environment) (rate(http_requests_total{job="app",status=~"5.."}[5m])) / sum by (service, environment) (rate(http_requests_total{job="app"}[5m])) > 5)' +
        ' * on (service) group_left (team) lgtm:service_alert_labels:info',
    );
  });

  it('GIVEN an opentelemetry service THEN App5xxRatioHigh also compares its semantic-convention series', () => {
    const expr = app5xx(withConvention('opentelemetry'));
    expect(expr).toContain(
      ' or 100 * sum by (service, environment) (rate(http_server_request_duration_seconds_count{service="billing",http_response_status_code=~"5.."}[5m])) / sum by (service, environment) (rate(http_server_request_duration_seconds_count{service="billing"}[5m])) > 5',
    );
    expect(promqlProblems(expr)).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    [
      'opentelemetry',
      'opentelemetry',
      ['http_server_request_duration_seconds_count', 'http_server_request_duration_seconds_bucket', 'http_server_active_requests'],
    ],
    ['explicit', EXPLICIT, ['rpc_calls_total', 'rpc_call_seconds_bucket', 'code=~"5.."']],
  ])('GIVEN an %s service THEN the service dashboard queries its names beside the default ones, and passes the synth checks', (_, convention, names) => {
    const config = withConvention(convention);
    const dashboards = buildDashboards(config);
    const text = dashboardQueries('service', dashboards.service)
      .map((q) => q.expr)
      .join('\n');
    for (const name of [...names, 'http_requests_total', 'http_request_duration_seconds_bucket']) expect(text).toContain(name);
    expect(() => validateDashboards(dashboards, sampleVariableValues(config), declaredAppMetrics(config.services))).not.toThrow();
  });

  it('GIVEN an explicit service WITHOUT its declared names THEN the dashboard check refuses the unknown metric (the declaration is what admits it)', () => {
    const config = withConvention(EXPLICIT);
    expect(() => validateDashboards(buildDashboards(config), sampleVariableValues(config))).toThrow(
      /metric rpc_calls_total is produced by nothing on the platform/,
    );
  });
});
