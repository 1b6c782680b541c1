import { DORA_METRICS } from '../../dora-exporter/metric-names';
import { ALERT_CATALOG, type AlertGroup } from '../alerting/catalog';
import type { AlertThresholds, PlatformConfig, ServiceConfig } from '../config/schema';
import { serverErrorRates } from '../slo/conventions';
import type { HostContext } from '../host/host-file';
import { alertingRule } from '../alerting/annotations';
import type { AlertingRule } from '../promql/rule-types';
import { PLATFORM_COMPONENT_JOBS, SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { hostInstanceName } from './scrape-config';
import { CONFIG_SYNC_METRICS, CONFIG_SYNC_STALE_AFTER_SECONDS } from '../contracts/config-sync';
import { withServiceAlertLabels } from '../alerting/service-labels';

/** Everything an alert expression may depend on. */
interface ExprContext {
  readonly t: AlertThresholds;
  readonly instance: string;
  readonly services: readonly ServiceConfig[];
  /** Three DORA poll intervals: how long a repository may go unread before DoraPollStale. */
  readonly doraStaleSeconds: number;
  /** `service`/`environment` of every configured app metrics target (`metricsTarget`). */
  readonly appTargets: readonly { readonly service: string; readonly environment: string }[];
}

const job = (name: string) => `job="${name}"`;
const NODE = job(SCRAPE_JOBS.node);
/** Real filesystems only (no tmpfs, overlays or squashfs images). */
const FS = `${NODE},fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|fuse.lxcfs"`;
/** Appended to a filesystem condition: read-only filesystems cannot fill up, so they never alert. */
const READ_WRITE = ` and on (instance, device, mountpoint) node_filesystem_readonly{${FS}} == 0`;

/*
 * Fixed thresholds, taken from the node-exporter mixin (docs/host-alerts.md says where ours differ and why).
 * Only the ones a team tunes to its host are in alerting.thresholds.
 */
const INODES = { fillingFreePercent: 40, fullWithinHours: 24, criticalFillingFreePercent: 20, criticalFullWithinHours: 4, almostExhaustedFreePercent: 5, criticalAlmostExhaustedFreePercent: 3 };
const NETWORK_ERROR_RATIO = 0.01;
const CONNTRACK_USED_RATIO = 0.75;
const CLOCK = { skewSeconds: 0.05, unsynchronisedMaxErrorSeconds: 16 };
const MAJOR_PAGE_FAULTS_PER_SECOND = 500;
/** More restarts than this in 5 minutes is a crash loop. */
const UNIT_RESTARTS_IN_5M = 2;

/** CPU busy share in percent, all cores of the host together (iowait counts as busy: it is time no query runs). */
const cpuBusyPercent = () => `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{${NODE},mode="idle"}[5m])))`;
const memoryUsedPercent = () => `100 * (1 - node_memory_MemAvailable_bytes{${NODE}} / node_memory_MemTotal_bytes{${NODE}})`;
const fileDescriptorsPercent = () => `100 * node_filefd_allocated{${NODE}} / node_filefd_maximum{${NODE}}`;
/** Free share in percent of a filesystem resource: space (`avail_bytes`/`size_bytes`) or inodes (`files_free`/`files`). */
const freePercent = (free: string, total: string) => `100 * node_filesystem_${free}{${FS}} / node_filesystem_${total}{${FS}}`;
/** Less than `freeBelow` % free now, and the 6-hour trend reaches zero within `withinHours`; read-write only. */
const fillingUp = (free: string, total: string, freeBelow: number, withinHours: number) =>
  `${freePercent(free, total)} < ${freeBelow}` +
  ` and on (instance, device, mountpoint) predict_linear(node_filesystem_${free}{${FS}}[6h], ${Math.round(withinHours * 3600)}) < 0` +
  READ_WRITE;
const networkErrorRatio = (direction: 'receive' | 'transmit') =>
  `rate(node_network_${direction}_errs_total{${NODE}}[2m]) / rate(node_network_${direction}_packets_total{${NODE}}[2m]) > ${NETWORK_ERROR_RATIO}`;

/** The PromQL of every catalog alert that is not an SLO burn-rate alert (those come from lib/slo). */
const EXPRESSIONS: Record<string, (c: ExprContext) => string> = {
  HostDown: (c) => `up{${NODE}} == 0 or absent(up{${NODE},instance="${c.instance}"})`,
  HostHighCpu: (c) => `${cpuBusyPercent()} > ${c.t.cpuPercent}`,
  HostHighCpuCritical: (c) => `${cpuBusyPercent()} > ${c.t.cpuCriticalPercent}`,
  HostHighMemory: (c) => `${memoryUsedPercent()} > ${c.t.memoryPercent}`,
  HostHighMemoryCritical: (c) => `${memoryUsedPercent()} > ${c.t.memoryCriticalPercent}`,
  HostDiskFillingUp: (c) => fillingUp('avail_bytes', 'size_bytes', c.t.diskFillingFreePercent, c.t.diskFullWithinHours),
  HostDiskFillingUpCritical: (c) => fillingUp('avail_bytes', 'size_bytes', c.t.diskFillingCriticalFreePercent, c.t.diskFullCriticalWithinHours),
  HostDiskAlmostFull: (c) => `100 - ${freePercent('avail_bytes', 'size_bytes')} > ${c.t.diskPercent}${READ_WRITE}`,
  HostDiskAlmostFullCritical: (c) => `100 - ${freePercent('avail_bytes', 'size_bytes')} > ${c.t.diskCriticalPercent}${READ_WRITE}`,
  HostInodesFillingUp: () => fillingUp('files_free', 'files', INODES.fillingFreePercent, INODES.fullWithinHours),
  HostInodesFillingUpCritical: () => fillingUp('files_free', 'files', INODES.criticalFillingFreePercent, INODES.criticalFullWithinHours),
  HostInodesAlmostExhausted: () => `${freePercent('files_free', 'files')} < ${INODES.almostExhaustedFreePercent}${READ_WRITE}`,
  HostInodesAlmostExhaustedCritical: () => `${freePercent('files_free', 'files')} < ${INODES.criticalAlmostExhaustedFreePercent}${READ_WRITE}`,
  HostNetworkReceiveErrors: () => networkErrorRatio('receive'),
  HostNetworkTransmitErrors: () => networkErrorRatio('transmit'),
  HostConntrackNearLimit: () => `node_nf_conntrack_entries{${NODE}} / node_nf_conntrack_entries_limit{${NODE}} > ${CONNTRACK_USED_RATIO}`,
  HostTextfileCollectorError: () => `node_textfile_scrape_error{${NODE}} == 1`,
  // Off by more than the tolerance and not moving back towards zero (a clock being slewed back is left alone).
  HostClockSkew: () =>
    `(node_timex_offset_seconds{${NODE}} > ${CLOCK.skewSeconds} and deriv(node_timex_offset_seconds{${NODE}}[5m]) >= 0)` +
    ` or (node_timex_offset_seconds{${NODE}} < -${CLOCK.skewSeconds} and deriv(node_timex_offset_seconds{${NODE}}[5m]) <= 0)`,
  // The value is the estimated error; the kernel caps it at 16 s once it has not been synchronised for a while.
  HostClockNotSynchronising: () =>
    `node_timex_maxerror_seconds{${NODE}} >= ${CLOCK.unsynchronisedMaxErrorSeconds} and on (job, instance) min_over_time(node_timex_sync_status{${NODE}}[5m]) == 0`,
  HostFileDescriptorsNearLimit: (c) => `${fileDescriptorsPercent()} > ${c.t.fileDescriptorPercent}`,
  HostFileDescriptorsNearLimitCritical: (c) => `${fileDescriptorsPercent()} > ${c.t.fileDescriptorCriticalPercent}`,
  HostLoadHigh: (c) => `node_load1{${NODE}} / on (job, instance) count by (job, instance) (node_cpu_seconds_total{${NODE},mode="idle"}) > ${c.t.loadPerCore}`,
  // Seconds spent per second with I/O in flight, weighted by the number in flight: the average queue length.
  HostDiskIoSaturated: (c) => `rate(node_disk_io_time_weighted_seconds_total{${NODE}}[5m]) > ${c.t.diskIoQueueLength}`,
  HostMemoryMajorPageFaults: () => `rate(node_vmstat_pgmajfault{${NODE}}[5m]) > ${MAJOR_PAGE_FAULTS_PER_SECOND}`,
  HostUnitFailed: () => `node_systemd_unit_state{${NODE},state="failed"} == 1`,
  HostUnitCrashLooping: () => `increase(node_systemd_service_restart_total{${NODE}}[5m]) > ${UNIT_RESTARTS_IN_5M}`,
  ProbeFailing: () => `avg_over_time(probe_success{${job(SCRAPE_JOBS.probe)}}[5m]) < 0.5`,
  ProbeSlow: (c) => `avg_over_time(probe_duration_seconds{${job(SCRAPE_JOBS.probe)}}[5m]) > ${c.t.probeLatencySeconds}`,
  TlsCertificateExpiring: (c) =>
    `(probe_ssl_earliest_cert_expiry{${job(SCRAPE_JOBS.probe)}} - time()) / 86400 < ${c.t.tlsExpiryDays}`,
  // one comparison per metric convention in use (lib/slo/conventions.ts)
  App5xxRatioHigh: (c) =>
    serverErrorRates(c.services, '5m')
      .map(({ errors, total }) => `100 * ${errors} / ${total} > ${c.t.app5xxPercent}`)
      .join(' or '),
  // Down, or gone: a configured target without any up series (the job or target dropped from the loaded config).
  AppTargetDown: (c) =>
    [
      `up{${job(SCRAPE_JOBS.app)}} == 0`,
      ...c.appTargets.map((t) => `absent(up{${job(SCRAPE_JOBS.app)},service="${t.service}",environment="${t.environment}"})`),
    ].join(' or '),
  DoraChangeFailureRateHigh: (c) => `100 * ${DORA_METRICS.changeFailureRate}{window="30d"} > ${c.t.doraChangeFailureRatePercent}`,
  DoraTimeToRestoreHigh: (c) => `${DORA_METRICS.timeToRestoreMedian}{window="30d"} / 3600 > ${c.t.doraTimeToRestoreHours}`,
  // The second branch is a repository never read since the exporter started (misspelt, not visible to the
  // token): it has no last-success series, only failing polls.
  DoraPollStale: (c) => {
    const dora = job(SCRAPE_JOBS.dora);
    return (
      `time() - ${DORA_METRICS.repositoryLastSuccessfulPoll}{${dora}} > ${c.doraStaleSeconds}` +
      ` or (${DORA_METRICS.repositoryPollOk}{${dora}} == 0 unless on (job, instance, repo) ${DORA_METRICS.repositoryLastSuccessfulPoll}{${dora}})`
    );
  },
  DoraExporterDown: (c) => `up{${job(SCRAPE_JOBS.dora)}} == 0 or absent(up{${job(SCRAPE_JOBS.dora)},instance="${c.instance}"})`,
  PrometheusRuleEvaluationFailures: () =>
    `sum by (job, instance, rule_group) (increase(prometheus_rule_evaluation_failures_total{${job(SCRAPE_JOBS.prometheus)}}[5m])) > 0`,
  AlertmanagerNotificationsFailing: () =>
    `sum by (job, instance, integration) (rate(alertmanager_notifications_failed_total{${job(SCRAPE_JOBS.alertmanager)}}[5m])) > 0`,
  PlatformComponentDown: () => `up{job=~"${PLATFORM_COMPONENT_JOBS.join('|')}"} == 0`,
  ConfigSyncRefused: (c) => `${CONFIG_SYNC_METRICS.refused}{${job(SCRAPE_JOBS.node)},instance="${c.instance}"} == 1`,
  // The second branch is the absent() case: node exporter is scraped (its boot time is fresh) but the sync's
  // series is gone. It fires only once the host has been up longer than the threshold, so a fresh host does not
  // alert before its first sync has run; its value (the uptime) is a lower bound of the time without a record.
  ConfigSyncStale: (c) => {
    const host = `${job(SCRAPE_JOBS.node)},instance="${c.instance}"`;
    const after = CONFIG_SYNC_STALE_AFTER_SECONDS;
    return (
      `time() - ${CONFIG_SYNC_METRICS.lastRun}{${host}} > ${after}` +
      ` or (time() - node_boot_time_seconds{${host}} > ${after} unless on (job, instance) ${CONFIG_SYNC_METRICS.lastRun}{${host}})`
    );
  },
};

/** Names of the catalog alerts whose expression is defined here (all but the SLO burn-rate alerts). */
export const STATIC_ALERT_NAMES = Object.keys(EXPRESSIONS);

/** The alerting rules of one catalog group, thresholds from `alerting.thresholds`. */
export function staticAlertRules(config: PlatformConfig, context: HostContext, group: AlertGroup): AlertingRule[] {
  const c: ExprContext = {
    t: config.alerting.thresholds,
    instance: hostInstanceName(config),
    services: config.services,
    doraStaleSeconds: 3 * (config.dora?.pollIntervalSeconds ?? 300),
    appTargets: config.services.flatMap((service) =>
      service.environments.filter((env) => env.metricsTarget).map((env) => ({ service: service.name, environment: env.name })),
    ),
  };
  return ALERT_CATALOG.filter((def) => def.group === group && def.group !== 'slo').map((def) => {
    const expr = EXPRESSIONS[def.name];
    if (!expr) throw new Error(`alert ${def.name} is in the catalog but has no expression in lib/prometheus/alert-rules.ts`);
    // the service's team and labels, for routing, like the SLO alerts of the service carry them
    return alertingRule(def, def.scope === 'service' ? withServiceAlertLabels(expr(c), config.services) : expr(c), config, context);
  });
}
