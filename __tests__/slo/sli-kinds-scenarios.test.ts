import { validatePlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { errorBudgetRatio } from '../../lib/slo/error-budget';
import { series, values, type AlertRuleTest, type InputSeries, type PromtoolTestCase } from '../../gameday/promtool';
import { DEFAULT_CONFIG, runPromtoolTests } from '../prometheus/promtool-harness';

/**
 * The SLI kinds that read metrics the user names (custom ratio with errors or good, a classic histogram of
 * the user's, a 0/1 gauge), run by `promtool test rules` through page, ticket, blip and recovery. One service,
 * `billing`, has one SLO of each kind; each scenario breaks all of them the same way, each through its own
 * metric. One input sample per minute, 12 healthy hours first.
 */

const HISTORY = 720;
const EVENTS_PER_MINUTE = 1000;
const BASELINE = 0.001;
const SERVICE = 'billing';
const ENVIRONMENT = 'production';
const labels = { service: SERVICE, environment: ENVIRONMENT, instance: '10.0.2.10:9000', job: 'billing-metrics' };

type Kind = 'ratio-errors' | 'ratio-good' | 'histogram' | 'gauge';
const KINDS: Kind[] = ['ratio-errors', 'ratio-good', 'histogram', 'gauge'];
const OBJECTIVE: Record<Kind, number> = { 'ratio-errors': 99.5, 'ratio-good': 99.5, histogram: 99, gauge: 99.5 };

const SLI: Record<Kind, unknown> = {
  'ratio-errors': {
    ratio: {
      errors: `rate(rpc_requests_total{service="${SERVICE}",code="error"}[{{window}}])`,
      total: `rate(rpc_requests_total{service="${SERVICE}"}[{{window}}])`,
    },
  },
  'ratio-good': {
    ratio: {
      good: `rate(jobs_total{service="${SERVICE}",outcome="done"}[{{window}}])`,
      total: `rate(jobs_total{service="${SERVICE}"}[{{window}}])`,
    },
  },
  histogram: { latency: { threshold: 0.3, metric: 'rpc_duration_seconds', buckets: [0.1, 0.3, 1], matchers: 'route!="/health"' } },
  gauge: { boolGauge: { metric: 'queue_consumer_healthy' } },
};

function kindsConfig(): PlatformConfig {
  const raw = structuredClone(DEFAULT_CONFIG) as unknown as { services: unknown[] };
  raw.services.push({
    name: SERVICE,
    environments: [{ name: ENVIRONMENT, probeUrl: 'https://billing.example/health' }],
    slos: KINDS.map((kind) => ({ name: kind, objective: OBJECTIVE[kind], sli: SLI[kind] })),
  });
  return validatePlatformConfig(raw);
}

/** Running totals of good and bad events, `bad(minute)` being the share of bad events in that minute. */
function counters(length: number, bad: (minute: number) => number): { good: number[]; failed: number[] } {
  let good = 0;
  let failed = 0;
  const goodValues: number[] = [];
  const badValues: number[] = [];
  for (let m = 0; m < length; m++) {
    const b = Math.round(bad(m) * EVENTS_PER_MINUTE);
    failed += b;
    good += EVENTS_PER_MINUTE - b;
    goodValues.push(good);
    badValues.push(failed);
  }
  return { good: goodValues, failed: badValues };
}

/** 0/1 samples whose failures are spread evenly, so the share over any window matches `bad`. */
function diffused(length: number, bad: (minute: number) => number): number[] {
  let debt = 0;
  return Array.from({ length }, (_, m) => {
    debt += bad(m);
    if (debt >= 0.999) {
      debt -= 1;
      return 0;
    }
    return 1;
  });
}

function kindInput(kind: Kind, length: number, bad: (minute: number) => number): InputSeries[] {
  if (kind === 'gauge') return [{ series: series('queue_consumer_healthy', labels), values: values(diffused(length, bad)) }];
  const { good, failed } = counters(length, bad);
  const all = good.map((g, i) => g + failed[i]);
  if (kind === 'ratio-errors')
    return [
      { series: series('rpc_requests_total', { ...labels, code: 'ok' }), values: values(good) },
      { series: series('rpc_requests_total', { ...labels, code: 'error' }), values: values(failed) },
    ];
  if (kind === 'ratio-good')
    return [
      { series: series('jobs_total', { ...labels, outcome: 'done' }), values: values(good) },
      { series: series('jobs_total', { ...labels, outcome: 'failed' }), values: values(failed) },
    ];
  const route = { ...labels, route: '/invoices' };
  // a health route that is always slow must not count: the SLO's matchers leave it out
  const health = { ...labels, route: '/health' };
  return [
    { series: series('rpc_duration_seconds_bucket', { ...route, le: '0.1' }), values: values(good.map((g) => Math.floor(g / 2))) },
    { series: series('rpc_duration_seconds_bucket', { ...route, le: '0.3' }), values: values(good) },
    { series: series('rpc_duration_seconds_bucket', { ...route, le: '1' }), values: values(all) },
    { series: series('rpc_duration_seconds_bucket', { ...route, le: '+Inf' }), values: values(all) },
    { series: series('rpc_duration_seconds_count', route), values: values(all) },
    { series: series('rpc_duration_seconds_bucket', { ...health, le: '0.3' }), values: `0x${length - 1}` },
    { series: series('rpc_duration_seconds_bucket', { ...health, le: '+Inf' }), values: `0+100x${length - 1}` },
    { series: series('rpc_duration_seconds_count', health), values: `0+100x${length - 1}` },
  ];
}

const inputs = (length: number, bad: (kind: Kind, minute: number) => number) => KINDS.flatMap((kind) => kindInput(kind, length, (m) => bad(kind, m)));
const firing = (kind: Kind, severity: string) => ({ exp_labels: { service: SERVICE, environment: ENVIRONMENT, slo: kind, severity } });
const fast = (at: number, ...kinds: Kind[]): AlertRuleTest => ({ eval_time: `${at}m`, alertname: 'SLOBurnRateFast', exp_alerts: kinds.map((k) => firing(k, 'critical')) });
const slow = (at: number, ...kinds: Kind[]): AlertRuleTest => ({ eval_time: `${at}m`, alertname: 'SLOBurnRateSlow', exp_alerts: kinds.map((k) => firing(k, 'warning')) });

const CONFIG = kindsConfig();

function run(test: PromtoolTestCase): void {
  const result = runPromtoolTests([test], { config: CONFIG });
  if (result.status !== 0) throw new Error(`promtool test rules failed for "${test.name}":\n${result.output}`);
  expect(result.status).toBe(0);
}

describe('SLO scenarios for user-named SLIs (ratio, histogram, bool gauge) under promtool test rules', () => {
  it('GIVEN a total outage after 12 healthy hours THEN SLOBurnRateFast pages for every kind within 10 minutes', () => {
    run({
      name: 'page',
      interval: '1m',
      input_series: inputs(HISTORY + 31, (_, m) => (m >= HISTORY ? 1 : BASELINE)),
      alert_rule_test: [fast(HISTORY - 1), slow(HISTORY - 1), fast(HISTORY + 10, ...KINDS), fast(HISTORY + 30, ...KINDS)],
    });
  });

  it('GIVEN a sustained 5x burn THEN SLOBurnRateSlow opens a ticket for every kind and SLOBurnRateFast never pages', () => {
    run({
      name: 'ticket',
      interval: '1m',
      input_series: inputs(HISTORY + 481, (kind, m) => (m >= HISTORY ? 5 * errorBudgetRatio(OBJECTIVE[kind]) : BASELINE)),
      alert_rule_test: [...[30, 90, 180, 300, 480].map((t) => fast(HISTORY + t)), slow(HISTORY + 30), slow(HISTORY + 180, ...KINDS), slow(HISTORY + 480, ...KINDS)],
    });
  });

  it('GIVEN a 2-minute blip THEN nobody is paged and no ticket is opened', () => {
    run({
      name: 'blip',
      interval: '1m',
      input_series: inputs(HISTORY + 121, (_, m) => (m >= HISTORY && m < HISTORY + 2 ? 1 : BASELINE)),
      alert_rule_test: [2, 5, 10, 20, 40, 60, 90, 120].flatMap((t) => [fast(HISTORY + t), slow(HISTORY + t)]),
    });
  });

  it('GIVEN an hour-long outage that ends THEN the page resolves within 40 minutes and the ticket within 6h15m', () => {
    const recovered = HISTORY + 60;
    run({
      name: 'recovery',
      interval: '1m',
      input_series: inputs(recovered + 376, (_, m) => (m >= HISTORY && m < recovered ? 1 : BASELINE)),
      alert_rule_test: [fast(recovered - 1, ...KINDS), slow(recovered - 1, ...KINDS), fast(recovered + 40), slow(recovered + 40, ...KINDS), slow(recovered + 375)],
    });
  });
});
