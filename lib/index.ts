// The public API of the library, and nothing else.
export { ObservabilityPlatform, type ObservabilityPlatformProps } from './platform';
export { loadPlatformConfig, parsePlatformConfig, validatePlatformConfig } from './config/loader';
export { PlatformConfigError } from './config/errors';
export {
  platformSchema,
  durationSeconds,
  type PlatformConfig,
  type ServiceConfig,
  type EnvironmentConfig,
  type SloConfig,
  type DoraConfig,
  type AlertThresholds,
} from './config/schema';
export { InfraStack, type InfraStackProps } from './host/infra-stack';
export { MonitoringHost, type MonitoringHostProps } from './host/monitoring-host';
export { ConfigBucket, type ConfigBucketProps } from './host/config-bucket';
export { HostSecurityGroup, type HostSecurityGroupProps } from './host/host-security-group';
export { HostRole, type HostRoleProps } from './host/host-role';
export { renderHostFiles } from './host-files';
export type { HostFile, HostContext } from './host/host-file';
export { architectureOf, type Architecture } from './host/architecture';
export { PORTS } from './host/ports';
export { hostSecrets, hostSecretParameters, grafanaAdminPasswordParameter } from './host/secrets';
// Prometheus, alerts and SLOs
export { ALERT_CATALOG, type AlertDefinition } from './alerting/catalog';
export { renderPrometheusConfig } from './prometheus/scrape-config';
export { renderRuleFiles, renderPrometheusFiles } from './prometheus/rule-files';
export { renderBlackboxConfig } from './prometheus/blackbox';
export { RECORDED_SERIES, RULE_INPUT_METRICS } from './prometheus/metric-names';
export { SLO_SERIES } from './contracts/slo-series';
export { errorBudgetMinutes, errorBudgetRatio, maxBurnRate } from './slo/error-budget';
export { BURN_RATE_TIERS, planBurnRateTiers, sloBurnRateNotes } from './slo/burn-rate';
// Alertmanager and runbooks
export { renderAlertmanagerConfig, renderAlertmanagerFiles } from './alerting/alertmanager-config';
export { alertmanagerSecretFiles } from './alerting/secret-files';
export { checkRunbooks, readRunbookFiles, RUNBOOK_SECTIONS } from './alerting/runbooks';
// Grafana
export { GrafanaStack, type GrafanaStackProps } from './grafana/grafana-stack';
export { DASHBOARDS, dashboardUrl } from './contracts/dashboards';
export { validateDashboards } from './grafana/dashboard-checks';
export { livePrometheusQueries } from './grafana/live-queries';
export { METRIC_CATALOG, isKnownMetric } from './grafana/metric-catalog';
// DORA exporter
export { renderDoraExporterFiles } from './dora/dora-exporter-files';
export { DORA_METRICS } from '../dora-exporter/metric-names';
// Game days
export { allGamedayScenarios, gamedayScenarios, runScenarios, formatResult, runGameday, formatTable, writeReport, type Scenario, type ScenarioResult, type GamedayRow } from '../gameday';
export { configureStackState } from './stack-state';
