import { DORA_METRICS } from '../../dora-exporter/metric-names';
import { ALERT_CATALOG, type AlertGroup } from '../alerting/catalog';
import type { AlertThresholds, PlatformConfig } from '../config/schema';
import type { HostContext } from '../host/host-file';
import { alertingRule } from '../alerting/annotations';
import type { AlertingRule } from '../promql/rule-types';
import { PLATFORM_COMPONENT_JOBS, SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { hostInstanceName } from './scrape-config';
import { CONFIG_SYNC_METRICS, CONFIG_SYNC_STALE_AFTER_SECONDS } from '../contracts/config-sync';

/** Everything an alert expression may depend on. */
interface ExprContext {
  readonly t: AlertThresholds;
  readonly instance: string;
  /** `service`/`environment` of every configured app metrics target (`metricsTarget`). */
  readonly appTargets: readonly { readonly service: string; readonly environment: string }[];
}

const job = (name: string) => `job="${name}"`;
/** Real filesystems only (no tmpfs, overlays or squashfs images). */
const FS = `${job(SCRAPE_JOBS.node)},fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|fuse.lxcfs"`;

/** The PromQL of every catalog alert that is not an SLO burn-rate alert (those come from lib/slo). */
const EXPRESSIONS: Record<string, (c: ExprContext) => string> = {
  HostDown: (c) => `up{${job(SCRAPE_JOBS.node)}} == 0 or absent(up{${job(SCRAPE_JOBS.node)},instance="${c.instance}"})`,
  HostHighCpu: (c) =>
    `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{${job(SCRAPE_JOBS.node)},mode="idle"}[5m]))) > ${c.t.cpuPercent}`,
  HostHighMemory: (c) =>
    `100 * (1 - node_memory_MemAvailable_bytes{${job(SCRAPE_JOBS.node)}} / node_memory_MemTotal_bytes{${job(SCRAPE_JOBS.node)}}) > ${c.t.memoryPercent}`,
  HostDiskFillingUp: (c) =>
    `100 * node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} < ${c.t.diskFillingFreePercent}` +
    ` and on (instance, device, mountpoint) predict_linear(node_filesystem_avail_bytes{${FS}}[6h], ${Math.round(c.t.diskFullWithinHours * 3600)}) < 0` +
    ` and on (instance, device, mountpoint) node_filesystem_readonly{${FS}} == 0`,
  HostDiskAlmostFull: (c) =>
    `100 * (1 - node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}}) > ${c.t.diskPercent}`,
  ProbeFailing: () => `avg_over_time(probe_success{${job(SCRAPE_JOBS.probe)}}[5m]) < 0.5`,
  ProbeSlow: (c) => `avg_over_time(probe_duration_seconds{${job(SCRAPE_JOBS.probe)}}[5m]) > ${c.t.probeLatencySeconds}`,
  TlsCertificateExpiring: (c) =>
    `(probe_ssl_earliest_cert_expiry{${job(SCRAPE_JOBS.probe)}} - time()) / 86400 < ${c.t.tlsExpiryDays}`,
  App5xxRatioHigh: (c) =>
    `100 * sum by (service, environment) (rate(http_requests_total{${job(SCRAPE_JOBS.app)},status=~"5.."}[5m]))` +
    ` / sum by (service, environment) (rate(http_requests_total{${job(SCRAPE_JOBS.app)}}[5m])) > ${c.t.app5xxPercent}`,
  // Down, or gone: a configured target without any up series (the job or target dropped from the loaded config).
  AppTargetDown: (c) =>
    [
      `up{${job(SCRAPE_JOBS.app)}} == 0`,
      ...c.appTargets.map((t) => `absent(up{${job(SCRAPE_JOBS.app)},service="${t.service}",environment="${t.environment}"})`),
    ].join(' or '),
  DoraChangeFailureRateHigh: (c) => `100 * ${DORA_METRICS.changeFailureRate}{window="30d"} > ${c.t.doraChangeFailureRatePercent}`,
  DoraTimeToRestoreHigh: (c) => `${DORA_METRICS.timeToRestoreMedian}{window="30d"} / 3600 > ${c.t.doraTimeToRestoreHours}`,
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
    appTargets: config.services.flatMap((service) =>
      service.environments.filter((env) => env.metricsTarget).map((env) => ({ service: service.name, environment: env.name })),
    ),
  };
  return ALERT_CATALOG.filter((def) => def.group === group && def.group !== 'slo').map((def) => {
    const expr = EXPRESSIONS[def.name];
    if (!expr) throw new Error(`alert ${def.name} is in the catalog but has no expression in lib/prometheus/alert-rules.ts`);
    return alertingRule(def, expr(c), config, context);
  });
}
