import { buildDashboards } from '../../lib/dashboards';
import { STATIC_ALERTS } from '../../lib/alerting/packs';
import { DORA_METRICS } from '../../lib/dora/exporter/metric-names';
import { dashboardQueries, dashboardVariables } from '../../lib/grafana/dashboard-queries';
import { DASHBOARDS, type DashboardKey } from '../../lib/contracts/dashboards';
import { SLO_SERIES } from '../../lib/contracts/slo-series';
import { grafanaTestConfig } from './fixtures';
import { compilePlatform } from '../../lib/model/compile';

const config = grafanaTestConfig();
const dashboards = buildDashboards(config);
const keys = Object.keys(DASHBOARDS) as DashboardKey[];
const exprs = (key: DashboardKey) =>
  dashboardQueries(key, dashboards[key])
    .map((q) => q.expr)
    .join('\n');

describe('dashboards', () => {
  it('Platform: the refused-groups panels select exactly what ConfigSyncRefused reads (one selector module for both)', () => {
    const refused = STATIC_ALERTS.find((a) => a.name === 'ConfigSyncRefused')!;
    const alertExpr = refused.expr(compilePlatform(config).alertContext);
    expect(exprs('platform')).toContain(alertExpr);
  });

  it.each(keys)('%s: fixed UID and title from lib/contracts/dashboards.ts, and exactly the link variables it declares', (key) => {
    const model = dashboards[key];
    expect(model.uid).toBe(DASHBOARDS[key].uid);
    expect(model.title).toBe(DASHBOARDS[key].title);
    expect(dashboardVariables(model)).toEqual([...DASHBOARDS[key].variables]);
  });

  it.each(keys)('%s: panels have unique ids and every non-row panel has at least one query', (key) => {
    const panels = dashboards[key].panels ?? [];
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) if (panel.type !== 'row') expect((panel as any).targets?.length ?? 0).toBeGreaterThan(0);
  });

  it('Host covers CPU, memory, disk space, disk I/O, network and load from node exporter', () => {
    const text = exprs('host');
    for (const metric of [
      'node_cpu_seconds_total',
      'node_memory_MemAvailable_bytes',
      'node_filesystem_avail_bytes',
      'node_disk_read_bytes_total',
      'node_network_receive_bytes_total',
      'node_load1',
    ])
      expect(text).toContain(metric);
  });

  it('Host shows CPU per core, and every host alert lands on a panel drawing a series it reads', () => {
    const text = exprs('host');
    expect(text).toContain('avg by (cpu) (rate(node_cpu_seconds_total{mode="idle"');
    for (const def of STATIC_ALERTS.filter((a) => a.dashboard === 'host'))
      expect({ alert: def.name, drawn: def.reads.filter((metric) => text.includes(metric)) }).toEqual({
        alert: def.name,
        drawn: expect.arrayContaining([expect.any(String)]),
      });
    const units = (dashboards.host.panels ?? []).find((p: any) => p.title === 'Platform units') as any;
    expect(units.type).toBe('state-timeline');
  });

  it('Uptime draws an up/down state timeline and p50/p90/p99 probe duration', () => {
    const panels = dashboards.uptime.panels ?? [];
    const timeline = panels.find((p: any) => p.title === 'Up / down') as any;
    expect(timeline.type).toBe('state-timeline');
    expect(timeline.targets[0].expr).toContain('probe_success');
    const quantiles = panels.find((p: any) => p.title === 'Response time p50 / p90 / p99') as any;
    expect(quantiles.targets.map((t: any) => t.expr)).toEqual(
      [0.5, 0.9, 0.99].map((q) => `quantile_over_time(${q}, probe_duration_seconds{service="$service", environment=~"$environment"}[5m])`),
    );
  });

  it('Uptime shows success, status code, response time and TLS expiry per environment', () => {
    const text = exprs('uptime');
    for (const metric of ['probe_success', 'probe_http_status_code', 'probe_duration_seconds', 'probe_ssl_earliest_cert_expiry'])
      expect(text).toContain(metric);
    expect(text).toContain('environment=~"$environment"');
  });

  it('Service golden signals has traffic, errors, p50/p95/p99 latency and saturation', () => {
    const text = exprs('service');
    for (const q of ['0.5', '0.95', '0.99']) expect(text).toContain(`histogram_quantile(${q},`);
    expect(text).toContain('status=~"5.."');
    expect(text).toContain('http_requests_in_progress');
  });

  it('SLO reads the recording-rule series, 7d and 30d compliance, and draws the burn-rate alert thresholds', () => {
    const text = exprs('slo');
    for (const series of [
      SLO_SERIES.errorRatioPeriod,
      SLO_SERIES.objective,
      SLO_SERIES.errorBudgetRemaining,
      SLO_SERIES.errorBudgetRemainingMinutes,
      SLO_SERIES.currentBurnRate,
      SLO_SERIES.errorRatio('7d'),
      SLO_SERIES.errorRatio('30d'),
    ])
      expect(text).toContain(series);
    expect(text).not.toMatch(/http_requests_total|probe_success/);
    const burn = (dashboards.slo.panels ?? []).find((p: any) => p.title === 'Burn rate') as any;
    expect(burn.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 1, 3, 6, 14.4]);
  });

  it('DORA reads the exporter metrics: the four keys, lead-time sub-intervals and the band', () => {
    const text = exprs('dora');
    for (const metric of [
      DORA_METRICS.deploymentFrequency,
      DORA_METRICS.leadTimeMedian,
      DORA_METRICS.changeFailureRate,
      DORA_METRICS.timeToRestoreMedian,
      DORA_METRICS.performanceBand,
      `${DORA_METRICS.leadTimeQueue}_bucket`,
      `${DORA_METRICS.leadTimePipeline}_bucket`,
      `${DORA_METRICS.leadTimeConfirmation}_bucket`,
    ])
      expect(text).toContain(metric);
  });

  it('Unified shows metrics, Loki logs and Tempo traces side by side, with deploy annotations from dora_deployments_total', () => {
    const queries = dashboardQueries('unified', dashboards.unified);
    expect(new Set(queries.map((q) => q.language))).toEqual(new Set(['promql', 'logql', 'traceql', 'other']));
    const annotations = dashboards.unified.annotations?.list ?? [];
    expect(annotations.map((a: any) => a.expr)).toEqual([expect.stringContaining(DORA_METRICS.deployments)]);
    expect(dashboards.service.annotations?.list?.map((a) => a.name)).toEqual(['Deployments']);
  });

  it('Platform self-monitoring watches Prometheus, Alertmanager, Loki, Tempo and the collector', () => {
    const text = exprs('platform');
    for (const prefix of ['prometheus_', 'alertmanager_', 'loki_', 'tempo_', 'otelcol_', 'up']) expect(text).toContain(prefix);
  });

  it('Platform self-monitoring shows the config sync of the monitoring host: refused groups and time since the last run', () => {
    const text = exprs('platform');
    expect(text).toContain('count(lgtm_config_sync_refused{job="node",instance="anvila-monitoring"} == 1) or vector(0)');
    expect(text).toContain('time() - max(lgtm_config_sync_last_run_timestamp_seconds{job="node",instance="anvila-monitoring"})');
    const since = (dashboards.platform.panels ?? []).find((p: any) => p.title === 'Since last config sync') as any;
    // red from ConfigSyncStale's threshold on
    expect(since.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 180, 900]);
  });

  it('uses the config thresholds (a changed CPU threshold moves the panel threshold)', () => {
    const custom = buildDashboards(grafanaTestConfig((raw) => (raw.alerting.thresholds = { cpuPercent: 75 })));
    const cpu = (custom.host.panels ?? []).find((p: any) => p.title === 'CPU busy') as any;
    expect(cpu.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 0.75]);
  });

  it('names the for: each alert is rendered with (alertOverrides included), never the pack default', () => {
    const panelText = (d: ReturnType<typeof buildDashboards>) => JSON.stringify((d.host.panels ?? []).map((p: any) => p.description ?? ''));
    expect(panelText(dashboards)).toContain('HostUnitFailed pages when one has failed for 5 minutes');
    const overridden = buildDashboards(
      grafanaTestConfig(
        (raw) => (raw.alerting.alertOverrides = { HostUnitFailed: { for: '20m' }, HostDown: { for: '0s' }, HostUnitCrashLooping: { for: '1h' } }),
      ),
    );
    const text = panelText(overridden);
    expect(text).toContain('HostUnitFailed pages when one has failed for 20 minutes');
    expect(text).toContain('HostDown pages when it has been 0)');
    expect(text).toContain('more than 2 for an hour is HostUnitCrashLooping');
    expect(text).not.toMatch(/for 5 minutes\.|for 2 minutes|for 15 minutes/);
  });
});
