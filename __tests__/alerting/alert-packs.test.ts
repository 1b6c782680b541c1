import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { staticAlert } from '../../lib/alerting/alert-definition';
import { renderAlertsDoc } from '../../lib/alerting/alerts-doc';
import { ALERT_CATALOG, ALERT_NAMES, ALERT_PACKS, STATIC_ALERTS, alertDefinition, runbookUrl } from '../../lib/alerting/packs';
import { checkAlertMetrics } from '../../lib/checks/alert-metrics';
import { DASHBOARDS } from '../../lib/contracts/dashboards';
import { renderRuleFiles } from '../../lib/prometheus/rule-files';
import { CONTEXT, DEFAULT_CONFIG } from '../prometheus/promtool-harness';
import { compilePlatform } from '../../lib/model/compile';
import { durationInWords, ruleDurationSeconds } from '../../lib/shared/durations';

type Rule = { alert?: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
const renderedAlerts = (config = DEFAULT_CONFIG): Rule[] =>
  renderRuleFiles(compilePlatform(config), CONTEXT)
    .flatMap((f) => (yaml.load(f.content) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules))
    .filter((r) => r.alert);

describe('alert packs', () => {
  it('GIVEN the packs THEN docs/alerts.md is generated from them (run `npm run alerts-doc` after adding or changing an alert)', () => {
    expect(readFileSync(join(__dirname, '../../docs/alerts.md'), 'utf8')).toBe(renderAlertsDoc());
  });

  it('GIVEN the packs THEN every alert sits in the pack of its rule group, once', () => {
    for (const [group, alerts] of Object.entries(ALERT_PACKS))
      for (const def of alerts) expect({ alert: def.name, group: def.group }).toEqual({ alert: def.name, group });
    expect(new Set(ALERT_NAMES).size).toBe(ALERT_NAMES.length);
  });

  it('GIVEN an expression THEN the metrics it reads and the thresholds it uses are parsed from it, not listed by hand', () => {
    const byName = (name: string) => STATIC_ALERTS.find((a) => a.name === name)!;
    expect({ reads: byName('HostHighCpu').reads, thresholds: byName('HostHighCpu').thresholds }).toEqual({
      reads: ['node_cpu_seconds_total'],
      thresholds: ['cpuPercent'],
    });
    expect({ reads: [...byName('HostDiskFillingUpCritical').reads].sort(), thresholds: [...byName('HostDiskFillingUpCritical').thresholds].sort() }).toEqual({
      reads: ['node_filesystem_avail_bytes', 'node_filesystem_readonly', 'node_filesystem_size_bytes'],
      thresholds: ['diskFillingCriticalFreePercent', 'diskFullCriticalWithinHours'],
    });
    expect({ reads: [...byName('ConfigSyncStale').reads].sort(), thresholds: byName('ConfigSyncStale').thresholds }).toEqual({
      reads: ['lgtm_config_sync_last_run_timestamp_seconds', 'node_boot_time_seconds'],
      thresholds: [],
    });
    expect([...byName('DoraPollStale').reads].sort()).toEqual([
      'dora_exporter_repository_last_successful_poll_timestamp_seconds',
      'dora_exporter_repository_poll_ok',
    ]);
    // a new alert gets the same derivation: what it reads comes from the PromQL it renders
    const invented = staticAlert({
      ...byName('HostHighCpu'),
      name: 'HostSwapping',
      expr: (c) => `rate(node_vmstat_pswpout[5m]) > ${c.t.memoryPercent} and on (instance) node_load1 > 0`,
    });
    expect({ reads: invented.reads, thresholds: invented.thresholds, runbook: invented.runbook }).toEqual({
      reads: ['node_vmstat_pswpout', 'node_load1'],
      thresholds: ['memoryPercent'],
      runbook: 'runbooks/HostSwapping.md',
    });
  });

  it('GIVEN a static alert reading a metric nothing produces THEN the metric check names its pack file and the metric', () => {
    const typo = staticAlert({ ...STATIC_ALERTS.find((a) => a.name === 'HostHighCpu')!, name: 'HostHighCpuTypo', expr: () => 'node_cpu_second_total > 1' });
    expect(() => checkAlertMetrics([typo])).toThrow(/internal error.*HostHighCpuTypo \(lib\/alerting\/packs\/host\.ts\) reads metric "node_cpu_second_total"/s);
    expect(() => checkAlertMetrics(STATIC_ALERTS)).not.toThrow();
  });

  it.each(ALERT_CATALOG.map((a) => [a.name, a]))('GIVEN %s THEN its entry is complete and consistent', (_, def) => {
    expect(def.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    expect(['critical', 'warning', 'info']).toContain(def.severity);
    expect(def.runbook).toBe(`runbooks/${def.tierOf ?? def.name}.md`);
    if (def.tierOf) {
      // a critical tier pages for what its warning twin tickets, on the same labels and dashboard
      const twin = alertDefinition(def.tierOf);
      expect({ severity: def.severity, twin: twin.severity, labels: def.labels, dashboard: def.dashboard }).toEqual({
        severity: 'critical',
        twin: 'warning',
        labels: twin.labels,
        dashboard: twin.dashboard,
      });
    }
    expect(Object.keys(DASHBOARDS)).toContain(def.dashboard);
    expect(def.summary.length).toBeGreaterThan(10);
    const required = {
      host: ['instance'],
      service: ['service', 'environment'],
      slo: ['service', 'environment', 'slo'],
      dora: ['repo', 'environment'],
      platform: ['job', 'instance'],
      source: ['environment'],
    }[def.scope];
    expect(def.labels).toEqual(expect.arrayContaining(required));
    // the current value, or for up/absent alerts the state, is in the description
    expect(def.description).toMatch(/\{\{ \$value|up is 0 or absent|is absent\{for\}/);
  });

  it('GIVEN the rendered rules THEN every catalog alert appears with severity, the four annotations and its value annotation', () => {
    const rendered = renderedAlerts();
    for (const def of ALERT_CATALOG) {
      const rules = rendered.filter((r) => r.alert === def.name);
      expect({ alert: def.name, rendered: rules.length > 0 }).toEqual({ alert: def.name, rendered: true });
      for (const rule of rules) {
        expect(rule.labels?.severity).toBe(def.severity);
        expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(
          ['dashboard_url', 'description', 'runbook_url', 'summary', ...(def.value ? ['value'] : [])].sort(),
        );
        expect(rule.annotations?.value).toBe(def.value);
        expect(rule.annotations?.runbook_url).toBe(`https://github.com/acme/anvila-observability/blob/main/${def.runbook}`);
        expect(rule.annotations?.dashboard_url).toMatch(new RegExp(`^http://203\\.0\\.113\\.10:3000/d/${DASHBOARDS[def.dashboard].uid}`));
        expect(rule.for ?? '0s').toBe(def.for);
      }
    }
  });

  it('GIVEN the packs THEN no description spells out its `for:` (it writes HELD_FOR, filled from the effective value), and no rendered description keeps a placeholder', () => {
    const spelled = ALERT_CATALOG.filter((def) => {
      const seconds = ruleDurationSeconds(def.for);
      return seconds > 0 && def.description.includes(`for ${durationInWords(seconds)}`);
    }).map((def) => def.name);
    expect(spelled).toEqual([]);
    const placeholders = renderedAlerts()
      .filter((rule) => /\{(for|syncEvery)\}/.test(rule.annotations?.description ?? ''))
      .map((rule) => rule.alert);
    expect(placeholders).toEqual([]);
    const description = (name: string) => renderedAlerts().find((r) => r.alert === name)!.annotations!.description;
    expect(description('ConfigSyncRefused')).toContain('the config bucket for 5 minutes (lgtm_config_sync_refused');
    expect(description('HostNetworkReceiveErrors')).toContain('were errors, for an hour.');
    expect(description('ConfigSyncStale')).toContain('(it runs every minute;');
  });

  it('GIVEN alerting.alertOverrides THEN those alerts render the overridden `for:` and their descriptions name it; every other alert keeps its own', () => {
    const overridden = {
      ...DEFAULT_CONFIG,
      host: { ...DEFAULT_CONFIG.host, configSync: { firstRunAfterSeconds: 15, intervalSeconds: 10 } },
      alerting: {
        ...DEFAULT_CONFIG.alerting,
        alertOverrides: { ConfigSyncRefused: { for: '30s' }, HostNetworkReceiveErrors: { for: '0s' }, SLOSliAbsent: { for: '2h' } },
      },
    };
    const rendered = renderedAlerts(overridden);
    const rule = (name: string) => rendered.find((r) => r.alert === name)!;
    expect(rule('ConfigSyncRefused').for).toBe('30s');
    expect(rule('ConfigSyncRefused').annotations!.description).toContain('the config bucket for 30 seconds (lgtm_config_sync_refused');
    expect(rule('HostNetworkReceiveErrors').for).toBeUndefined();
    expect(rule('HostNetworkReceiveErrors').annotations!.description).toMatch(/over 2 minutes were errors\.$/);
    // the per-SLO alerts take overrides too
    const sliAbsent = rendered.filter((r) => r.alert === 'SLOSliAbsent');
    expect(sliAbsent.length).toBeGreaterThan(0);
    for (const r of sliAbsent)
      expect({ for: r.for, description: r.annotations!.description }).toEqual({ for: '2h', description: expect.stringContaining('is absent for 2 hours:') });
    expect(rule('ConfigSyncStale').annotations!.description).toContain('(it runs every 10 seconds;');
    const untouched = (rules: Rule[]) =>
      rules.filter((r) => !['ConfigSyncRefused', 'HostNetworkReceiveErrors', 'SLOSliAbsent', 'ConfigSyncStale'].includes(r.alert!));
    expect(untouched(rendered)).toEqual(untouched(renderedAlerts()));
  });

  it('GIVEN dashboard variables THEN dashboard_url fills them from the alert labels', () => {
    const slo = renderedAlerts().find((r) => r.alert === 'SLOBurnRateFast');
    expect(slo?.annotations?.dashboard_url).toBe(
      'http://203.0.113.10:3000/d/lgtm-slo?var-service={{ $labels.service }}&var-environment={{ $labels.environment }}&var-slo={{ $labels.slo }}',
    );
    const host = renderedAlerts().find((r) => r.alert === 'HostHighCpu');
    expect(host?.annotations?.dashboard_url).toBe('http://203.0.113.10:3000/d/lgtm-host?var-instance={{ $labels.instance }}');
  });

  it('GIVEN alerting.grafanaBaseUrl THEN it wins over the host address; GIVEN a trailing slash THEN runbook URLs stay clean', () => {
    const config = { ...DEFAULT_CONFIG, alerting: { ...DEFAULT_CONFIG.alerting, grafanaBaseUrl: 'https://grafana.example' } };
    expect(renderedAlerts(config).find((r) => r.alert === 'HostDown')?.annotations?.dashboard_url).toBe(
      'https://grafana.example/d/lgtm-host?var-instance={{ $labels.instance }}',
    );
    expect(runbookUrl('https://x.example/runbooks/', 'HostDown')).toBe('https://x.example/runbooks/HostDown.md');
  });

  it('GIVEN thresholds in config THEN the expressions use them', () => {
    const config = {
      ...DEFAULT_CONFIG,
      alerting: { ...DEFAULT_CONFIG.alerting, thresholds: { ...DEFAULT_CONFIG.alerting.thresholds, cpuPercent: 75, doraTimeToRestoreHours: 4 } },
    };
    const files = renderRuleFiles(compilePlatform(config), CONTEXT)
      .map((f) => f.content)
      .join('\n');
    expect(files).toContain('[5m]))) > 75');
    expect(files).toContain('dora_time_to_restore_median_seconds{window="30d"} / 3600 > 4');
  });

  it('GIVEN an unknown alert name THEN alertDefinition throws naming the known ones', () => {
    expect(() => alertDefinition('Nope')).toThrow(/HostDown/);
  });
});
