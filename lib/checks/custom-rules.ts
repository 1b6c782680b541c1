import { ALERT_CATALOG } from '../alerting/packs';
import { PlatformConfigError, throwConfigErrors } from '../config/errors';
import type { PlatformConfig } from '../config/schema';
import { isKnownMetric } from '../grafana/metric-catalog';
import { promqlMetricNames } from '../promql/expression-metrics';

/**
 * Metric name prefixes of series the platform alone produces (the DORA exporter, the SLO recording rules,
 * the config sync): every name there is in the metric catalog, so an unknown one is a typo. Names elsewhere
 * (your exporters, the Node Exporter's hundreds of series) cannot be checked and are left alone.
 */
export const PLATFORM_ONLY_METRIC_PREFIXES = ['dora_', 'slo:', 'lgtm_'] as const;

/**
 * The description's own rules against the platform's: alert names unique (a clash would merge two alerts in
 * Alertmanager), and names of platform-only series real. Grammar and shape are checked by the schema already.
 */
export function checkCustomRules(config: PlatformConfig, file: string): void {
  throwConfigErrors(customRuleProblems(config, file));
}

/** Every mistake {@link checkCustomRules} finds, in the order of the description. */
export function customRuleProblems(config: PlatformConfig, file: string): PlatformConfigError[] {
  const problems: PlatformConfigError[] = [];
  const names = new Map<string, string>(ALERT_CATALOG.map((alert) => [alert.name, 'the platform']));
  const recorded = new Set(config.rules.recording.map((rule) => rule.record));
  config.rules.alerts.forEach((alert, a) => {
    const owner = names.get(alert.name);
    if (owner)
      problems.push(
        new PlatformConfigError(
          file,
          `rules.alerts[${a}].name`,
          JSON.stringify(alert.name),
          `expected an alert name not used by ${owner}: choose another UpperCamelCase name`,
        ),
      );
    names.set(alert.name, `rules.alerts[${a}]`);
  });
  const exprs = [
    ...config.rules.alerts.map((alert, a) => ({ path: `rules.alerts[${a}].expr`, expr: alert.expr })),
    ...config.rules.recording.map((rule, r) => ({ path: `rules.recording[${r}].expr`, expr: rule.expr })),
  ];
  for (const { path, expr } of exprs)
    for (const metric of promqlMetricNames(expr))
      if (PLATFORM_ONLY_METRIC_PREFIXES.some((prefix) => metric.startsWith(prefix)) && !isKnownMetric(metric) && !recorded.has(metric))
        problems.push(
          new PlatformConfigError(
            file,
            path,
            `metric ${JSON.stringify(metric)}, which nothing on the platform produces`,
            `expected a metric of the platform's catalog (lib/grafana/metric-catalog.ts, e.g. ${PLATFORM_ONLY_METRIC_PREFIXES.map((p) => `${p}...`).join(', ')}) or one of rules.recording`,
          ),
        );
  return problems;
}
