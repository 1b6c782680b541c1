import type { PlatformConfig, SloConfig } from '../config/schema';
import { SLO_SERIES } from '../contracts/slo-series';
import { isAlertingRule, type RuleFile } from '../promql/rule-types';
import { sliKind } from '../slo/sli';
import { tierFactors } from './burn-model';
import type { Scenario, ScenarioChart } from './scenario';

export type { ScenarioChart };

const SLO_FAMILY_KIND: Record<string, 'probe' | 'errors' | 'latency' | undefined> = {
  'service-outage': 'probe',
  'error-spike': 'errors',
  'latency-degradation': 'latency',
};

/** The alert whose own expression charts a non-SLO scenario. */
const ALERT_OF: Record<string, string> = {
  'service-outage': 'ProbeFailing',
  'error-spike': 'App5xxRatioHigh',
  'host-pressure/cpu': 'HostHighCpu',
  'host-pressure/disk-fill': 'HostDiskFillingUp',
  'host-pressure/disk-fill-fast': 'HostDiskFillingUpCritical',
  'host-pressure/unit-crash-loop': 'HostUnitCrashLooping',
  'platform-self-failure/alertmanager-notifications': 'AlertmanagerNotificationsFailing',
  'platform-self-failure/rule-evaluation-failures': 'PrometheusRuleEvaluationFailures',
  'platform-self-failure/config-sync-stopped': 'ConfigSyncStale',
  'deployment-failure': 'DoraChangeFailureRateHigh',
};

/** The chart of a scenario: its own, else the SLO burn rate or the value its main alert compares. */
export function chartFor(config: PlatformConfig, scenario: Scenario, files: readonly RuleFile[]): ScenarioChart | undefined {
  if (scenario.chart) return scenario.chart;
  const [family, serviceName, environment, sloName] = scenario.name.split('/');
  const service = config.services.find((s) => s.name === serviceName);
  if (service && environment) {
    const kind = SLO_FAMILY_KIND[family];
    const slo = service.slos.find((s) => (family === 'slow-burn' ? s.name === sloName : kind !== undefined && sliKind(s) === kind));
    if (slo) return burnRateChart(serviceName, environment, slo);
  }
  const componentDown = /^platform-self-failure\/(.+)-down$/.exec(scenario.name);
  if (componentDown) {
    return {
      title: `up of the ${componentDown[1]} scrape target`,
      expr: `min(up{job="${componentDown[1]}"})`,
      unit: '',
      thresholds: [{ label: 'PlatformComponentDown (== 0)', value: 0 }],
    };
  }
  const alert = ALERT_OF[scenario.name] ?? ALERT_OF[family];
  return alert ? alertValueChart(files, alert) : undefined;
}

/** The 1h burn rate of one SLO against the burn factors of its page and ticket tiers. */
export function burnRateChart(service: string, environment: string, slo: SloConfig): ScenarioChart {
  return {
    title: `burn rate (1h) of ${service}/${environment}/${slo.name}`,
    expr: `max(${SLO_SERIES.currentBurnRate}{service="${service}",environment="${environment}",slo="${slo.name}"})`,
    unit: 'x',
    thresholds: [
      ...tierFactors(slo.objective, 'SLOBurnRateFast', slo.window).map((f) => ({ label: `SLOBurnRateFast ${f}x`, value: f })),
      ...tierFactors(slo.objective, 'SLOBurnRateSlow', slo.window).map((f) => ({ label: `SLOBurnRateSlow ${f}x`, value: f })),
    ],
  };
}

/**
 * The left side of an alert's comparison (`X > 90` → X, threshold 90), from the rendered rule; the first
 * operand of an `and`/`or` when the expression has several.
 */
export function alertValueChart(files: readonly RuleFile[], alertname: string): ScenarioChart | undefined {
  const rule = files.flatMap((f) => f.groups.flatMap((g) => g.rules)).find((r) => isAlertingRule(r) && r.alert === alertname);
  if (!rule) return undefined;
  const first = rule.expr.split(/ (?:and|or|unless)(?: on \([^)]*\))? /)[0];
  const match = /^(.*) (>|<|==|>=|<=) (-?[\d.e+]+)$/.exec(first.trim());
  if (!match) return undefined;
  return {
    title: `${alertname}: ${match[1]}`,
    expr: `max(${match[1]})`,
    unit: '',
    thresholds: [{ label: `${alertname} (${match[2]} ${match[3]})`, value: Number(match[3]) }],
  };
}
