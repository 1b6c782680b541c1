import { APP_TARGET_EXPECTED_SERIES } from '../../lib/prometheus/app-targets';
import { SERVICE_ALERT_LABELS_SERIES } from '../../lib/alerting/service-labels';
import * as yaml from 'js-yaml';
import { validatePlatformConfig } from '../../lib/config/loader';
import { PlatformConfigError } from '../../lib/config/errors';
import { RECORDED_SERIES, RULE_INPUT_METRICS } from '../../lib/prometheus/rule-series';
import { renderRuleFiles } from '../../lib/prometheus/rule-files';
import { SLO_ERROR_RATIO_WINDOWS, SLO_SERIES } from '../../lib/contracts/slo-series';
import { leMatcher } from '../../lib/slo/sli';
import { CONTEXT, DEFAULT_CONFIG } from '../prometheus/promtool-harness';
import { compilePlatform } from '../../lib/model/compile';

type Rule = { record?: string; alert?: string; expr: string; labels?: Record<string, string> };
type Doc = { groups: { name: string; rules: Rule[] }[] };

function sloRules(config = DEFAULT_CONFIG): Rule[] {
  const file = renderRuleFiles(compilePlatform(config), CONTEXT).find((f) => f.path === '/etc/prometheus/rules/slo.yml');
  if (!file) throw new Error('no slo.yml');
  return (yaml.load(file.content) as Doc).groups.flatMap((g) => g.rules);
}

const contractNames = [
  ...SLO_ERROR_RATIO_WINDOWS.map((w) => SLO_SERIES.errorRatio(w)),
  ...(Object.values(SLO_SERIES).filter((v) => typeof v === 'string') as string[]),
];

describe('SLO recording rules', () => {
  it('GIVEN the default config THEN every recorded name is one of lib/contracts/slo-series.ts, and every one of those is recorded for every SLO', () => {
    const rules = sloRules();
    for (const rule of rules.filter((r) => r.record)) expect(contractNames).toContain(rule.record);
    for (const slo of ['availability', 'requests', 'latency']) {
      for (const name of contractNames) {
        expect({ slo, name, recorded: rules.some((r) => r.record === name && r.labels?.slo === slo) }).toEqual({ slo, name, recorded: true });
      }
    }
    // besides the SLO vocabulary, the services' routing labels for the probe and app alerts, and the configured app targets
    expect([...RECORDED_SERIES].sort()).toEqual([...new Set([...contractNames, SERVICE_ALERT_LABELS_SERIES, APP_TARGET_EXPECTED_SERIES])].sort());
  });

  it('GIVEN the SLIs THEN the ratios aggregate by (service, environment) over the right raw metrics', () => {
    const rate5m = (slo: string) => sloRules().find((r) => r.record === 'slo:sli_error:ratio_rate5m' && r.labels?.slo === slo)?.expr;
    expect(rate5m('availability')).toBe('1 - avg by (service, environment) (avg_over_time(probe_success{job="blackbox-http",service="anvila-api"}[5m]))');
    expect(rate5m('requests')).toContain('rate(http_requests_total{job="app",service="anvila-api",status=~"5.."}[5m])');
    expect(rate5m('latency')).toContain('http_request_duration_seconds_bucket{job="app",service="anvila-api",le=~"0\\\\.5"}');
    expect(rate5m('latency')).toContain('sum by (service, environment) (rate(http_request_duration_seconds_count');
  });

  it('GIVEN thresholds THEN the le matcher accepts both spellings of whole numbers', () => {
    expect(leMatcher(0.25)).toBe('le=~"0\\\\.25"');
    expect(leMatcher(1)).toBe('le=~"1|1\\\\.0"');
  });

  it('GIVEN a new service with SLOs in config THEN its rules appear with no code change', () => {
    const raw = structuredClone(DEFAULT_CONFIG) as unknown as { services: unknown[] };
    raw.services.push({
      name: 'billing',
      environments: [{ name: 'production', probeUrl: 'https://billing.example/health', metricsTarget: '10.0.2.10:9000' }],
      slos: [
        { name: 'fast', objective: 99.9, window: '7d', sli: { latency: { threshold: 1 } } },
        { name: 'ok', objective: 99.9, sli: 'errors' },
      ],
    });
    const config = validatePlatformConfig(raw);
    const files = renderRuleFiles(compilePlatform(config), CONTEXT);
    const doc = yaml.load(files.find((f) => f.path.endsWith('/slo.yml'))!.content) as Doc;
    expect(doc.groups.map((g) => g.name)).toEqual(['slo-anvila-api-recording', 'slo-anvila-api-alerts', 'slo-billing-recording', 'slo-billing-alerts']);
    const billing = doc.groups.filter((g) => g.name.startsWith('slo-billing')).flatMap((g) => g.rules);
    expect(billing.find((r) => r.record === SLO_SERIES.periodDays && r.labels?.slo === 'fast')?.expr).toBe('vector(7)');
    expect(billing.find((r) => r.record === SLO_SERIES.errorRatioPeriod && r.labels?.slo === 'fast')?.expr).toContain('[7d]');
    // 99.9% over 7d = 10.08 minutes of budget
    expect(billing.find((r) => r.record === SLO_SERIES.errorBudgetRemainingMinutes && r.labels?.slo === 'fast')?.expr).toMatch(/\* 10\.08$/);
    expect(billing.find((r) => r.record === SLO_SERIES.errorRatio('5m') && r.labels?.slo === 'fast')?.expr).toContain('le=~"1|1\\\\.0"');
    expect(billing.filter((r) => r.alert).map((r) => [r.alert, r.labels?.slo])).toEqual([
      ['SLOBurnRateFast', 'fast'],
      ['SLOBurnRateSlow', 'fast'],
      ['SLOSliAbsent', 'fast'],
      ['SLOErrorBudgetExhausted', 'fast'],
      ['SLOBurnRateFast', 'ok'],
      ['SLOBurnRateSlow', 'ok'],
      ['SLOSliAbsent', 'ok'],
      ['SLOErrorBudgetExhausted', 'ok'],
    ]);
  });

  it('GIVEN a latency threshold that is no bucket boundary THEN config validation names the boundaries', () => {
    const raw = structuredClone(DEFAULT_CONFIG) as unknown as { services: { slos: { sli: unknown }[] }[] };
    raw.services[0].slos[2].sli = { latency: { threshold: 0.3 } };
    expect(() => validatePlatformConfig(raw, 'config/platform.yaml')).toThrow(PlatformConfigError);
    expect(() => validatePlatformConfig(raw, 'config/platform.yaml')).toThrow(/services\[0\]\.slos\[2\]\.sli\.latency\.threshold.*0\.25, 0\.5/);
  });

  it('GIVEN the rules THEN the raw metrics they read are exported for the metric catalog', () => {
    for (const name of [
      'up',
      'probe_success',
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'node_cpu_seconds_total',
      'dora_change_failure_rate_ratio',
      'dora_time_to_restore_median_seconds',
    ]) {
      expect(RULE_INPUT_METRICS).toContain(name);
    }
    for (const name of RECORDED_SERIES) expect(RULE_INPUT_METRICS).not.toContain(name);
  });
});
