import { Counter, Gauge, Registry, type MetricValueWithName } from 'prom-client';
import { BAND_VALUE, changeFailureRateBand, deploymentFrequencyBand, leadTimeBand, timeToRestoreBand, type Band } from './bands';
import type { ExporterHealth } from './health';
import type { DoraState, SeriesTotals } from './history';
import { DORA_METRICS } from './metric-names';
import { changeFailureRate } from './metrics/change-failure-rate';
import { deploymentFrequency } from './metrics/deployment-frequency';
import { leadTimeMedian } from './metrics/lead-time';
import { timeToRestoreMedian } from './metrics/time-to-restore';
import { WINDOWS } from './metrics/window';
import { DURATION_BUCKETS, type Tally } from './tally';

/** Health metrics beyond the contract in metric-names.ts. */
export const HEALTH_METRICS = {
  polls: 'dora_exporter_polls_total',
  requests: 'dora_exporter_github_requests_total',
} as const;

const LABELS = ['repo', 'workflow', 'environment'] as const;

/** What the registry reads at every scrape. */
export interface RegistrySource {
  readonly state: () => DoraState;
  readonly health: ExporterHealth;
  /** Epoch seconds. */
  readonly now: () => number;
}

/**
 * A histogram exposed from a Tally kept in the state file. prom-client's Histogram cannot be seeded with
 * counts, so this small metric hands the registry the `_bucket`/`_sum`/`_count` samples directly.
 */
class TallyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly pick: (totals: SeriesTotals) => Tally,
    private readonly source: RegistrySource,
  ) {}

  async get(): Promise<{ name: string; help: string; type: string; values: MetricValueWithName<string>[]; aggregator: string }> {
    const values: MetricValueWithName<string>[] = [];
    for (const totals of Object.values(this.source.state().series)) {
      const tally = this.pick(totals);
      const labels = { ...totals.labels };
      DURATION_BUCKETS.forEach((bound, i) => values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: bound }, value: tally.buckets[i] }));
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: tally.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: tally.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: tally.count });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

/** Builds a registry whose every value is computed from the state and health at scrape time. */
export function buildRegistry(source: RegistrySource): Registry {
  const registry = new Registry();
  const series = () => Object.entries(source.state().series);

  const counter = (name: string, help: string, pick: (t: SeriesTotals) => number) =>
    new Counter({
      name,
      help,
      labelNames: LABELS,
      registers: [registry],
      collect() {
        this.reset();
        for (const [, totals] of series()) this.inc({ ...totals.labels }, pick(totals));
      },
    });
  counter(DORA_METRICS.deployments, 'Successful runs of the deploy workflow on the deploy branch.', (t) => t.deployments);
  counter(DORA_METRICS.failedDeployments, 'Failed (failure or timed_out) runs of the deploy workflow on the deploy branch.', (t) => t.failedDeployments);
  counter(DORA_METRICS.changeFailures, 'Deploys that failed, or were later blamed by a rollback/hotfix deploy or an incident.', (t) => t.changeFailures);

  const histograms: [string, string, (t: SeriesTotals) => Tally][] = [
    [DORA_METRICS.leadTime, 'Per shipped commit: commit time to deployed (confirmation, else run completion).', (t) => t.leadTime],
    [DORA_METRICS.leadTimeQueue, 'Per shipped commit: commit time to start of the deploy run.', (t) => t.leadTimeQueue],
    [DORA_METRICS.leadTimePipeline, 'Per deploy: start to completion of the deploy run.', (t) => t.leadTimePipeline],
    [DORA_METRICS.leadTimeConfirmation, 'Per deploy: run completion to the first successful GitHub deployment status.', (t) => t.leadTimeConfirmation],
    [DORA_METRICS.timeToRestore, 'Failed deploy to next successful deploy, blamed deploy to its rollback, or incident open to close.', (t) => t.timeToRestore],
  ];
  for (const [name, help, pick] of histograms) registry.registerMetric(new TallyHistogram(name, help, pick, source) as never);

  const windowGauge = (name: string, help: string, compute: (key: string, now: number, days: number) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: [...LABELS, 'window'],
      registers: [registry],
      collect() {
        this.reset();
        const now = source.now();
        for (const [key, totals] of series())
          for (const window of WINDOWS) {
            const value = compute(key, now, window.days);
            if (value !== undefined) this.set({ ...totals.labels, window: window.label }, value);
          }
      },
    });
  windowGauge(DORA_METRICS.deploymentFrequency, 'Successful deploys per day over the window.', (k, now, d) => deploymentFrequency(source.state(), k, now, d));
  windowGauge(DORA_METRICS.leadTimeMedian, 'Median lead time for changes over the window (absent when nothing shipped).', (k, now, d) => leadTimeMedian(source.state(), k, now, d));
  windowGauge(DORA_METRICS.changeFailureRate, 'Change failures over deploy runs in the window (absent without deploys).', (k, now, d) => changeFailureRate(source.state(), k, now, d));
  windowGauge(DORA_METRICS.timeToRestoreMedian, 'Median time to restore of restores ending in the window (absent without restores).', (k, now, d) => timeToRestoreMedian(source.state(), k, now, d));

  new Gauge({
    name: DORA_METRICS.performanceBand,
    help: 'DORA performance band over 30 days (4 elite, 3 high, 2 medium, 1 low; 2023 State of DevOps clusters).',
    labelNames: [...LABELS, 'metric'],
    registers: [registry],
    collect() {
      this.reset();
      const now = source.now();
      const state = source.state();
      for (const [key, totals] of series()) {
        const bands: [string, Band | undefined][] = [
          ['deployment_frequency', deploymentFrequencyBand(deploymentFrequency(state, key, now, 30))],
          ['lead_time', optional(leadTimeMedian(state, key, now, 30), leadTimeBand)],
          ['change_failure_rate', optional(changeFailureRate(state, key, now, 30), changeFailureRateBand)],
          ['time_to_restore', optional(timeToRestoreMedian(state, key, now, 30), timeToRestoreBand)],
        ];
        for (const [metric, band] of bands) if (band) this.set({ ...totals.labels, metric }, BAND_VALUE[band]);
      }
    },
  });

  const health = source.health;
  new Gauge({
    name: DORA_METRICS.lastSuccessfulPoll,
    help: 'Unix time of the last poll that read every repository.',
    registers: [registry],
    collect() {
      if (health.lastSuccessfulPoll !== undefined) this.set(health.lastSuccessfulPoll);
    },
  });
  new Counter({
    name: DORA_METRICS.apiErrors,
    help: 'Failed GitHub API attempts by reason (rate_limited, server_error, client_error, network).',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, count] of Object.entries(health.apiErrors)) this.inc({ reason }, count);
    },
  });
  new Gauge({
    name: DORA_METRICS.rateLimitRemaining,
    help: 'x-ratelimit-remaining of the latest GitHub API response.',
    registers: [registry],
    collect() {
      if (health.remaining !== undefined) this.set(health.remaining);
    },
  });
  new Counter({
    name: HEALTH_METRICS.polls,
    help: 'Polls by result (success: every repository read; failure: at least one could not be).',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [result, count] of Object.entries(health.polls)) this.inc({ result }, count);
    },
  });
  new Counter({
    name: HEALTH_METRICS.requests,
    help: 'GitHub API requests by outcome (ok, not_modified: a 304 that cost no rate limit, error).',
    labelNames: ['outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [outcome, count] of Object.entries(health.requests)) this.inc({ outcome }, count);
    },
  });
  return registry;
}

function optional<T>(value: number | undefined, band: (v: number) => T): T | undefined {
  return value === undefined ? undefined : band(value);
}
