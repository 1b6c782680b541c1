import { validatePlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { errorBudgetRatio } from '../../lib/slo/error-budget';
import { promtoolRuleFiles, series, values, type AlertRuleTest, type InputSeries, type PromtoolTestCase } from '../../lib/gameday/promtool';
import { diffusedSuccess } from '../../lib/gameday/scenario';
import { BURN_RATE_ALERTS, DEFAULT_CONFIG, rulesReadBy, runPromtoolTests } from '../prometheus/promtool-harness';

/**
 * The SLI kinds that read metrics the user names (custom ratio with errors or good, a classic or native histogram
 * of the user's, a 0/1 gauge) and the built-in errors/latency SLIs of the other metric conventions
 * (opentelemetry, explicit names), run by `promtool test rules` through page, ticket, blip and recovery.
 * `billing` has one SLO of each user-named kind, `checkout` and `catalog` speak opentelemetry, `ledger` explicit names; each
 * scenario breaks all of them the same way, each through its own metric. One sample per minute, 12 healthy
 * hours first.
 */

const HISTORY = 720;
const EVENTS_PER_MINUTE = 1000;
const BASELINE = 0.001;
const SERVICE = 'billing';
const ENVIRONMENT = 'production';

type Kind =
  'ratio-errors' | 'ratio-good' | 'histogram' | 'native' | 'gauge' | 'otel-errors' | 'otel-latency' | 'otel-native' | 'explicit-errors' | 'explicit-latency';
const OBJECTIVE: Record<Kind, number> = {
  'ratio-errors': 99.5,
  'ratio-good': 99.5,
  histogram: 99,
  native: 99,
  gauge: 99.5,
  'otel-errors': 99.5,
  'otel-latency': 99,
  'otel-native': 99,
  'explicit-errors': 99.5,
  'explicit-latency': 99,
};
const SERVICE_OF: Record<Kind, string> = {
  'ratio-errors': SERVICE,
  'ratio-good': SERVICE,
  histogram: SERVICE,
  native: SERVICE,
  gauge: SERVICE,
  'otel-errors': 'checkout',
  'otel-latency': 'catalog',
  'otel-native': 'catalog',
  'explicit-errors': 'ledger',
  'explicit-latency': 'ledger',
};
const labelsOf = (kind: Kind) => ({ service: SERVICE_OF[kind], environment: ENVIRONMENT, instance: '10.0.2.10:9000', job: `${SERVICE_OF[kind]}-metrics` });

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
  // a native histogram of the user's, and the opentelemetry convention's duration histogram as a native one
  native: { latency: { threshold: 0.25, metric: 'rpc_latency_seconds', native: true } },
  'otel-native': { latency: { threshold: 0.25, native: true } },
  gauge: { boolGauge: { metric: 'queue_consumer_healthy' } },
  'otel-errors': 'errors',
  'otel-latency': { latency: { threshold: 0.25 } },
  'explicit-errors': 'errors',
  'explicit-latency': { latency: { threshold: 0.25 } },
};
const SLI_KIND: Record<Kind, string> = {
  'ratio-errors': 'ratio',
  'ratio-good': 'ratio',
  histogram: 'latency',
  native: 'latency',
  gauge: 'boolGauge',
  'otel-errors': 'errors',
  'otel-latency': 'latency',
  'otel-native': 'latency',
  'explicit-errors': 'errors',
  'explicit-latency': 'latency',
};
const EXPLICIT = { requests: 'rpc_calls_total', statusLabel: 'code', durationHistogram: 'rpc_call_seconds', matchers: 'job="ledger-metrics"' };

/** The default config plus the services of `kinds`. */
function kindsConfig(kinds: readonly Kind[]): PlatformConfig {
  const raw = structuredClone(DEFAULT_CONFIG) as unknown as { services: unknown[] };
  const service = (name: string, metricConvention: unknown) => ({
    name,
    metricConvention,
    environments: [{ name: ENVIRONMENT, probeUrl: `https://${name}.example/health` }],
    slos: kinds.filter((kind) => SERVICE_OF[kind] === name).map((kind) => ({ name: kind, objective: OBJECTIVE[kind], sli: SLI[kind] })),
  });
  const conventions: Record<string, unknown> = { [SERVICE]: 'prometheus-client', checkout: 'opentelemetry', catalog: 'opentelemetry', ledger: EXPLICIT };
  raw.services.push(...[...new Set(kinds.map((kind) => SERVICE_OF[kind]))].map((name) => service(name, conventions[name])));
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

/**
 * Input series of one kind over `length` minutes, one sample every `step` minutes (native histograms: promtool's
 * query sample limit counts each histogram as many samples, so their day-long windows need fewer of them).
 */
function kindInput(kind: Kind, length: number, bad: (minute: number) => number, step = 1): InputSeries[] {
  const labels = labelsOf(kind);
  if (kind === 'gauge') return [{ series: series('queue_consumer_healthy', labels), values: values(diffusedSuccess(length, bad)) }];
  const { good, failed } = counters(length, bad);
  const all = good.map((g, i) => g + failed[i]);
  if (kind === 'ratio-errors')
    return [
      { series: series('rpc_requests_total', { ...labels, code: 'ok' }), values: values(good) },
      { series: series('rpc_requests_total', { ...labels, code: 'error' }), values: values(failed) },
    ];
  if (kind === 'otel-errors')
    return [
      {
        series: series('http_server_request_duration_seconds_count', { ...labels, http_route: '/pay', http_response_status_code: '200' }),
        values: values(good),
      },
      {
        series: series('http_server_request_duration_seconds_count', { ...labels, http_route: '/pay', http_response_status_code: '503' }),
        values: values(failed),
      },
    ];
  if (kind === 'otel-latency') {
    const route = { ...labels, http_route: '/cart', http_response_status_code: '200' };
    return [
      { series: series('http_server_request_duration_seconds_bucket', { ...route, le: '0.25' }), values: values(good) },
      { series: series('http_server_request_duration_seconds_bucket', { ...route, le: '+Inf' }), values: values(all) },
      { series: series('http_server_request_duration_seconds_count', route), values: values(all) },
    ];
  }
  if (kind === 'explicit-errors')
    return [
      { series: series('rpc_calls_total', { ...labels, code: '200' }), values: values(good) },
      { series: series('rpc_calls_total', { ...labels, code: '500' }), values: values(failed) },
      // the same names from another job are not this service's app (its convention selects job="ledger-metrics")
      { series: series('rpc_calls_total', { ...labels, job: 'sidecar', code: '500' }), values: `0+1000x${length - 1}` },
    ];
  if (kind === 'native' || kind === 'otel-native') {
    // schema 0: bucket i holds (2^(i-1), 2^i], so offset -2 starts at (0.125, 0.25]; good requests take 0.2s,
    // slow ones 0.8s (bucket 0: (0.5, 1]); 0.25 is a boundary, so histogram_fraction is exact there
    const name = kind === 'native' ? 'rpc_latency_seconds' : 'http_server_request_duration_seconds';
    const extra: Record<string, string> = kind === 'native' ? { route: '/invoices' } : { http_route: '/cart', http_response_status_code: '200' };
    const histogram = (g: number, b: number) => `{{schema:0 sum:${Number((0.2 * g + 0.8 * b).toFixed(1))} count:${g + b} offset:-2 buckets:[${g} 0 ${b}]}}`;
    const samples = good.map((g, i) => histogram(g, failed[i])).filter((_, minute) => minute % step === 0);
    return [{ series: series(name, { ...labels, ...extra }), values: samples.join(' ') }];
  }
  if (kind === 'explicit-latency') {
    const call = { ...labels, method: 'Charge' };
    return [
      { series: series('rpc_call_seconds_bucket', { ...call, le: '0.25' }), values: values(good) },
      { series: series('rpc_call_seconds_bucket', { ...call, le: '+Inf' }), values: values(all) },
      { series: series('rpc_call_seconds_count', call), values: values(all) },
      // the same histogram from another job is not this service's app
      { series: series('rpc_call_seconds_bucket', { ...call, job: 'sidecar', le: '0.25' }), values: `0x${length - 1}` },
      { series: series('rpc_call_seconds_count', { ...call, job: 'sidecar' }), values: `0+1000x${length - 1}` },
    ];
  }
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

// small groups, so that each promtool run stays well inside the harness's time limit on a busy machine
// the third value: minutes between input samples
describe.each<[string, Kind[], number]>([
  ['custom ratio SLIs (errors over total, good over total)', ['ratio-errors', 'ratio-good'], 1],
  ['a user-named classic histogram and a bool gauge', ['histogram', 'gauge'], 1],
  ["native histograms: a user-named one and the opentelemetry convention's (histogram_fraction)", ['native', 'otel-native'], 2],
  ['the errors and latency SLIs of the opentelemetry convention', ['otel-errors', 'otel-latency'], 1],
  ['the errors and latency SLIs of an explicit convention', ['explicit-errors', 'explicit-latency'], 1],
])('SLO scenarios under promtool test rules: %s', (_, KINDS, STEP) => {
  const CONFIG = kindsConfig(KINDS);
  const inputs = (length: number, bad: (kind: Kind, minute: number) => number) => KINDS.flatMap((kind) => kindInput(kind, length, (m) => bad(kind, m), STEP));
  const firing = (kind: Kind, severity: string) => ({
    exp_labels: { service: SERVICE_OF[kind], environment: ENVIRONMENT, slo: kind, sli: SLI_KIND[kind], severity },
  });
  const fast = (at: number, ...kinds: Kind[]): AlertRuleTest => ({
    eval_time: `${at}m`,
    alertname: 'SLOBurnRateFast',
    exp_alerts: kinds.map((k) => firing(k, 'critical')),
  });
  const slow = (at: number, ...kinds: Kind[]): AlertRuleTest => ({
    eval_time: `${at}m`,
    alertname: 'SLOBurnRateSlow',
    exp_alerts: kinds.map((k) => firing(k, 'warning')),
  });

  const files = rulesReadBy(promtoolRuleFiles(CONFIG), BURN_RATE_ALERTS);

  function run(test: PromtoolTestCase): void {
    const result = runPromtoolTests([{ ...test, interval: `${STEP}m` }], { config: CONFIG, files });
    if (result.status !== 0) throw new Error(`promtool test rules failed for "${test.name}":\n${result.output}`);
    expect(result.status).toBe(0);
  }

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
      input_series: inputs(HISTORY + 301, (kind, m) => (m >= HISTORY ? 5 * errorBudgetRatio(OBJECTIVE[kind]) : BASELINE)),
      alert_rule_test: [...[30, 90, 180, 300].map((t) => fast(HISTORY + t)), slow(HISTORY + 30), slow(HISTORY + 180, ...KINDS), slow(HISTORY + 300, ...KINDS)],
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
      alert_rule_test: [
        fast(recovered - 1, ...KINDS),
        slow(recovered - 1, ...KINDS),
        fast(recovered + 40),
        slow(recovered + 40, ...KINDS),
        slow(recovered + 375),
      ],
    });
  });
});
