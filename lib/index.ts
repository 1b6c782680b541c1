// The public API of the library, and nothing else.
export { ObservabilityPlatform, type ObservabilityPlatformProps } from './platform';
export { loadPlatformConfig, parsePlatformConfig, validatePlatformConfig } from './config/loader';
export { PlatformConfigError, PlatformInternalError } from './config/errors';
export { platformJsonSchema } from './config/json-schema';
export { SCHEMA_DOCS, renderConfigurationMarkdown, type KeyDoc, type SchemaDocs } from './config/schema-docs';
export {
  platformSchema,
  durationSeconds,
  type PlatformConfig,
  type PlatformConfigInput,
  type ServiceConfig,
  type EnvironmentConfig,
  type SloConfig,
  type DoraConfig,
  type AlertThresholds,
} from './config/schema';
export { InfraStack, type InfraStackProps } from './infra-stack';
export { MonitoringHost, type MonitoringHostProps } from './host/monitoring-host';
export { ConfigBucket, type ConfigBucketProps } from './host/config-bucket';
export { HostSecurityGroup, type HostSecurityGroupProps } from './host/host-security-group';
export { AppServerAgent, type AppServerAgentProps } from './agent/app-server-agent';
export { agentTargets, type AgentTarget } from './agent/targets';
export { renderAgentInstallScript } from './agent/install-script';
export { renderAgentOtelcolConfig } from './agent/agent-otelcol';
export { agentServiceSpecs, renderAgentUnit } from './agent/agent-units';
export { renderAgentSsmDocument, agentAssociationTargets } from './agent/ssm-document';
export { renderAgentFiles } from './agent/agent-files';
export { HostRole, type HostRoleProps } from './host/host-role';
export { compilePlatform, type PlatformModel, type SloModel, type CompileOptions } from './model/compile';
export { modelOf, type PlatformSource } from './model/platform-source';
export { AGENT_ARTIFACTS, type ArtifactPins } from './model/artifact-pins';
export type { DashboardModel } from './model/dashboards';
export type { ArtifactSpec, ResolvedArtifact, ArtifactName } from './host/artifacts';
export { SecretsKey, type SecretsKeyProps } from './host/secrets-key';
export { GrafanaFrontDoor, type GrafanaFrontDoorProps } from './host/grafana-front-door';
export { renderConfigManifest, configManifestParameterName, CONFIG_MANIFEST_OBJECT } from './host/config-manifest';
export { renderBootstrapUserData, type BootstrapSettings } from './host/bootstrap-user-data';
export { renderHostFiles } from './render-host-files';
export type { HostFile, HostContext } from './shared/host-file';
export { architectureOf, type Architecture } from './host/architecture';
export { PORTS } from './contracts/ports';
export { hostSecrets, hostSecretParameters, grafanaAdminPasswordParameter } from './host/secrets';
// Prometheus, alerts and SLOs
export { ALERT_CATALOG, ALERT_PACKS, type AlertName } from './alerting/packs';
export type { AlertDefinition, StaticAlertDefinition, SloAlertDefinition } from './alerting/alert-definition';
export { renderPrometheusConfig } from './prometheus/scrape-config';
export { renderRuleFiles, renderPrometheusFiles } from './prometheus/rule-files';
export { renderBlackboxConfig } from './prometheus/blackbox';
export { RECORDED_SERIES, RULE_INPUT_METRICS } from './prometheus/rule-series';
export { SLO_SERIES } from './contracts/slo-series';
export { CONFIG_SYNC_METRICS, CONFIG_SYNC_SCHEDULE, CONFIG_SYNC_STALE_AFTER_SECONDS, CONFIG_SYNC_STATE_DIR } from './contracts/config-sync';
export { errorBudgetMinutes, errorBudgetRatio, maxBurnRate } from './slo/error-budget';
export {
  BURN_RATE_TIERS,
  REFERENCE_PERIOD,
  planBurnRateTiers,
  scaleTierToPeriod,
  type BurnRateTier,
  type BurnRatePlan,
  type PlannedTier,
} from './slo/burn-rate';
// OpenSLO v1 input: SLO documents into a raw platform description, which validatePlatformConfig then checks
export { importOpenSlo, addImportedSlos, type ImportedSlo } from './slo/openslo';
// Alertmanager and runbooks
export { renderAlertmanagerConfig, renderAlertmanagerFiles } from './alerting/alertmanager-config';
export { alertmanagerSecretFiles } from './alerting/secret-files';
export { checkRunbooks, readRunbookFiles, platformRunbooks, RUNBOOK_SECTIONS, type RunbookSource, type RunbookFile } from './alerting/runbooks';
// Extension points: your own rules (config `rules`), scrape jobs (config `scrapeJobs`), dashboards (GrafanaStack.addDashboard)
export { customRuleFile, CUSTOM_RULE_FILE } from './prometheus/custom-rules';
export { checkCustomRules, PLATFORM_ONLY_METRIC_PREFIXES } from './checks/custom-rules';
export { FOLDERS, DASHBOARD_FOLDERS, type FolderKey } from './grafana/folders';
// Grafana
export { GrafanaStack, type GrafanaStackProps } from './grafana/grafana-stack';
export { DASHBOARDS, dashboardUrl } from './contracts/dashboards';
export { validateDashboards } from './grafana/dashboard-checks';
export { livePrometheusQueries } from './grafana/live-queries';
export { METRIC_CATALOG, isKnownMetric } from './grafana/metric-catalog';
// DORA exporter
export { renderDoraExporterFiles } from './dora/dora-exporter-files';
export { DORA_METRICS } from './dora/exporter/metric-names';
// Game days
export {
  allGamedayScenarios,
  gamedayScenarios,
  runScenarios,
  formatResult,
  runGameday,
  formatTable,
  writeReport,
  type Scenario,
  type ScenarioResult,
  type GamedayRow,
} from './gameday';
export { configureStackState } from './stack-state';
// Scale-out mode (scale: distributed)
export { ScaleOut, type ScaleOutProps, type IngestPlacement } from './scale/scale-out';
export { TelemetryBucket, TelemetryBuckets, type TelemetryBucketProps, type TelemetryBucketsProps } from './scale/telemetry-buckets';
export { ManagedPrometheus, type ManagedPrometheusProps } from './scale/managed-prometheus';
export { IngestFleet, type IngestFleetProps } from './scale/ingest-fleet';
export { renderIngestUserData } from './scale/ingest-user-data';
export { renderIngestCollectorConfig } from './telemetry/ingest-collector';
// Who may push OTLP: per environment its receiver ports and token parameter; the host's published CA certificate
export { otlpEnvironments, otlpCaParameter, type OtlpEnvironment } from './telemetry/otlp-sources';
export { remoteWriteConfig, REMOTE_WRITE_QUEUE } from './prometheus/remote-write';
export { hardenBucket } from './host/private-bucket';
export { scaleSettings, placeholderScaleEndpoints, type ScaleEndpoints, type ScaleSettings } from './contracts/scale-endpoints';
export type { DistributedConfig, MetricsStoreConfig, IngestConfig } from './config/schema';
// Policy rules over the synthesized Terraform (docs/policy-rules.md)
export {
  POLICY_RULES,
  addPolicyCheck,
  checkStacksPolicy,
  suppressPolicyRule,
  evaluatePolicy,
  stackDocument,
  PolicyViolationError,
  findSecrets,
  renderPolicyRulesMarkdown,
  RESOURCE_WILDCARD_ACTIONS,
  type PolicyRule,
  type PolicyCheckOptions,
  type Violation,
} from './policy';
