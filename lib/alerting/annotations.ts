import { alertDescription, effectiveFor, type AlertDefinition } from './alert-definition';
import { runbookUrl } from './packs';
import type { PlatformConfig } from '../config/schema';
import { DASHBOARDS, dashboardUrl } from '../contracts/dashboards';
import type { HostContext } from '../shared/host-file';
import type { AlertingRule } from '../promql/rule-types';

/** The Grafana base URL in alert links: `alerting.grafanaBaseUrl`, else the host's address from the context. */
export function alertGrafanaUrl(config: PlatformConfig, context: HostContext): string {
  return config.alerting.grafanaBaseUrl ?? context.grafanaUrl;
}

/**
 * `dashboard_url` of an alert: the pack entry's dashboard, with each dashboard variable the alert carries as a
 * label filled by a label template (`var-service={{ $labels.service }}`).
 */
export function alertDashboardUrl(def: AlertDefinition, grafanaUrl: string): string {
  const values: Record<string, string> = {};
  for (const variable of DASHBOARDS[def.dashboard].variables as readonly string[]) {
    if (def.labels.includes(variable)) values[variable] = `{{ $labels.${variable} }}`;
  }
  return dashboardUrl(grafanaUrl, def.dashboard, values);
}

/** The four annotations every alert carries, plus `value` where the pack entry gives one. */
export function alertAnnotations(def: AlertDefinition, config: PlatformConfig, context: HostContext): Record<string, string> {
  return {
    summary: def.summary,
    description: alertDescription(def, config),
    ...(def.value !== undefined ? { value: def.value } : {}),
    runbook_url: runbookUrl(config.alerting.runbookBaseUrl, def.name),
    dashboard_url: alertDashboardUrl(def, alertGrafanaUrl(config, context)),
  };
}

/** An alerting rule for a pack entry: its expression, `for` (`alerting.alertOverrides` included), `severity` label and annotations. */
export function alertingRule(def: AlertDefinition, expr: string, config: PlatformConfig, context: HostContext): AlertingRule {
  return {
    alert: def.name,
    expr,
    ...(effectiveFor(def, config) !== '0s' ? { for: effectiveFor(def, config) } : {}),
    labels: { severity: def.severity },
    annotations: alertAnnotations(def, config, context),
  };
}
