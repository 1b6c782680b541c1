import { Counter, Gauge, Registry, type MetricValueWithName } from 'prom-client';
import { BAND_VALUE, changeFailureRateBand, deploymentFrequencyBand, leadTimeBand, timeToRestoreBand, type Band } from './bands';
import type { ExporterHealth } from './health';
import type { DoraState, SeriesTotals } from './history';
import { DORA_METRICS } from './metric-names';
import { INCIDENT_ATTRIBUTIONS } from './history';
import { changeFailureRate, pipelineFailureRate, reworkRate } from './metrics/change-failure-rate';
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
 * A metric whose samples are computed at scrape time and handed to the registry as they are. Used where
 * prom-client's own types do not fit: a Histogram cannot be seeded with the counts of a Tally kept in the state
 * file, and a Gauge without labels always exposes a value (0 when never set), which would read as "rate limit 0"
 * or "last successful poll in 1970" after a restart during an outage; this one has no sample when nothing is known.
 */
class ComputedMetric {
  readonly aggregator = 'sum';
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'gauge' | 'histogram',
    private readonly samples: () => MetricValueWithName<string>[],
  ) {}

  async get(): Promise<{ name: string; help: string; type: string; values: MetricValueWithName<string>[]; aggregator: string }> {
    return { name: this.name, help: this.help, type: this.type, values: this.samples(), aggregator: this.aggregator };
  }
}

/** The `_bucket`/`_sum`/`_count` samples of one Tally per series. */
function tallySamples(name: string, pick: (totals: SeriesTotals) => Tally, source: RegistrySource): MetricValueWithName<string>[] {
  const values: MetricValueWithName<string>[] = [];
  for (const totals of Object.values(source.state().series)) {
    const tally = pick(totals);
    const labels = { ...totals.labels };
    DURATION_BUCKETS.forEach((bound, i) => values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: bound }, value: tally.buckets[i] }));
    values.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: tally.count });
    values.push({ metricName: `${name}_sum`, labels, value: tally.sum });
    values.push({ metricName: `${name}_count`, labels, value: tally.count });
  }
  return values;
}

/** Builds a registry whose every value is computed from the state and health at scrape time. */
export function buildRegistry(source: RegistrySource): Registry {
  const registry = new Registry();
  const series = () => Object.entries(source.state().series);
  // A repository never read (misspelt, not visible to the token) has no rates or bands: it is not a low performer.
  const readSeries = () => series().filter(([, totals]) => source.state().repos[totals.labels.repo]?.lastSuccessfulPoll !== undefined);

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
  counter(DORA_METRICS.deployments, 'Successful runs (every attempt) of the deploy workflow on the deploy ref: deployments that reached production.', (t) => t.deployments);
  counter(DORA_METRICS.failedDeployments, 'Failed (failure or timed_out) deploy run attempts: pipeline failures, which never reached production.', (t) => t.failedDeployments);
  counter(DORA_METRICS.changeFailures, 'Deployments later blamed by a rollback/hotfix deploy or an incident.', (t) => t.changeFailures);
  counter(DORA_METRICS.reworkDeployments, 'Deployments that were a rollback or hotfix of the deployment before them.', (t) => t.reworkDeployments);
  new Counter({
    name: DORA_METRICS.incidents,
    help: 'Incident issues by how they were tied to a deploy: linked (named its commit or run), latest_deploy (fallback: the latest deploy before it), none.',
    labelNames: [...LABELS, 'attribution'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [, totals] of series()) for (const attribution of INCIDENT_ATTRIBUTIONS) this.inc({ ...totals.labels, attribution }, totals.incidents[attribution]);
    },
  });

  const histograms: [string, string, (t: SeriesTotals) => Tally][] = [
    [DORA_METRICS.leadTime, 'Per shipped commit: commit time to deployed (confirmation, else run completion).', (t) => t.leadTime],
    [DORA_METRICS.leadTimeQueue, 'Per shipped commit: commit time to start of the deploy run.', (t) => t.leadTimeQueue],
    [DORA_METRICS.leadTimePipeline, 'Per deploy: start to completion of the deploy run.', (t) => t.leadTimePipeline],
    [DORA_METRICS.leadTimeConfirmation, 'Per deploy: run completion to the first successful GitHub deployment status.', (t) => t.leadTimeConfirmation],
    [DORA_METRICS.timeToRestore, 'Failed deploy to next successful deploy, blamed deploy to its rollback, or incident open to close.', (t) => t.timeToRestore],
  ];
  for (const [name, help, pick] of histograms)
    registry.registerMetric(new ComputedMetric(name, help, 'histogram', () => tallySamples(name, pick, source)) as never);

  const windowGauge = (name: string, help: string, compute: (key: string, now: number, days: number) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: [...LABELS, 'window'],
      registers: [registry],
      collect() {
        this.reset();
        const now = source.now();
        for (const [key, totals] of readSeries())
          for (const window of WINDOWS) {
            const value = compute(key, now, window.days);
            if (value !== undefined) this.set({ ...totals.labels, window: window.label }, value);
          }
      },
    });
  windowGauge(DORA_METRICS.deploymentFrequency, 'Successful deploys per day over the window.', (k, now, d) => deploymentFrequency(source.state(), k, now, d));
  windowGauge(DORA_METRICS.leadTimeMedian, 'Median lead time for changes over the window (absent when nothing shipped).', (k, now, d) => leadTimeMedian(source.state(), k, now, d));
  windowGauge(DORA_METRICS.changeFailureRate, 'Share of the deployments in the window later blamed by a rollback, hotfix or incident (absent without deployments).', (k, now, d) => changeFailureRate(source.state(), k, now, d));
  windowGauge(DORA_METRICS.pipelineFailureRate, 'Failed deploy run attempts over all deploy run attempts in the window (absent without runs).', (k, now, d) => pipelineFailureRate(source.state(), k, now, d));
  windowGauge(DORA_METRICS.reworkRate, 'Share of the deployments in the window that were a rollback or hotfix (absent without deployments).', (k, now, d) => reworkRate(source.state(), k, now, d));
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
      for (const [key, totals] of readSeries()) {
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
  const computed = (name: string, help: string, samples: () => { labels: Record<string, string>; value: number }[]) =>
    registry.registerMetric(new ComputedMetric(name, help, 'gauge', () => samples().map((s) => ({ metricName: name, ...s }))) as never);
  computed(DORA_METRICS.lastSuccessfulPoll, 'Unix time of the last poll that read every repository (absent until one did).', () => {
    const at = source.state().lastSuccessfulPoll;
    return at === undefined ? [] : [{ labels: {}, value: at }];
  });
  computed(DORA_METRICS.repositoryLastSuccessfulPoll, 'Unix time of the last poll that read all of the repository (absent until one did).', () =>
    Object.entries(source.state().repos).flatMap(([repo, cursor]) => (cursor.lastSuccessfulPoll === undefined ? [] : [{ labels: { repo }, value: cursor.lastSuccessfulPoll }])),
  );
  computed(DORA_METRICS.repositoryPollOk, 'Whether the latest poll read all of the repository (1) or failed (0); absent before its first poll.', () =>
    Object.entries(health.repositoryPollOk).map(([repo, ok]) => ({ labels: { repo }, value: ok ? 1 : 0 })),
  );
  new Counter({
    name: DORA_METRICS.repositoryPollErrors,
    help: 'Failed polls of a repository by reason (not_found, unauthorized, forbidden, rate_limited, server_error, network, client_error, internal).',
    labelNames: ['repo', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [repo, errors] of Object.entries(health.repositoryErrors)) for (const [reason, count] of Object.entries(errors)) this.inc({ repo, reason }, count ?? 0);
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
  computed(DORA_METRICS.rateLimitRemaining, 'x-ratelimit-remaining of the latest GitHub API response (absent until GitHub answered).', () =>
    health.remaining === undefined ? [] : [{ labels: {}, value: health.remaining }],
  );
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
