import { parsePlatformConfig } from '../lib/config/loader';
import type { PlatformConfig } from '../lib/config/schema';
import { SCRAPE_JOBS } from '../lib/contracts/scrape-jobs';
import { errorBudgetRatio } from '../lib/slo/error-budget';
import type { RuleFile } from '../lib/promql/rule-types';
import {
  compactValues,
  parsePromtoolFailures,
  promtoolRuleFiles,
  runPromtoolTests,
  series,
  type AlertRuleTest,
  type PromtoolFailure,
} from '../lib/gameday/promtool';
import { generatedConfig } from './generate-config';
import * as yaml from 'js-yaml';

/**
 * Item 4: when does the page come and go, evaluated by promtool over time-compressed series of one service
 * with a 99.5% request SLO, for our multi-window multi-burn-rate rules (SLOBurnRateFast pages) and for the
 * single-window alert many teams run (1h error ratio above 14.4 × the budget, no short window).
 */

export const OBJECTIVE = 99.5;
/** Healthy history before the incident: covers the 6h long window of the slower page tier. */
export const HISTORY_MINUTES = 360;
/** How long after the incident starts the evaluation looks (each minute). */
export const WATCH_MINUTES = 180;
const REQUESTS_PER_MINUTE = 600;
const SERVICE = 'checkout';
const ENVIRONMENT = 'production';
export const NAIVE_ALERT = 'NaiveBurnRate1h';
export const OUR_PAGE = 'SLOBurnRateFast';

export interface Scenario {
  readonly name: string;
  /** Minutes of total outage (every request fails) from HISTORY_MINUTES on. */
  readonly outageMinutes: number;
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'full outage, 30 min', outageMinutes: 30 },
  { name: '2-minute blip', outageMinutes: 2 },
];

export interface AlertTimeline {
  readonly alert: string;
  /** Minutes (relative to the incident's start) at which the alert was firing. */
  readonly firingAt: readonly number[];
}

export interface ScenarioOutcome {
  /** Minutes from the incident's start to the first firing; undefined when it never fired. */
  readonly minutesToPage?: number;
  /** Minutes from recovery to the first evaluation without the alert; undefined when it never fired or never cleared. */
  readonly minutesToClear?: number;
  /** Separate firing episodes (pages sent). */
  readonly pages: number;
}

/** The one-service config the scenarios run against. */
export function alertQualityConfig(): PlatformConfig {
  const base = generatedConfig({ services: 1 });
  const services = [
    {
      name: SERVICE,
      team: 'payments',
      environments: [{ name: ENVIRONMENT, probeUrl: 'https://checkout.example.com/health', metricsTarget: '10.0.0.10:8000' }],
      slos: [{ name: 'requests', objective: OBJECTIVE, sli: 'errors' }],
    },
  ];
  return parsePlatformConfig(yaml.dump({ ...base, services }), 'alert-quality.yaml');
}

/** The naive rule: one 1h window, threshold 14.4 × the error budget, no short window to reset it. */
export function naiveRuleFile(objective = OBJECTIVE): RuleFile {
  const app = `job="${SCRAPE_JOBS.app}",service="${SERVICE}"`;
  const ratio = `sum by (service, environment) (rate(http_requests_total{${app},status=~"5.."}[1h])) / sum by (service, environment) (rate(http_requests_total{${app}}[1h]))`;
  return {
    name: 'naive.yml',
    groups: [
      {
        name: 'naive-alerts',
        rules: [
          {
            alert: NAIVE_ALERT,
            expr: `${ratio} > ${Number((14.4 * errorBudgetRatio(objective)).toPrecision(12))}`,
            labels: { severity: 'critical' },
            annotations: {},
          },
        ],
      },
    ],
  };
}

/** Counter values per minute: REQUESTS_PER_MINUTE requests, all failing during the outage. */
export function requestSeries(scenario: Scenario): { ok: number[]; failed: number[] } {
  const total = HISTORY_MINUTES + WATCH_MINUTES;
  const ok: number[] = [0];
  const failed: number[] = [0];
  for (let m = 1; m <= total; m++) {
    const down = m > HISTORY_MINUTES && m <= HISTORY_MINUTES + scenario.outageMinutes;
    ok.push(ok[m - 1] + (down ? 0 : REQUESTS_PER_MINUTE));
    failed.push(failed[m - 1] + (down ? REQUESTS_PER_MINUTE : 0));
  }
  return { ok, failed };
}

/** Outcome of one alert's timeline in a scenario watched for `watchMinutes` after the incident's start. */
export function outcomeOf(firingAt: readonly number[], outageMinutes: number, watchMinutes = WATCH_MINUTES): ScenarioOutcome {
  const sorted = [...firingAt].sort((a, b) => a - b);
  let pages = 0;
  sorted.forEach((m, i) => {
    if (i === 0 || sorted[i - 1] !== m - 1) pages++;
  });
  if (sorted.length === 0) return { pages: 0 };
  const last = sorted[sorted.length - 1];
  return {
    minutesToPage: sorted[0],
    minutesToClear: last >= watchMinutes ? undefined : Math.max(0, last + 1 - outageMinutes),
    pages,
  };
}

/**
 * Runs promtool over one scenario: at every minute of the watch window it expects no alert, so every
 * evaluation at which an alert fires is reported back as a failure at that time.
 */
export function alertTimelines(scenario: Scenario, config: PlatformConfig = alertQualityConfig()): AlertTimeline[] {
  const failures = firingEachMinute({
    name: scenario.name,
    files: [...promtoolRuleFiles(config), naiveRuleFile()],
    config,
    labels: { job: SCRAPE_JOBS.app, service: SERVICE, environment: ENVIRONMENT },
    counters: requestSeries(scenario),
    alertnames: [OUR_PAGE, NAIVE_ALERT],
    historyMinutes: HISTORY_MINUTES,
    watchMinutes: WATCH_MINUTES,
  });
  return [OUR_PAGE, NAIVE_ALERT].map((alert) => ({
    alert,
    firingAt: failures.filter((f) => f.alertname === alert && f.time !== undefined).map((f) => minutesOf(f.time!) - HISTORY_MINUTES),
  }));
}

/**
 * promtool over `files` and the request counters of one service (`ok` as status 200, `failed` as 500, one value a
 * minute), expecting none of `alertnames` at each minute of the watch that follows the history: every failure it
 * returns is an alert firing at that minute.
 */
export function firingEachMinute(run: {
  readonly name: string;
  readonly files: readonly RuleFile[];
  readonly config: PlatformConfig;
  readonly labels: Record<string, string>;
  readonly counters: { readonly ok: readonly number[]; readonly failed: readonly number[] };
  readonly alertnames: readonly string[];
  readonly historyMinutes: number;
  readonly watchMinutes: number;
}): PromtoolFailure[] {
  const tests: AlertRuleTest[] = [];
  for (let m = 0; m <= run.watchMinutes; m++) {
    for (const alertname of run.alertnames) tests.push({ eval_time: `${run.historyMinutes + m}m`, alertname, exp_alerts: [] });
  }
  const result = runPromtoolTests(
    [
      {
        name: run.name,
        interval: '1m',
        input_series: [
          { series: series('http_requests_total', { ...run.labels, status: '200' }), values: compactValues(run.counters.ok) },
          { series: series('http_requests_total', { ...run.labels, status: '500' }), values: compactValues(run.counters.failed) },
        ],
        alert_rule_test: tests,
      },
    ],
    { config: run.config, files: run.files },
  );
  const failures = parsePromtoolFailures(result.output);
  if (result.status !== 0 && failures.length === 0) throw new Error(`promtool failed without a test failure:\n${result.output}`);
  return failures;
}

/** promtool's eval time (`6h5m`, `370m`, `1h`) in minutes. */
export function minutesOf(time: string): number {
  let minutes = 0;
  for (const [, value, unit] of time.matchAll(/(\d+)([dhms])/g))
    minutes += Number(value) * ({ d: 1440, h: 60, m: 1, s: 1 / 60 } as Record<string, number>)[unit];
  return minutes;
}

export interface AlertQualityResult {
  readonly objective: number;
  readonly rows: readonly { scenario: Scenario; alert: string; outcome: ScenarioOutcome }[];
}

export function benchAlertQuality(): AlertQualityResult {
  const config = alertQualityConfig();
  const rows = SCENARIOS.flatMap((scenario) =>
    alertTimelines(scenario, config).map((t) => ({ scenario, alert: t.alert, outcome: outcomeOf(t.firingAt, scenario.outageMinutes) })),
  );
  return { objective: OBJECTIVE, rows };
}
