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

/** `critical` pages someone; `warning` opens a ticket; `info` tells the team without asking for action now. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

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
  /**
   * The warning alert this one is the critical tier of: the same condition at a stricter threshold. The two
   * share the warning alert's runbook, and while both fire the critical one mutes its twin in Alertmanager.
   */
  readonly tierOf?: string;
  /** Runbook path relative to the repository root (the warning twin's, for a critical tier). */
  readonly runbook: string;
  /** Metric names the alert's expression reads (raw or recorded). */
  readonly reads: readonly string[];
}

const HOST = ['instance'];

/** What both burn-rate alerts read: the error ratios of every burn-rate window of the 30d reference (either alert's tiers may use any; other periods read their scaled windows), and the budget left. */
const BURN_RATE_READS = [...(['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const).map((window) => SLO_SERIES.errorRatio(window)), SLO_SERIES.errorBudgetRemaining];

/** Go template that looks up the error budget left for the alert's SLO, for burn-rate alert descriptions. */
const BUDGET_LEFT =
  `{{ with printf "${SLO_SERIES.errorBudgetRemaining}{service='%s',environment='%s',slo='%s'}" $labels.service $labels.environment $labels.slo | query }}` +
  '{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}';
const SERVICE = ['service', 'environment', 'instance'];

function alert(def: Omit<AlertDefinition, 'runbook'>): AlertDefinition {
  return { ...def, runbook: `runbooks/${def.tierOf ?? def.name}.md` };
}

/** The critical tier of a warning alert: its name with `Critical`, severity critical, its runbook; the rest given. */
function criticalTier(warning: AlertDefinition, def: Pick<AlertDefinition, 'summary' | 'description'> & Partial<AlertDefinition>): AlertDefinition {
  return alert({ ...warning, ...def, name: `${warning.name}Critical`, severity: 'critical', tierOf: warning.name });
}

/** Filesystem alerts: one per real filesystem. */
const FILESYSTEM = [...HOST, 'mountpoint', 'device'];

const hostHighCpu = alert({
  name: 'HostHighCpu',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: HOST,
  for: '15m',
  summary: 'CPU of {{ $labels.instance }} is above the threshold',
  description: 'CPU utilisation of {{ $labels.instance }} has been {{ $value | humanize }}% for 15 minutes.',
  value: '{{ $value | humanize }}% CPU',
  dashboard: 'host',
  reads: ['node_cpu_seconds_total'],
});
const hostHighMemory = alert({
  name: 'HostHighMemory',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: HOST,
  for: '15m',
  summary: 'Memory of {{ $labels.instance }} is above the threshold',
  description: 'Memory in use on {{ $labels.instance }} has been {{ $value | humanize }}% for 15 minutes.',
  value: '{{ $value | humanize }}% memory used',
  dashboard: 'host',
  reads: ['node_memory_MemAvailable_bytes', 'node_memory_MemTotal_bytes'],
});
const hostDiskFillingUp = alert({
  name: 'HostDiskFillingUp',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: FILESYSTEM,
  for: '1h',
  summary: 'Disk {{ $labels.mountpoint }} of {{ $labels.instance }} is predicted to fill up',
  description:
    'At the trend of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} fills up within the configured horizon; {{ $value | humanize }}% is free now.',
  value: '{{ $value | humanize }}% free',
  dashboard: 'host',
  reads: ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes', 'node_filesystem_readonly'],
});
const hostDiskAlmostFull = alert({
  name: 'HostDiskAlmostFull',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: FILESYSTEM,
  for: '30m',
  summary: 'Disk {{ $labels.mountpoint }} of {{ $labels.instance }} is almost full',
  description: '{{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | humanize }}% full.',
  value: '{{ $value | humanize }}% used',
  dashboard: 'host',
  reads: ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes', 'node_filesystem_readonly'],
});
const hostInodesFillingUp = alert({
  name: 'HostInodesFillingUp',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: FILESYSTEM,
  for: '1h',
  summary: 'Filesystem {{ $labels.mountpoint }} of {{ $labels.instance }} is predicted to run out of inodes',
  description:
    'At the trend of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} runs out of inodes (files) within 24 hours; {{ $value | humanize }}% of its inodes are free now.',
  value: '{{ $value | humanize }}% inodes free',
  dashboard: 'host',
  reads: ['node_filesystem_files_free', 'node_filesystem_files', 'node_filesystem_readonly'],
});
const hostInodesAlmostExhausted = alert({
  name: 'HostInodesAlmostExhausted',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: FILESYSTEM,
  for: '1h',
  summary: 'Filesystem {{ $labels.mountpoint }} of {{ $labels.instance }} is almost out of inodes',
  description: 'Only {{ $value | humanize }}% of the inodes of {{ $labels.mountpoint }} on {{ $labels.instance }} are free: new files cannot be created once they are gone, whatever the free space.',
  value: '{{ $value | humanize }}% inodes free',
  dashboard: 'host',
  reads: ['node_filesystem_files_free', 'node_filesystem_files', 'node_filesystem_readonly'],
});
const hostFileDescriptorsNearLimit = alert({
  name: 'HostFileDescriptorsNearLimit',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: HOST,
  for: '15m',
  summary: 'The kernel of {{ $labels.instance }} is running out of file descriptors',
  description: '{{ $value | humanize }}% of the file descriptors the kernel of {{ $labels.instance }} allows (fs.file-max) are allocated; at the limit every program fails to open files and sockets.',
  value: '{{ $value | humanize }}% of fs.file-max allocated',
  dashboard: 'host',
  reads: ['node_filefd_allocated', 'node_filefd_maximum'],
});

/** One systemd unit of the platform (`name` is the unit, e.g. `prometheus.service`). */
const UNIT = [...HOST, 'name'];

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
  hostHighCpu,
  criticalTier(hostHighCpu, {
    summary: 'CPU of {{ $labels.instance }} is above the critical threshold',
    description: 'CPU utilisation of {{ $labels.instance }} has been {{ $value | humanize }}% for 15 minutes: queries, rule evaluation and ingestion compete for what is left.',
  }),
  hostHighMemory,
  criticalTier(hostHighMemory, {
    summary: 'Memory of {{ $labels.instance }} is above the critical threshold',
    description: 'Memory in use on {{ $labels.instance }} has been {{ $value | humanize }}% for 15 minutes: the kernel is close to OOM-killing a platform program (Prometheus first, as the largest).',
  }),
  hostDiskFillingUp,
  criticalTier(hostDiskFillingUp, {
    summary: 'Disk {{ $labels.mountpoint }} of {{ $labels.instance }} fills up within hours',
    description:
      'At the trend of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} fills up within the critical horizon (4 hours by default); {{ $value | humanize }}% is free now.',
  }),
  hostDiskAlmostFull,
  criticalTier(hostDiskAlmostFull, {
    summary: 'Disk {{ $labels.mountpoint }} of {{ $labels.instance }} is critically full',
    description: '{{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | humanize }}% full: when it is full, Prometheus, Loki and Tempo stop writing.',
  }),
  hostInodesFillingUp,
  criticalTier(hostInodesFillingUp, {
    summary: 'Filesystem {{ $labels.mountpoint }} of {{ $labels.instance }} runs out of inodes within hours',
    description:
      'At the trend of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} runs out of inodes within 4 hours; {{ $value | humanize }}% of its inodes are free now.',
  }),
  hostInodesAlmostExhausted,
  criticalTier(hostInodesAlmostExhausted, {
    summary: 'Filesystem {{ $labels.mountpoint }} of {{ $labels.instance }} is critically low on inodes',
    description: 'Only {{ $value | humanize }}% of the inodes of {{ $labels.mountpoint }} on {{ $labels.instance }} are free: writes of new files (TSDB blocks, chunks, WAL segments) are about to fail.',
  }),
  alert({
    name: 'HostNetworkReceiveErrors',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: [...HOST, 'device'],
    for: '1h',
    summary: 'Network interface {{ $labels.device }} of {{ $labels.instance }} reports many receive errors',
    description: '{{ $value | humanizePercentage }} of the packets received on {{ $labels.device }} of {{ $labels.instance }} over 2 minutes were errors, for an hour.',
    value: '{{ $value | humanizePercentage }} of received packets in error',
    dashboard: 'host',
    reads: ['node_network_receive_errs_total', 'node_network_receive_packets_total'],
  }),
  alert({
    name: 'HostNetworkTransmitErrors',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: [...HOST, 'device'],
    for: '1h',
    summary: 'Network interface {{ $labels.device }} of {{ $labels.instance }} reports many transmit errors',
    description: '{{ $value | humanizePercentage }} of the packets sent on {{ $labels.device }} of {{ $labels.instance }} over 2 minutes were errors, for an hour.',
    value: '{{ $value | humanizePercentage }} of sent packets in error',
    dashboard: 'host',
    reads: ['node_network_transmit_errs_total', 'node_network_transmit_packets_total'],
  }),
  alert({
    name: 'HostConntrackNearLimit',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '0s',
    summary: 'The connection-tracking table of {{ $labels.instance }} is nearly full',
    description: '{{ $value | humanizePercentage }} of the kernel connection-tracking entries of {{ $labels.instance }} are in use; when the table is full, new connections (scrapes, OTLP, Grafana) are dropped.',
    value: '{{ $value | humanizePercentage }} of conntrack entries used',
    dashboard: 'host',
    reads: ['node_nf_conntrack_entries', 'node_nf_conntrack_entries_limit'],
  }),
  alert({
    name: 'HostTextfileCollectorError',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '5m',
    summary: 'Node exporter on {{ $labels.instance }} cannot read its textfile metrics',
    description:
      "Node exporter's textfile collector on {{ $labels.instance }} has failed to read a metrics file of its textfile directory for 5 minutes (node_textfile_scrape_error = {{ $value }}): the config sync reports through those files, so ConfigSyncRefused and ConfigSyncStale may be blind.",
    dashboard: 'host',
    reads: ['node_textfile_scrape_error'],
  }),
  alert({
    name: 'HostClockSkew',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '10m',
    summary: 'The clock of {{ $labels.instance }} is off',
    description: 'The clock of {{ $labels.instance }} is {{ $value | humanizeDuration }} off according to the kernel, and not converging: timestamps of samples, logs and traces are wrong, and rate() windows skew.',
    value: '{{ $value | humanizeDuration }} offset',
    dashboard: 'host',
    reads: ['node_timex_offset_seconds'],
  }),
  alert({
    name: 'HostClockNotSynchronising',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '10m',
    summary: 'The clock of {{ $labels.instance }} is not synchronising',
    description: 'The kernel of {{ $labels.instance }} reports its clock unsynchronised with an estimated error of {{ $value | humanizeDuration }}: NTP (chrony, the Amazon Time Sync Service) is not working.',
    value: '{{ $value | humanizeDuration }} estimated error',
    dashboard: 'host',
    reads: ['node_timex_sync_status', 'node_timex_maxerror_seconds'],
  }),
  hostFileDescriptorsNearLimit,
  criticalTier(hostFileDescriptorsNearLimit, {
    summary: 'The kernel of {{ $labels.instance }} is about to run out of file descriptors',
    description: '{{ $value | humanize }}% of the file descriptors the kernel of {{ $labels.instance }} allows (fs.file-max) are allocated: programs are about to fail opening files and sockets.',
  }),
  alert({
    name: 'HostLoadHigh',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '15m',
    summary: 'The load of {{ $labels.instance }} per core is very high',
    description: 'The 1-minute load average of {{ $labels.instance }} has been {{ $value | humanize }} per core for 15 minutes: more work is runnable (or blocked on I/O) than the cores can serve, and the host may stop answering.',
    value: '{{ $value | humanize }} load per core',
    dashboard: 'host',
    reads: ['node_load1', 'node_cpu_seconds_total'],
  }),
  alert({
    name: 'HostDiskIoSaturated',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: [...HOST, 'device'],
    for: '30m',
    summary: 'Disk {{ $labels.device }} of {{ $labels.instance }} is saturated',
    description: 'The I/O queue of {{ $labels.device }} on {{ $labels.instance }} has averaged {{ $value | humanize }} requests for 30 minutes: the volume cannot keep up (an exhausted EBS burst balance or IOPS limit), so writes of the WAL and queries stall.',
    value: '{{ $value | humanize }} requests queued on average',
    dashboard: 'host',
    reads: ['node_disk_io_time_weighted_seconds_total'],
  }),
  alert({
    name: 'HostMemoryMajorPageFaults',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '15m',
    summary: '{{ $labels.instance }} reads memory pages back from disk at a high rate',
    description: '{{ $labels.instance }} has taken {{ $value | humanize }} major page faults per second for 15 minutes: memory is short and programs wait on disk for their own pages.',
    value: '{{ $value | humanize }} major page faults/s',
    dashboard: 'host',
    reads: ['node_vmstat_pgmajfault'],
  }),
  alert({
    name: 'HostUnitFailed',
    severity: 'critical',
    group: 'host',
    scope: 'host',
    labels: UNIT,
    for: '5m',
    summary: 'Platform unit {{ $labels.name }} on {{ $labels.instance }} has failed',
    description:
      'systemd reports {{ $labels.name }} on {{ $labels.instance }} in the failed state for 5 minutes (node_systemd_unit_state = {{ $value }}): a service that has used up its restarts stays down until someone starts it; for lgtm-sync.service, every run of the last 5 minutes failed.',
    dashboard: 'host',
    reads: ['node_systemd_unit_state'],
  }),
  alert({
    name: 'HostUnitCrashLooping',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: UNIT,
    for: '15m',
    summary: 'Platform unit {{ $labels.name }} on {{ $labels.instance }} keeps restarting',
    description: 'systemd restarted {{ $labels.name }} on {{ $labels.instance }} {{ $value | humanize }} times in 5 minutes, for 15 minutes: it crashes some time after each start, slowly enough to stay under its start limit.',
    value: '{{ $value | humanize }} restarts (5m)',
    dashboard: 'host',
    reads: ['node_systemd_service_restart_total'],
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
    name: 'SLOSliAbsent',
    severity: 'warning',
    group: 'slo',
    scope: 'slo',
    labels: ['service', 'environment', 'slo'],
    for: '10m',
    summary: 'The {{ $labels.slo }} SLO of {{ $labels.service }} ({{ $labels.environment }}) has no SLI data',
    description:
      'The error ratio of the {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} is absent for 10 minutes: the series its SLI reads are missing (target down, metric renamed, wrong labels), so its burn-rate alerts cannot fire.',
    dashboard: 'slo',
    reads: [SLO_SERIES.errorRatio('5m')],
  }),
  alert({
    name: 'SLOErrorBudgetExhausted',
    severity: 'warning',
    group: 'slo',
    scope: 'slo',
    labels: ['service', 'environment', 'slo'],
    for: '5m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) has spent its whole {{ $labels.slo }} error budget',
    description:
      'The {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} has {{ $value | humanizePercentage }} of its error budget left over its window: the objective is missed for this window unless failures stop.',
    value: '{{ $value | humanizePercentage }} of the budget left',
    dashboard: 'slo',
    reads: [SLO_SERIES.errorBudgetRemaining],
  }),
  alert({
    name: 'SLOErrorBudgetPolicy',
    severity: 'info',
    group: 'slo',
    scope: 'slo',
    labels: ['service', 'environment', 'slo', 'budget_policy'],
    for: '5m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}): the {{ $labels.slo }} error budget policy applies ({{ $labels.budget_policy }})',
    description:
      'The {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} has {{ $value | humanizePercentage }} of its error budget left, below the threshold of its error budget policy: {{ $labels.budget_policy }}. It holds until the budget recovers above the threshold.',
    value: '{{ $value | humanizePercentage }} of the budget left',
    dashboard: 'slo',
    reads: [SLO_SERIES.errorBudgetRemaining],
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
    name: 'DoraPollStale',
    severity: 'warning',
    group: 'dora',
    scope: 'platform',
    labels: ['job', 'instance', 'repo'],
    for: '10m',
    summary: 'The DORA exporter cannot read {{ $labels.repo }}',
    description:
      'The DORA exporter on {{ $labels.instance }} has not read all of {{ $labels.repo }} for {{ $value | humanizeDuration }} (0s: not once since it started, ' +
      'its polls fail); its DORA metrics are frozen or absent while the exporter itself is up.',
    value: '{{ $value | humanizeDuration }} since the last successful poll',
    dashboard: 'dora',
    reads: [DORA_METRICS.repositoryLastSuccessfulPoll, DORA_METRICS.repositoryPollOk],
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

/** `runbook_url` of an alert: `<runbookBaseUrl>/<AlertName>.md` (a critical tier's is its warning twin's). */
export function runbookUrl(runbookBaseUrl: string, name: string): string {
  const runbook = ALERT_CATALOG.find((a) => a.name === name)?.tierOf ?? name;
  return `${runbookBaseUrl.replace(/\/+$/, '')}/${runbook}.md`;
}
