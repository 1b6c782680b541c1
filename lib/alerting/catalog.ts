import { DORA_METRICS } from '../../dora-exporter/metric-names';
import type { DashboardKey } from '../contracts/dashboards';
import { SLO_SERIES } from '../contracts/slo-series';
import { CONFIG_SYNC_METRICS, CONFIG_SYNC_STATE_DIR } from '../contracts/config-sync';

/**
 * The alert catalog: one typed list from which the Prometheus alert rules, their annotations, the runbook
 * checks and the dashboard links are derived. The PromQL of each alert lives in lib/prometheus/alert-rules.ts
 * (static alerts) and lib/slo/ (burn-rate alerts); this file holds what every consumer needs to know about an
 * alert without reading PromQL.
 */

/** `critical` pages someone; `warning` opens a ticket. */
export type AlertSeverity = 'critical' | 'warning';

/** Which labels identify what an alert is about (besides `severity`, which every alert has). */
export type AlertScope =
  /** `instance` (the monitoring host). */
  | 'host'
  /** `service`, `environment` (and `instance`: the probed URL or the metrics target). */
  | 'service'
  /** `service`, `environment`, `slo`. */
  | 'slo'
  /** `repo`, `environment` (the DORA exporter's labels). */
  | 'dora'
  /** `job`, `instance` of a platform component. */
  | 'platform';

/** The rule file (and group) an alert is rendered into: `/etc/prometheus/rules/<group>.yml`. */
export type AlertGroup = 'host' | 'probes' | 'app' | 'slo' | 'dora' | 'platform';

export interface AlertDefinition {
  /** UpperCamelCase alert name; also the runbook file name `runbooks/<name>.md`. */
  readonly name: string;
  readonly severity: AlertSeverity;
  readonly group: AlertGroup;
  readonly scope: AlertScope;
  /** Labels every firing instance carries besides `severity` (from the series or the rule). */
  readonly labels: readonly string[];
  /** How long the condition must hold before the alert fires (Prometheus `for`); `0s` fires at once. */
  readonly for: string;
  /** One line, with label templates. */
  readonly summary: string;
  /** What is wrong, with the current value (`{{ $value }}`), and what it means. */
  readonly description: string;
  /**
   * The current value with its unit, short (the `value` annotation, shown as "Value" in notifications).
   * Absent where the expression's value says nothing (`up == 0 or absent(up)` is 0 or 1 for the same state).
   */
  readonly value?: string;
  /** Dashboard that `dashboard_url` opens; its variables are filled from the alert's labels. */
  readonly dashboard: DashboardKey;
  /** Runbook path relative to the repository root. */
  readonly runbook: string;
  /** Metric names the alert's expression reads (raw or recorded). */
  readonly reads: readonly string[];
}

const HOST = ['instance'];

/** What both burn-rate alerts read: the error ratios of every burn-rate window (either alert's tiers may use any), and the budget left. */
const BURN_RATE_READS = [...(['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const).map((window) => SLO_SERIES.errorRatio(window)), SLO_SERIES.errorBudgetRemaining];

/** Go template that looks up the error budget left for the alert's SLO, for burn-rate alert descriptions. */
const BUDGET_LEFT =
  `{{ with printf "${SLO_SERIES.errorBudgetRemaining}{service='%s',environment='%s',slo='%s'}" $labels.service $labels.environment $labels.slo | query }}` +
  '{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}';
const SERVICE = ['service', 'environment', 'instance'];

function alert(def: Omit<AlertDefinition, 'runbook'>): AlertDefinition {
  return { ...def, runbook: `runbooks/${def.name}.md` };
}

/** Every alert the platform defines, in the order they appear in the rule files. */
export const ALERT_CATALOG: readonly AlertDefinition[] = [
  alert({
    name: 'HostDown',
    severity: 'critical',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '2m',
    summary: 'Node exporter on {{ $labels.instance }} is not being scraped',
    description:
      'Prometheus has not scraped the node exporter on {{ $labels.instance }} for 2 minutes (up is 0 or absent): host metrics, and every host alert, are blind.',
    dashboard: 'host',
    reads: ['up'],
  }),
  alert({
    name: 'HostHighCpu',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '10m',
    summary: 'CPU of {{ $labels.instance }} is above the threshold',
    description: 'CPU utilisation of {{ $labels.instance }} has been {{ $value | humanize }}% for 10 minutes.',
    value: '{{ $value | humanize }}% CPU',
    dashboard: 'host',
    reads: ['node_cpu_seconds_total'],
  }),
  alert({
    name: 'HostHighMemory',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '10m',
    summary: 'Memory of {{ $labels.instance }} is above the threshold',
    description: 'Memory in use on {{ $labels.instance }} has been {{ $value | humanize }}% for 10 minutes.',
    value: '{{ $value | humanize }}% memory used',
    dashboard: 'host',
    reads: ['node_memory_MemAvailable_bytes', 'node_memory_MemTotal_bytes'],
  }),
  alert({
    name: 'HostDiskFillingUp',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: [...HOST, 'mountpoint', 'device'],
    for: '15m',
    summary: 'Disk {{ $labels.mountpoint }} of {{ $labels.instance }} is predicted to fill up',
    description:
      'At the trend of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} fills up within the configured horizon; {{ $value | humanize }}% is free now.',
    value: '{{ $value | humanize }}% free',
    dashboard: 'host',
    reads: ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes', 'node_filesystem_readonly'],
  }),
  alert({
    name: 'HostDiskAlmostFull',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: [...HOST, 'mountpoint', 'device'],
    for: '5m',
    summary: 'Disk {{ $labels.mountpoint }} of {{ $labels.instance }} is almost full',
    description: '{{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | humanize }}% full.',
    value: '{{ $value | humanize }}% used',
    dashboard: 'host',
    reads: ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes'],
  }),
  alert({
    name: 'ProbeFailing',
    severity: 'critical',
    group: 'probes',
    scope: 'service',
    labels: SERVICE,
    for: '2m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) fails its HTTP probe',
    description:
      'Only {{ $value | humanizePercentage }} of the blackbox probes of {{ $labels.instance }} succeeded over the last 5 minutes.',
    value: '{{ $value | humanizePercentage }} of probes succeeded (5m)',
    dashboard: 'uptime',
    reads: ['probe_success'],
  }),
  alert({
    name: 'ProbeSlow',
    severity: 'warning',
    group: 'probes',
    scope: 'service',
    labels: SERVICE,
    for: '5m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) answers its probe slowly',
    description: 'The blackbox probe of {{ $labels.instance }} has taken {{ $value | humanizeDuration }} on average over 5 minutes.',
    value: '{{ $value | humanizeDuration }} average probe duration (5m)',
    dashboard: 'uptime',
    reads: ['probe_duration_seconds'],
  }),
  alert({
    name: 'TlsCertificateExpiring',
    severity: 'warning',
    group: 'probes',
    scope: 'service',
    labels: SERVICE,
    for: '10m',
    summary: 'TLS certificate of {{ $labels.service }} ({{ $labels.environment }}) expires soon',
    description: 'The certificate served at {{ $labels.instance }} expires in {{ $value | humanize }} days.',
    value: '{{ $value | humanize }} days left',
    dashboard: 'uptime',
    reads: ['probe_ssl_earliest_cert_expiry'],
  }),
  alert({
    name: 'App5xxRatioHigh',
    severity: 'warning',
    group: 'app',
    scope: 'service',
    labels: ['service', 'environment'],
    for: '5m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) answers too many requests with 5xx',
    description: '{{ $value | humanize }}% of the requests of {{ $labels.service }} in {{ $labels.environment }} failed with a 5xx status over 5 minutes.',
    value: '{{ $value | humanize }}% 5xx (5m)',
    dashboard: 'service',
    reads: ['http_requests_total'],
  }),
  alert({
    name: 'AppTargetDown',
    severity: 'warning',
    group: 'app',
    scope: 'service',
    labels: ['job', 'service', 'environment'],
    for: '5m',
    summary: 'Prometheus cannot scrape the metrics of {{ $labels.service }} ({{ $labels.environment }})',
    description:
      'The app metrics target of {{ $labels.service }} in {{ $labels.environment }} has not been scraped for 5 minutes (up is 0 or absent): its request, error and latency series and every SLO built on them have no fresh data, so their alerts cannot fire.',
    dashboard: 'service',
    reads: ['up'],
  }),
  alert({
    name: 'SLOBurnRateFast',
    severity: 'critical',
    group: 'slo',
    scope: 'slo',
    labels: ['service', 'environment', 'slo'],
    for: '0s',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) burns its {{ $labels.slo }} error budget fast',
    description:
      'The {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} burns its error budget at {{ $value | humanize }}x the sustainable rate; at this pace the budget is gone within days. Error budget left: ' +
      BUDGET_LEFT +
      '.',
    value: '{{ $value | humanize }}x burn rate',
    dashboard: 'slo',
    reads: BURN_RATE_READS,
  }),
  alert({
    name: 'SLOBurnRateSlow',
    severity: 'warning',
    group: 'slo',
    scope: 'slo',
    labels: ['service', 'environment', 'slo'],
    for: '0s',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) burns its {{ $labels.slo }} error budget steadily',
    description:
      'The {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} burns its error budget at {{ $value | humanize }}x the sustainable rate; at this pace the budget runs out before the window ends. Error budget left: ' +
      BUDGET_LEFT +
      '.',
    value: '{{ $value | humanize }}x burn rate',
    dashboard: 'slo',
    reads: BURN_RATE_READS,
  }),
  alert({
    name: 'DoraChangeFailureRateHigh',
    severity: 'warning',
    group: 'dora',
    scope: 'dora',
    labels: ['repo', 'environment'],
    for: '30m',
    summary: 'Change failure rate of {{ $labels.repo }} is above the threshold',
    description: '{{ $value | humanize }}% of the deploys of {{ $labels.repo }} to {{ $labels.environment }} over the last 30 days caused a failure.',
    value: '{{ $value | humanize }}% of deploys failed (30d)',
    dashboard: 'dora',
    reads: [DORA_METRICS.changeFailureRate],
  }),
  alert({
    name: 'DoraTimeToRestoreHigh',
    severity: 'warning',
    group: 'dora',
    scope: 'dora',
    labels: ['repo', 'environment'],
    for: '30m',
    summary: 'Time to restore of {{ $labels.repo }} is above the threshold',
    description: 'The median time to restore service of {{ $labels.repo }} in {{ $labels.environment }} over the last 30 days is {{ $value | humanize }} hours.',
    value: '{{ $value | humanize }} h median time to restore (30d)',
    dashboard: 'dora',
    reads: [DORA_METRICS.timeToRestoreMedian],
  }),
  alert({
    name: 'DoraExporterDown',
    severity: 'warning',
    group: 'dora',
    scope: 'platform',
    labels: ['job', 'instance'],
    for: '10m',
    summary: 'The DORA exporter is down',
    description: 'Prometheus has not scraped the DORA exporter on {{ $labels.instance }} for 10 minutes (up is 0 or absent); DORA metrics are stale.',
    dashboard: 'dora',
    reads: ['up'],
  }),
  alert({
    name: 'PrometheusRuleEvaluationFailures',
    severity: 'critical',
    group: 'platform',
    scope: 'platform',
    labels: ['job', 'instance', 'rule_group'],
    for: '5m',
    summary: 'Prometheus fails to evaluate rules of group {{ $labels.rule_group }}',
    description: 'Prometheus failed {{ $value | humanize }} rule evaluations in group {{ $labels.rule_group }} over 5 minutes; alerts of that group may not fire.',
    value: '{{ $value | humanize }} failed evaluations (5m)',
    dashboard: 'platform',
    reads: ['prometheus_rule_evaluation_failures_total'],
  }),
  alert({
    name: 'AlertmanagerNotificationsFailing',
    severity: 'critical',
    group: 'platform',
    scope: 'platform',
    labels: ['job', 'instance', 'integration'],
    for: '10m',
    summary: 'Alertmanager fails to deliver notifications via {{ $labels.integration }}',
    description: 'Alertmanager failed {{ $value | humanize }} notifications per second via {{ $labels.integration }} over 5 minutes; alerts may not reach anyone.',
    value: '{{ $value | humanize }} failed notifications/s (5m)',
    dashboard: 'platform',
    reads: ['alertmanager_notifications_failed_total'],
  }),
  alert({
    name: 'PlatformComponentDown',
    severity: 'warning',
    group: 'platform',
    scope: 'platform',
    labels: ['job', 'instance'],
    for: '5m',
    summary: 'Platform component {{ $labels.job }} is down',
    description: 'Prometheus has failed to scrape {{ $labels.job }} on {{ $labels.instance }} for 5 minutes (up = {{ $value }}); that part of the platform is blind or down.',
    value: 'up = {{ $value }}',
    dashboard: 'platform',
    reads: ['up'],
  }),
  alert({
    name: 'ConfigSyncRefused',
    severity: 'warning',
    group: 'platform',
    scope: 'host',
    labels: [...HOST, 'group'],
    for: '5m',
    summary: 'The host {{ $labels.instance }} refuses the pushed {{ $labels.group }} configuration',
    description:
      'The config sync on {{ $labels.instance }} has refused the {{ $labels.group }} files in the config bucket for 5 minutes (lgtm_config_sync_refused = {{ $value }}): ' +
      'they failed their checker, so {{ $labels.group }} keeps running the last good files and the pushed change is not live. ' +
      `Why: journalctl -u lgtm-sync on the host, and the checker output in ${CONFIG_SYNC_STATE_DIR}/rejected/{{ $labels.group }}/reason.txt.`,
    dashboard: 'platform',
    reads: [CONFIG_SYNC_METRICS.refused],
  }),
  alert({
    name: 'ConfigSyncStale',
    severity: 'warning',
    group: 'platform',
    scope: 'host',
    labels: HOST,
    for: '5m',
    summary: 'The config sync on {{ $labels.instance }} has stopped running',
    description:
      'The config sync on {{ $labels.instance }} has not recorded a finished run for {{ $value | humanizeDuration }} (it runs every minute; with no record at all, counted from boot): ' +
      'pushed configuration no longer reaches the host. See systemctl status lgtm-sync.timer lgtm-sync.service and journalctl -u lgtm-sync.',
    value: '{{ $value | humanizeDuration }} since the last sync run',
    dashboard: 'platform',
    reads: [CONFIG_SYNC_METRICS.lastRun, 'node_boot_time_seconds'],
  }),
];

/** The names every consumer may rely on (issues 5 and 6 depend on these). */
export const ALERT_NAMES = ALERT_CATALOG.map((a) => a.name);

/** The catalog entry of an alert; throws for an unknown name. */
export function alertDefinition(name: string): AlertDefinition {
  const found = ALERT_CATALOG.find((a) => a.name === name);
  if (!found) throw new Error(`no alert named ${name} in the catalog; known: ${ALERT_NAMES.join(', ')}`);
  return found;
}

/** `runbook_url` of an alert: `<runbookBaseUrl>/<AlertName>.md`. */
export function runbookUrl(runbookBaseUrl: string, name: string): string {
  return `${runbookBaseUrl.replace(/\/+$/, '')}/${name}.md`;
}
