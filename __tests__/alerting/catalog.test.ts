import * as yaml from 'js-yaml';
import { ALERT_CATALOG, ALERT_NAMES, alertDefinition, runbookUrl } from '../../lib/alerting/catalog';
import { DASHBOARDS } from '../../lib/contracts/dashboards';
import { STATIC_ALERT_NAMES } from '../../lib/prometheus/alert-rules';
import { renderRuleFiles } from '../../lib/prometheus/rule-files';
import { CONTEXT, DEFAULT_CONFIG } from '../prometheus/promtool-harness';

type Rule = { alert?: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
const renderedAlerts = (config = DEFAULT_CONFIG): Rule[] =>
  renderRuleFiles(config, CONTEXT).flatMap((f) => (yaml.load(f.content) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules)).filter((r) => r.alert);

describe('alert catalog', () => {
  it('GIVEN the contract of the brief THEN the catalog holds exactly these alerts', () => {
    expect([...ALERT_NAMES].sort()).toEqual(
      [
        'HostDown', 'HostHighCpu', 'HostHighMemory', 'HostDiskFillingUp', 'HostDiskAlmostFull', 'ProbeFailing', 'ProbeSlow', 'TlsCertificateExpiring',
        // critical tiers and the node-exporter mixin's equivalents (docs/host-alerts.md)
        'HostHighCpuCritical', 'HostHighMemoryCritical', 'HostDiskFillingUpCritical', 'HostDiskAlmostFullCritical',
        'HostInodesFillingUp', 'HostInodesFillingUpCritical', 'HostInodesAlmostExhausted', 'HostInodesAlmostExhaustedCritical',
        'HostNetworkReceiveErrors', 'HostNetworkTransmitErrors', 'HostConntrackNearLimit', 'HostTextfileCollectorError', 'HostClockSkew',
        'HostClockNotSynchronising', 'HostFileDescriptorsNearLimit', 'HostFileDescriptorsNearLimitCritical', 'HostLoadHigh', 'HostDiskIoSaturated',
        'HostMemoryMajorPageFaults', 'HostUnitFailed', 'HostUnitCrashLooping',
        'App5xxRatioHigh', 'AppTargetDown', 'SLOBurnRateFast', 'SLOBurnRateSlow', 'DoraChangeFailureRateHigh', 'DoraTimeToRestoreHigh', 'DoraExporterDown', 'DoraPollStale',
        'PrometheusRuleEvaluationFailures', 'AlertmanagerNotificationsFailing', 'PlatformComponentDown', 'ConfigSyncRefused', 'ConfigSyncStale',
        'SLOSliAbsent', 'SLOErrorBudgetExhausted', 'SLOErrorBudgetPolicy',
      ].sort(),
    );
  });

  it.each(ALERT_CATALOG.map((a) => [a.name, a]))('GIVEN %s THEN its entry is complete and consistent', (_, def) => {
    expect(def.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    expect(['critical', 'warning', 'info']).toContain(def.severity);
    expect(def.runbook).toBe(`runbooks/${def.tierOf ?? def.name}.md`);
    if (def.tierOf) {
      // a critical tier pages for what its warning twin tickets, on the same labels and dashboard
      const twin = alertDefinition(def.tierOf);
      expect({ severity: def.severity, twin: twin.severity, labels: def.labels, dashboard: def.dashboard }).toEqual({ severity: 'critical', twin: 'warning', labels: twin.labels, dashboard: twin.dashboard });
    }
    expect(Object.keys(DASHBOARDS)).toContain(def.dashboard);
    expect(def.summary.length).toBeGreaterThan(10);
    const required = { host: ['instance'], service: ['service', 'environment'], slo: ['service', 'environment', 'slo'], dora: ['repo', 'environment'], platform: ['job', 'instance'] }[def.scope];
    expect(def.labels).toEqual(expect.arrayContaining(required));
    // the current value, or for up/absent alerts the state, is in the description
    expect(def.description).toMatch(/\{\{ \$value|up is 0 or absent|is absent for/);
  });

  it('GIVEN the expressions THEN every catalog alert has one, from lib/prometheus or lib/slo, and nothing else does', () => {
    expect([...STATIC_ALERT_NAMES, 'SLOBurnRateFast', 'SLOBurnRateSlow', 'SLOSliAbsent', 'SLOErrorBudgetExhausted', 'SLOErrorBudgetPolicy'].sort()).toEqual([...ALERT_NAMES].sort());
  });

  it('GIVEN the rendered rules THEN every catalog alert appears with severity, the four annotations and its value annotation', () => {
    const rendered = renderedAlerts();
    for (const def of ALERT_CATALOG) {
      const rules = rendered.filter((r) => r.alert === def.name);
      expect({ alert: def.name, rendered: rules.length > 0 }).toEqual({ alert: def.name, rendered: true });
      for (const rule of rules) {
        expect(rule.labels?.severity).toBe(def.severity);
        expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary', ...(def.value ? ['value'] : [])].sort());
        expect(rule.annotations?.value).toBe(def.value);
        expect(rule.annotations?.runbook_url).toBe(`https://github.com/acme/anvila-observability/blob/main/${def.runbook}`);
        expect(rule.annotations?.dashboard_url).toMatch(new RegExp(`^http://203\\.0\\.113\\.10:3000/d/${DASHBOARDS[def.dashboard].uid}`));
        expect(rule.for ?? '0s').toBe(def.for);
      }
    }
  });

  it('GIVEN dashboard variables THEN dashboard_url fills them from the alert labels', () => {
    const slo = renderedAlerts().find((r) => r.alert === 'SLOBurnRateFast');
    expect(slo?.annotations?.dashboard_url).toBe('http://203.0.113.10:3000/d/lgtm-slo?var-service={{ $labels.service }}&var-environment={{ $labels.environment }}&var-slo={{ $labels.slo }}');
    const host = renderedAlerts().find((r) => r.alert === 'HostHighCpu');
    expect(host?.annotations?.dashboard_url).toBe('http://203.0.113.10:3000/d/lgtm-host?var-instance={{ $labels.instance }}');
  });

  it('GIVEN alerting.grafanaBaseUrl THEN it wins over the host address; GIVEN a trailing slash THEN runbook URLs stay clean', () => {
    const config = { ...DEFAULT_CONFIG, alerting: { ...DEFAULT_CONFIG.alerting, grafanaBaseUrl: 'https://grafana.example' } };
    expect(renderedAlerts(config).find((r) => r.alert === 'HostDown')?.annotations?.dashboard_url).toBe('https://grafana.example/d/lgtm-host?var-instance={{ $labels.instance }}');
    expect(runbookUrl('https://x.example/runbooks/', 'HostDown')).toBe('https://x.example/runbooks/HostDown.md');
  });

  it('GIVEN thresholds in config THEN the expressions use them', () => {
    const config = { ...DEFAULT_CONFIG, alerting: { ...DEFAULT_CONFIG.alerting, thresholds: { ...DEFAULT_CONFIG.alerting.thresholds, cpuPercent: 75, doraTimeToRestoreHours: 4 } } };
    const files = renderRuleFiles(config, CONTEXT).map((f) => f.content).join('\n');
    expect(files).toContain('[5m]))) > 75');
    expect(files).toContain('dora_time_to_restore_median_seconds{window="30d"} / 3600 > 4');
  });

  it('GIVEN an unknown alert name THEN alertDefinition throws naming the known ones', () => {
    expect(() => alertDefinition('Nope')).toThrow(/HostDown/);
  });
});
