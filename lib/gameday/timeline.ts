import { minutes } from './promtool';
import { scenarioChecks, type Observations } from './runner';
import type { Scenario, ScenarioChart } from './scenario';

/**
 * What the real rules did, minute by minute: which alerts fired and the value of the scenario's chart
 * expression. Observed with promtool, never taken from the expectations: every minute carries an
 * alert_rule_test expecting nothing and a promql_expr_test expecting no sample, so each minute where an alert
 * fires (or the expression has a value) comes back as a "failure" naming what promtool got. They run in the
 * same test case as the scenario's checks, so the rules are evaluated once.
 */
export interface ScenarioTimeline {
  readonly name: string;
  readonly minutes: number;
  /** Per watched alert: one entry per minute, true when at least one alert of that name fires. */
  readonly firing: Readonly<Record<string, readonly boolean[]>>;
  /** The chart expression's value per minute (undefined: no sample). */
  readonly values: readonly (number | undefined)[];
}

/** When an alert first fired and when it stopped firing for good (minutes), from a timeline. */
export interface AlertSpan {
  readonly alertname: string;
  readonly firedAt?: number;
  /** First minute after the last firing minute; undefined while it still fires at the end (or never fired). */
  readonly resolvedAt?: number;
}

/** The alerts a timeline watches: those the scenario expects to fire or resolve. */
export function watchedAlerts(scenario: Scenario): string[] {
  return [...new Set([...scenario.mustFire.map((e) => e.alertname), ...scenario.mustResolve.map((e) => e.alertname)])];
}

const TIMELINE_LABEL = 'gameday_timeline';

/**
 * The observation tests of a scenario, run in the same promtool test case as its checks (runner.ts): every
 * minute, each watched alert expecting nothing, and the chart expression (labelled with the scenario's index,
 * because promtool prints failed expressions without their test's name) expecting no sample.
 */
export function observationTests(scenario: Scenario, chart: ScenarioChart | undefined, index: number): Observations {
  const range = Array.from({ length: scenario.minutes }, (_, m) => m);
  const expr = chart ? `label_replace(${chart.expr}, "${TIMELINE_LABEL}", "${index}", "", "")` : undefined;
  return {
    alerts: watchedAlerts(scenario).flatMap((alertname) => range.map((m) => ({ eval_time: minutes(m), alertname, exp_alerts: [] }))),
    exprs: expr ? range.map((m) => ({ expr, eval_time: minutes(m), exp_samples: [] })) : [],
  };
}

/**
 * The timeline of scenario `index` from promtool's output of a run with observationTests: an alert fired at a
 * minute when promtool got at least one alert there, or when a check expecting it to fire there passed.
 */
export function timelineFromOutput(scenario: Scenario, index: number, output: string): ScenarioTimeline {
  const observed = parseObservations(output);
  const firing: Record<string, boolean[]> = {};
  for (const alertname of watchedAlerts(scenario)) firing[alertname] = Array.from({ length: scenario.minutes }, () => false);
  for (const { test, alertname, minute } of observed.alerts) {
    if (test === scenario.name && firing[alertname] && minute < scenario.minutes) firing[alertname][minute] = true;
  }
  const failedAt = new Set(observed.failed.filter((f) => f.test === scenario.name).map((f) => `${f.alertname}@${f.minute}`));
  for (const check of scenarioChecks(scenario)) {
    if (check.test.exp_alerts.length > 0 && !failedAt.has(`${check.alertname}@${check.minute}`) && firing[check.alertname] && check.minute < scenario.minutes) {
      firing[check.alertname][check.minute] = true;
    }
  }
  const values: (number | undefined)[] = Array.from({ length: scenario.minutes }, () => undefined);
  for (const v of observed.values) if (v.index === index && v.minute < scenario.minutes) values[v.minute] = v.value;
  return { name: scenario.name, minutes: scenario.minutes, firing, values };
}

/** First firing minute and the minute it stopped firing for good, per watched alert. */
export function alertSpans(timeline: ScenarioTimeline): AlertSpan[] {
  return Object.entries(timeline.firing).map(([alertname, perMinute]) => {
    const first = perMinute.indexOf(true);
    if (first < 0) return { alertname };
    const last = perMinute.lastIndexOf(true);
    return { alertname, firedAt: first, resolvedAt: last < perMinute.length - 1 ? last + 1 : undefined };
  });
}

/**
 * The observations in promtool's failures: `alertname: A, time: T,` blocks (after the `name:` of their test)
 * whose `got` lists at least one alert, and `expr: "...", time: T,` blocks with the sample promtool got and the
 * scenario index from the expression's `gameday_timeline` label.
 */
export function parseObservations(output: string): {
  alerts: { test: string; alertname: string; minute: number }[];
  failed: { test: string; alertname: string; minute: number }[];
  values: { index: number; minute: number; value: number }[];
} {
  const alerts: { test: string; alertname: string; minute: number }[] = [];
  const failed: { test: string; alertname: string; minute: number }[] = [];
  const values: { index: number; minute: number; value: number }[] = [];
  const lines = output.split('\n');
  let test = '';
  for (let i = 0; i < lines.length; i++) {
    const name = /^\s*name: (.*),\s*$/.exec(lines[i]);
    if (name) {
      test = name[1];
      continue;
    }
    const alert = /^\s*alertname: ([^,]+), time: ([^,]+),/.exec(lines[i]);
    if (alert) {
      // the block runs until the next `name:`/`alertname:`/`expr:` line; it fired if promtool got any labels
      // (labels listed under `exp:` are what was expected, not what fired)
      let got = false;
      let inGot = false;
      for (let j = i + 1; j < lines.length && !/^\s*(name|alertname|expr):/.test(lines[j]); j++) {
        if (/^\s*got:/.test(lines[j])) inGot = true;
        if (inGot && /Labels:\{/.test(lines[j])) got = true;
      }
      const minute = promtoolMinutes(alert[2]);
      if (minute !== undefined) failed.push({ test, alertname: alert[1], minute });
      if (got && minute !== undefined) alerts.push({ test, alertname: alert[1], minute });
      continue;
    }
    const expr = /^\s*expr: ".*", time: ([^,]+),\s*$/.exec(lines[i]);
    const index = expr && new RegExp(`${TIMELINE_LABEL}\\\\?", \\\\?"(\\d+)`).exec(lines[i]);
    if (expr && index) {
      const got = lines.slice(i + 1, i + 4).find((l) => /^\s*got:/.test(l));
      const sample = got && /\}\s+(\S+)\s*$/.exec(got);
      const minute = promtoolMinutes(expr[1]);
      if (sample && minute !== undefined && Number.isFinite(Number(sample[1]))) values.push({ index: Number(index[1]), minute, value: Number(sample[1]) });
    }
  }
  return { alerts, failed, values };
}

function promtoolMinutes(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  return Math.round(Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) + Number(match[3] ?? 0) / 60);
}
