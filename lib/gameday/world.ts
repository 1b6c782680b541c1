import { DORA_METRICS } from '../dora/exporter/metric-names';
import type { PlatformConfig, ServiceConfig, SloConfig } from '../config/schema';
import { hostInstanceName } from '../prometheus/scrape-config';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { errorBudgetRatio } from '../slo/error-budget';
import { readsConventionMetrics, sliKind, SLI_METRICS } from '../slo/sli';
import { isScrapedConvention, serviceConvention, type MetricConvention } from '../slo/conventions';
import { CONFIG_SYNC_METRICS } from '../contracts/config-sync';
import { serviceSpecs } from '../host/systemd-units';
import { compactValues, series, type InputSeries } from './promtool';
import { counter, diffusedSuccess, perMinute } from './scenario';

/**
 * The synthetic platform a scenario runs in: every series the platform's scrape config produces and its alerts
 * read, with the labels the scrape config gives them (`job`, `instance` = the host's instance name or the
 * probe URL / metrics target, `service`, `environment`), healthy unless a breakage says otherwise.
 * One sample per minute.
 */
export interface Breakage {
  /** Share of failed probes per minute of one service/environment. */
  readonly probeBad?: Target & { bad: (minute: number) => number };
  /** Share of 5xx answers, and of requests slower than every latency threshold, of one service/environment. */
  readonly app?: Target & { errors?: (minute: number) => number; slow?: (minute: number) => number };
  /** CPU busy share (0..1) of the host. */
  readonly cpuBusy?: (minute: number) => number;
  /** Free share (0..1) of the host's data filesystem. */
  readonly diskFree?: (minute: number) => number;
  /** Failed Alertmanager notifications per minute. */
  readonly notificationFailures?: (minute: number) => number;
  /** A scrape job of the host whose `up` is 0 while `down(minute)`. */
  readonly jobDown?: { job: string; down: (minute: number) => boolean };
  /** Failed rule evaluations per minute of one rule group (of the SLO rule file). */
  readonly ruleEvaluationFailures?: (minute: number) => number;
  /** The DORA exporter's series as scraped (e.g. from the real exporter), replacing the healthy constants. */
  readonly doraSeries?: readonly InputSeries[];
  /** A group of config files the host's sync refuses (its marker is exported) while `refused(minute)`. */
  readonly configSyncRefused?: { group: string; refused: (minute: number) => boolean };
  /** The config sync does not run (its last-run timestamp stays where it was) while `stopped(minute)`. */
  readonly configSyncStopped?: (minute: number) => boolean;
  /** A platform unit (`loki.service`) that systemd restarts `perMinute(minute)` times a minute. */
  readonly unitRestarts?: { unit: string; perMinute: (minute: number) => number };
}

export interface Target {
  readonly service: string;
  readonly environment: string;
}

/** Requests per minute of every app target. */
export const REQUESTS_PER_MINUTE = 10000;
export const DISK_SIZE_BYTES = 100 * 2 ** 30;
export const DATA_FILESYSTEM = { device: '/dev/nvme1n1', mountpoint: '/var/lib/prometheus', fstype: 'ext4' } as const;
export const NOTIFICATION_INTEGRATION = 'slack';
/** The config group a bad push breaks in the config-push game day (the Prometheus rule files). */
export const REFUSED_CONFIG_GROUP = 'prometheus';
/** When the host booted, relative to the start of a scenario (a day before: its uptime is never a concern). */
export const HOST_BOOT_TIME_SECONDS = -86400;
/** The rule group whose evaluations fail in the rule-evaluation game day. */
export const BROKEN_RULE_GROUP = '/etc/prometheus/rules/slo.yml;slo-recording';

/** Host scrape jobs of a config (those with `instance` = the host's instance name), as in scrapeJobs(). */
export function hostJobs(config: PlatformConfig): string[] {
  return [
    SCRAPE_JOBS.prometheus,
    SCRAPE_JOBS.node,
    SCRAPE_JOBS.blackbox,
    ...(config.dora ? [SCRAPE_JOBS.dora] : []),
    SCRAPE_JOBS.alertmanager,
    SCRAPE_JOBS.loki,
    SCRAPE_JOBS.tempo,
    SCRAPE_JOBS.grafana,
    SCRAPE_JOBS.otelcol,
  ];
}

export function probeLabels(service: ServiceConfig, environment: string): Record<string, string> {
  const env = service.environments.find((e) => e.name === environment);
  if (!env) throw new Error(`service ${service.name} has no environment ${environment}`);
  return { job: SCRAPE_JOBS.probe, instance: env.probeUrl, service: service.name, environment };
}

/** Labels of the world's app series of a service in one environment (see worldAppEnvironments). */
export function appLabels(service: ServiceConfig, environment: string): Record<string, string> {
  const env = service.environments.find((e) => e.name === environment);
  if (!isScrapedConvention(service)) return { ...conventionWorldLabels(service), service: service.name, environment };
  if (!env?.metricsTarget) throw new Error(`service ${service.name} has no metricsTarget in ${environment}`);
  return { job: SCRAPE_JOBS.app, instance: env.metricsTarget, service: service.name, environment };
}

/** Healthy share of bad events of a service: a tenth of its tightest error budget. */
export function baselineBadShare(service: ServiceConfig): number {
  const budgets = service.slos.map((slo) => errorBudgetRatio(slo.objective));
  return 0.1 * Math.min(0.01, ...budgets);
}

/**
 * The labels the world's app series of a service carry besides `service` and `environment`: the scrape target's
 * for prometheus-client; for another convention, its matchers read as labels (`job="ledger-metrics"`), undefined
 * when one is not a plain equality (the world cannot write a series such a matcher selects for sure).
 */
function conventionWorldLabels(service: ServiceConfig): Record<string, string> | undefined {
  const convention = serviceConvention(service);
  const labels: Record<string, string> = {};
  for (const matcherText of convention.matchers.flatMap((m) => m.split(','))) {
    const equality = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"([^"\\]*)"\s*$/.exec(matcherText);
    if (!equality) return undefined;
    labels[equality[1]] = equality[2];
  }
  return labels;
}

/**
 * Environments in which the world writes a service's app metrics, in the names of its convention: those with a
 * metricsTarget for prometheus-client (scraped), every one for the conventions whose metrics arrive by OTLP.
 */
export function worldAppEnvironments(service: ServiceConfig): string[] {
  if (isScrapedConvention(service)) return service.environments.filter((env) => env.metricsTarget).map((env) => env.name);
  return conventionWorldLabels(service) === undefined ? [] : service.environments.map((env) => env.name);
}

/**
 * True when the world's series feed this SLO: probes, and the convention's request and duration names of a
 * service the world writes app metrics for. SLOs on metrics the SLO names itself see no data and stay quiet.
 */
export function worldFeeds(service: ServiceConfig, slo: SloConfig): boolean {
  return readsConventionMetrics(slo) && (sliKind(slo) === 'probe' || worldAppEnvironments(service).length > 0);
}

/** The threshold of a latency SLO the world's histogram feeds, undefined for any other SLO. */
export function simulatedLatencyThreshold(service: ServiceConfig, slo: SloConfig): number | undefined {
  return worldFeeds(service, slo) && typeof slo.sli === 'object' && 'latency' in slo.sli ? slo.sli.latency.threshold : undefined;
}

/** The latency thresholds a service's SLOs read (each an `le` bucket of the synthetic histogram). */
export function latencyThresholds(service: ServiceConfig): number[] {
  const thresholds = service.slos.flatMap((slo) => simulatedLatencyThreshold(service, slo) ?? []);
  return [...new Set(thresholds)].sort((a, b) => a - b);
}

const is = (t: Target | undefined, service: string, environment: string) => t?.service === service && t.environment === environment;

export function worldSeries(config: PlatformConfig, minutes: number, breakage: Breakage = {}): InputSeries[] {
  const host = hostInstanceName(config);
  const out: InputSeries[] = [];
  const add = (name: string, labels: Record<string, string>, samples: number[]) => out.push({ series: series(name, labels), values: compactValues(samples) });

  for (const job of hostJobs(config)) {
    const down = breakage.jobDown?.job === job ? breakage.jobDown.down : () => false;
    add(
      'up',
      { job, instance: host },
      perMinute(minutes, (m) => (down(m) ? 0 : 1)),
    );
  }

  const node = { job: SCRAPE_JOBS.node, instance: host };
  const busy = breakage.cpuBusy ?? (() => 0.2);
  for (const cpu of ['0', '1']) {
    add(
      'node_cpu_seconds_total',
      { ...node, cpu, mode: 'idle' },
      counter(minutes, (m) => 60 * (1 - busy(m))),
    );
    add(
      'node_cpu_seconds_total',
      { ...node, cpu, mode: 'user' },
      counter(minutes, (m) => 60 * busy(m)),
    );
  }
  add(
    'node_memory_MemTotal_bytes',
    node,
    perMinute(minutes, () => 8 * 2 ** 30),
  );
  add(
    'node_memory_MemAvailable_bytes',
    node,
    perMinute(minutes, () => 5 * 2 ** 30),
  );
  const fs = { ...node, ...DATA_FILESYSTEM };
  const free = breakage.diskFree ?? (() => 0.6);
  add(
    'node_filesystem_size_bytes',
    fs,
    perMinute(minutes, () => DISK_SIZE_BYTES),
  );
  add(
    'node_filesystem_avail_bytes',
    fs,
    perMinute(minutes, (m) => DISK_SIZE_BYTES * free(m)),
  );
  add(
    'node_filesystem_readonly',
    fs,
    perMinute(minutes, () => 0),
  );

  add(
    'node_boot_time_seconds',
    node,
    perMinute(minutes, () => HOST_BOOT_TIME_SECONDS),
  );
  // node exporter's systemd collector: every platform unit active, never restarted, unless a breakage says so
  for (const spec of serviceSpecs(config)) {
    const unit = `${spec.unit}.service`;
    add(
      'node_systemd_unit_state',
      { ...node, name: unit, state: 'failed', type: 'simple' },
      perMinute(minutes, () => 0),
    );
    const restarts = breakage.unitRestarts?.unit === unit ? breakage.unitRestarts.perMinute : () => 0;
    add('node_systemd_service_restart_total', { ...node, name: unit }, counter(minutes, restarts));
  }
  // the config sync's textfile: a run every minute, stamped with its time, and the marker of a refused group
  const stopped = breakage.configSyncStopped ?? (() => false);
  let lastRun = 0;
  add(
    CONFIG_SYNC_METRICS.lastRun,
    node,
    perMinute(minutes, (m) => (stopped(m) ? lastRun : (lastRun = m * 60))),
  );
  if (breakage.configSyncRefused) {
    const { group, refused } = breakage.configSyncRefused;
    out.push({ series: series(CONFIG_SYNC_METRICS.refused, { ...node, group }), values: presence(minutes, refused) });
  }

  const am = { job: SCRAPE_JOBS.alertmanager, instance: host, integration: NOTIFICATION_INTEGRATION };
  const failures = breakage.notificationFailures ?? (() => 0);
  add(
    'alertmanager_notifications_total',
    am,
    counter(minutes, (m) => 2 + failures(m)),
  );
  add('alertmanager_notifications_failed_total', am, counter(minutes, failures));
  add(
    'prometheus_rule_evaluation_failures_total',
    { job: SCRAPE_JOBS.prometheus, instance: host, rule_group: '/etc/prometheus/rules/host.yml;host' },
    perMinute(minutes, () => 0),
  );
  if (breakage.ruleEvaluationFailures) {
    add(
      'prometheus_rule_evaluation_failures_total',
      { job: SCRAPE_JOBS.prometheus, instance: host, rule_group: BROKEN_RULE_GROUP },
      counter(minutes, breakage.ruleEvaluationFailures),
    );
  }

  if (breakage.doraSeries) out.push(...breakage.doraSeries);
  else if (config.dora) {
    for (const repo of config.dora.repositories) {
      const labels = { job: SCRAPE_JOBS.dora, instance: host, repo: repo.repo, environment: repo.environment, window: '30d' };
      add(
        DORA_METRICS.changeFailureRate,
        labels,
        perMinute(minutes, () => 0.05),
      );
      add(
        DORA_METRICS.timeToRestoreMedian,
        labels,
        perMinute(minutes, () => 1800),
      );
    }
  }

  for (const service of config.services) {
    const baseline = baselineBadShare(service);
    for (const env of service.environments) {
      const probe = probeLabels(service, env.name);
      const probeBad = is(breakage.probeBad, service.name, env.name) ? breakage.probeBad!.bad : () => 0;
      add(SLI_METRICS.probeSuccess, probe, diffusedSuccess(minutes, probeBad));
      add(
        'probe_duration_seconds',
        probe,
        perMinute(minutes, () => 0.12),
      );
      add(
        'probe_ssl_earliest_cert_expiry',
        probe,
        perMinute(minutes, () => 90 * 86400),
      );
      if (!worldAppEnvironments(service).includes(env.name)) continue;
      const app = appLabels(service, env.name);
      // The app's metrics target is scraped, as in the real world: without its up series AppTargetDown fires.
      if (isScrapedConvention(service))
        add(
          'up',
          app,
          perMinute(minutes, () => 1),
        );
      const broken = is(breakage.app, service.name, env.name) ? breakage.app! : undefined;
      const errors = broken?.errors ?? (() => baseline);
      const slow = broken?.slow ?? (() => baseline);
      out.push(...appSeries(serviceConvention(service), app, latencyThresholds(service), minutes, errors, slow));
    }
  }
  return out;
}

/**
 * A marker series that node exporter shows (value 1) while `present(minute)` and drops otherwise: missing
 * samples before it first appears, a staleness marker when it disappears (as Prometheus records a series gone
 * from a scrape).
 */
function presence(minutes: number, present: (minute: number) => boolean): string {
  return perMinute(minutes, (m) => m)
    .map((m) => (present(m) ? '1' : m > 0 && present(m - 1) ? 'stale' : '_'))
    .join(' ');
}

/**
 * Request and duration series of one app in the names of its convention: requests by status (200 and 500),
 * and the duration histogram with a bucket at each latency threshold. Where the requests counter is the
 * histogram's own `_count` (opentelemetry), the histogram is split by status instead.
 */
function appSeries(
  convention: MetricConvention,
  app: Record<string, string>,
  thresholds: readonly number[],
  minutes: number,
  errors: (minute: number) => number,
  slow: (minute: number) => number,
): InputSeries[] {
  const out: InputSeries[] = [];
  const add = (name: string, labels: Record<string, string>, samples: number[]) => out.push({ series: series(name, labels), values: compactValues(samples) });
  const rpm = REQUESTS_PER_MINUTE;
  const byStatus = [
    { status: '200', share: (m: number) => 1 - errors(m) },
    { status: '500', share: errors },
  ];
  const histogram = (labels: Record<string, string>, perMinuteRequests: (minute: number) => number) => {
    for (const le of thresholds)
      add(
        `${convention.durationHistogram}_bucket`,
        { ...labels, le: String(le) },
        counter(minutes, (m) => perMinuteRequests(m) * (1 - slow(m))),
      );
    add(`${convention.durationHistogram}_bucket`, { ...labels, le: '+Inf' }, counter(minutes, perMinuteRequests));
    add(`${convention.durationHistogram}_count`, labels, counter(minutes, perMinuteRequests));
  };
  if (convention.requests === `${convention.durationHistogram}_count`) {
    for (const { status, share } of byStatus) histogram({ ...app, [convention.statusLabel]: status }, (m) => rpm * share(m));
    return out;
  }
  for (const { status, share } of byStatus)
    add(
      convention.requests,
      { ...app, [convention.statusLabel]: status },
      counter(minutes, (m) => rpm * share(m)),
    );
  histogram(app, () => rpm);
  return out;
}
