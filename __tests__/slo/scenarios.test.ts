import { ALERT_CATALOG } from '../../lib/alerting/packs';
import { validatePlatformConfig } from '../../lib/config/loader';
import { hostInstanceName } from '../../lib/prometheus/scrape-config';
import { errorBudgetRatio } from '../../lib/slo/error-budget';
import { SLO_SERIES } from '../../lib/contracts/slo-series';
import { promtoolRuleFiles, series, values, type AlertRuleTest, type InputSeries, type PromtoolTestCase } from '../../lib/gameday/promtool';
import { BURN_RATE_ALERTS, DEFAULT_CONFIG, rulesReadBy, runPromtoolTests } from '../prometheus/promtool-harness';

/**
 * SLO scenarios of the issue, run by `promtool test rules` against the rules rendered from the default config
 * (anvila-api: availability 99.5% from probes in production, requests 99.5% from 5xx in staging, latency 99%
 * under 0.5s in staging). Time is compressed: one input sample per minute, 12 hours of healthy history first.
 */

const HISTORY = 720; // minutes of healthy traffic before each incident
const REQUESTS_PER_MINUTE = 1000;
const BASELINE = 0.001; // share of bad events when healthy (0.2x burn at 99.5%, 0.1x at 99%)

type Sli = 'availability' | 'requests' | 'latency';
const OBJECTIVE: Record<Sli, number> = { availability: 99.5, requests: 99.5, latency: 99 };
const ENVIRONMENT: Record<Sli, string> = { availability: 'production', requests: 'staging', latency: 'staging' };
const HOST = hostInstanceName(DEFAULT_CONFIG);

const probeLabels = { job: 'blackbox-http', instance: 'https://api.anvila.example/health', service: 'anvila-api', environment: 'production' };
const appLabels = { job: 'app', instance: '10.0.1.10:8000', service: 'anvila-api', environment: 'staging', route: '/items', method: 'GET' };

/** Input series of one SLI over `length` minutes, where `bad(minute)` is the share of bad events in that minute. */
function sliInput(sli: Sli, length: number, bad: (minute: number) => number): InputSeries[] {
  if (sli === 'availability') {
    // one probe per minute; failures spread evenly (error diffusion) so the share over any window matches `bad`
    let debt = 0;
    const samples = Array.from({ length }, (_, m) => {
      debt += bad(m);
      if (debt >= 0.999) {
        debt -= 1;
        return 0;
      }
      return 1;
    });
    return [{ series: series('probe_success', probeLabels), values: values(samples) }];
  }
  let good = 0;
  let failed = 0;
  const goodValues: number[] = [];
  const badValues: number[] = [];
  for (let m = 0; m < length; m++) {
    const b = Math.round(bad(m) * REQUESTS_PER_MINUTE);
    failed += b;
    good += REQUESTS_PER_MINUTE - b;
    goodValues.push(good);
    badValues.push(failed);
  }
  if (sli === 'requests') {
    return [
      { series: series('http_requests_total', { ...appLabels, status: '200' }), values: values(goodValues) },
      { series: series('http_requests_total', { ...appLabels, status: '500' }), values: values(badValues) },
    ];
  }
  return [
    { series: series('http_request_duration_seconds_bucket', { ...appLabels, le: '0.5' }), values: values(goodValues) },
    { series: series('http_request_duration_seconds_bucket', { ...appLabels, le: '+Inf' }), values: values(goodValues.map((g, i) => g + badValues[i])) },
    { series: series('http_request_duration_seconds_count', appLabels), values: values(goodValues.map((g, i) => g + badValues[i])) },
  ];
}

const ALL: Sli[] = ['availability', 'requests', 'latency'];
const inputs = (length: number, bad: (sli: Sli, minute: number) => number) => ALL.flatMap((sli) => sliInput(sli, length, (m) => bad(sli, m)));
const KIND: Record<Sli, string> = { availability: 'probe', requests: 'errors', latency: 'latency' };
// team: the service's team in the default config; sli: the SLI kind the inhibitions match on
const alertLabels = (sli: Sli, severity: string) => ({
  exp_labels: { service: 'anvila-api', environment: ENVIRONMENT[sli], slo: sli, sli: KIND[sli], team: 'platform', severity },
});
const fast = (at: number, ...slis: Sli[]): AlertRuleTest => ({
  eval_time: `${at}m`,
  alertname: 'SLOBurnRateFast',
  exp_alerts: slis.map((s) => alertLabels(s, 'critical')),
});
const slow = (at: number, ...slis: Sli[]): AlertRuleTest => ({
  eval_time: `${at}m`,
  alertname: 'SLOBurnRateSlow',
  exp_alerts: slis.map((s) => alertLabels(s, 'warning')),
});

function run(test: PromtoolTestCase, config = DEFAULT_CONFIG): void {
  // a case that asserts only the burn-rate alerts runs them with what they read; any other case gets every rule
  const burnRateOnly =
    !test.promql_expr_test?.length && (test.alert_rule_test ?? []).every((t) => (BURN_RATE_ALERTS as readonly string[]).includes(t.alertname));
  const files = burnRateOnly ? rulesReadBy(promtoolRuleFiles(config), BURN_RATE_ALERTS) : undefined;
  const result = runPromtoolTests([test], { config, files });
  if (result.status !== 0) throw new Error(`promtool test rules failed for "${test.name}":\n${result.output}`);
  expect(result.status).toBe(0);
}

describe('SLO burn-rate scenarios (promtool test rules, default config)', () => {
  it('GIVEN a total outage after 12 healthy hours THEN SLOBurnRateFast pages within 5 minutes (99.5% SLOs) and within 10 (99% latency)', () => {
    run({
      name: 'total outage',
      interval: '1m',
      input_series: inputs(HISTORY + 31, (_, m) => (m >= HISTORY ? 1 : BASELINE)),
      alert_rule_test: [
        fast(HISTORY - 1),
        slow(HISTORY - 1),
        fast(HISTORY + 5, 'availability', 'requests'),
        fast(HISTORY + 10, 'availability', 'requests', 'latency'),
        fast(HISTORY + 30, 'availability', 'requests', 'latency'),
      ],
    });
  });

  it('GIVEN a 2-minute blip after 12 healthy hours THEN nobody is paged (and no ticket either)', () => {
    const times = [2, 5, 10, 20, 40, 60, 90, 120];
    run({
      name: '2-minute blip',
      interval: '1m',
      input_series: inputs(HISTORY + 121, (_, m) => (m >= HISTORY && m < HISTORY + 2 ? 1 : BASELINE)),
      alert_rule_test: times.flatMap((t) => [fast(HISTORY + t), slow(HISTORY + t)]),
    });
  });

  it('GIVEN a sustained 5x burn THEN SLOBurnRateSlow opens a ticket and SLOBurnRateFast never pages', () => {
    const burn = (sli: Sli) => 5 * errorBudgetRatio(OBJECTIVE[sli]);
    run({
      name: 'sustained 5x burn',
      interval: '1m',
      input_series: inputs(HISTORY + 481, (sli, m) => (m >= HISTORY ? burn(sli) : BASELINE)),
      alert_rule_test: [...[30, 90, 180, 300, 480].map((t) => fast(HISTORY + t)), slow(HISTORY + 30), slow(HISTORY + 180, ...ALL), slow(HISTORY + 480, ...ALL)],
    });
  });

  // 6 hours: every window up to 6h is full, and the run stays well inside the harness's time limit
  const HEALTHY = 360;
  it('GIVEN a healthy service THEN no alert of the catalog fires, and the budget series show an untouched budget', () => {
    const up = (job: string): InputSeries => ({ series: series('up', { job, instance: HOST }), values: `1x${HEALTHY}` });
    run({
      name: 'healthy',
      interval: '1m',
      // staging's probe too: every environment's probe SLO expects data (SLOSliAbsent)
      input_series: [
        ...inputs(HEALTHY + 1, () => BASELINE),
        {
          series: series('probe_success', { ...probeLabels, environment: 'staging', instance: 'https://staging.api.anvila.example/health' }),
          values: `1x${HEALTHY}`,
        },
        up('node'),
        up('dora-exporter'),
        up('prometheus'),
        up('loki'),
        // the app's metrics target is scraped (AppTargetDown stays quiet)
        {
          series: series('up', { job: 'app', instance: appLabels.instance, service: appLabels.service, environment: appLabels.environment }),
          values: `1x${HEALTHY}`,
        },
      ],
      alert_rule_test: [180, HEALTHY].flatMap((t) => ALERT_CATALOG.map((a) => ({ eval_time: `${t}m`, alertname: a.name, exp_alerts: [] }))),
      promql_expr_test: [
        {
          expr: `${SLO_SERIES.objective}{slo="availability",environment="production"}`,
          eval_time: '60m',
          exp_samples: [{ labels: `${SLO_SERIES.objective}{service="anvila-api",environment="production",slo="availability"}`, value: 0.995 }],
        },
        {
          expr: `${SLO_SERIES.errorBudget}{slo="latency"}`,
          eval_time: '60m',
          exp_samples: [{ labels: `${SLO_SERIES.errorBudget}{service="anvila-api",environment="staging",slo="latency"}`, value: 0.01 }],
        },
        {
          expr: `${SLO_SERIES.periodDays}{slo="requests"}`,
          eval_time: '60m',
          exp_samples: [{ labels: `${SLO_SERIES.periodDays}{service="anvila-api",environment="staging",slo="requests"}`, value: 30 }],
        },
        // the probe never failed: the whole budget (216 minutes for 99.5% over 30d) is left
        {
          expr: `${SLO_SERIES.errorBudgetRemaining}{slo="availability",environment="production"}`,
          eval_time: '360m',
          exp_samples: [{ labels: `${SLO_SERIES.errorBudgetRemaining}{service="anvila-api",environment="production",slo="availability"}`, value: 1 }],
        },
        {
          expr: `${SLO_SERIES.errorBudgetRemainingMinutes}{slo="availability",environment="production"}`,
          eval_time: '360m',
          exp_samples: [{ labels: `${SLO_SERIES.errorBudgetRemainingMinutes}{service="anvila-api",environment="production",slo="availability"}`, value: 216 }],
        },
        {
          expr: `${SLO_SERIES.currentBurnRate}{slo="availability",environment="production"}`,
          eval_time: '360m',
          exp_samples: [{ labels: `${SLO_SERIES.currentBurnRate}{service="anvila-api",environment="production",slo="availability"}`, value: 0 }],
        },
      ],
    });
  });

  it('GIVEN a 90% SLO (14.4x unreachable) WHEN the service is down for an hour THEN the lowered fast tier pages', () => {
    const raw = structuredClone(DEFAULT_CONFIG) as unknown as { services: { slos: { name: string; objective: number }[] }[] };
    raw.services[0].slos[0].objective = 90;
    const config = validatePlatformConfig(raw);
    run(
      {
        name: 'outage against a 90% SLO',
        interval: '1m',
        input_series: sliInput('availability', HISTORY + 71, (m) => (m >= HISTORY ? 1 : 0)),
        alert_rule_test: [fast(HISTORY + 30), fast(HISTORY + 70, 'availability')],
      },
      config,
    );
  });
});
