import { ALERT_CATALOG, alertDefinition } from '../alerting/packs';
import { effectiveFor } from '../alerting/alert-definition';
import type { PlatformConfig } from '../config/schema';
import { ruleDurationSeconds } from '../shared/durations';
import type { InputSeries } from './promtool';

/**
 * A game day: what is broken, the synthetic series that show it (one sample per minute, time-compressed),
 * and what the platform's real alert rules must do about it.
 */
export type ScenarioFamily =
  'service-outage' | 'error-spike' | 'latency-degradation' | 'slow-burn' | 'host-pressure' | 'platform-self-failure' | 'quiet-baseline' | 'deployment-failure';

export interface ExpectedAlert {
  readonly alertname: string;
  /** The complete label set of the firing alert (series labels plus the rule's `severity`, `slo`). */
  readonly labels: Readonly<Record<string, string>>;
  /** Minute of the scenario by which the alert must be firing (it must still be firing then). */
  readonly by: number;
}

export interface ExpectedResolution {
  readonly alertname: string;
  /** Minute by which no alert of that name may fire any more. */
  readonly by: number;
}

export interface Scenario {
  /** Unique within a config: `family/service/environment[/slo]`. */
  readonly name: string;
  readonly family: ScenarioFamily;
  /** What is broken, in words. */
  readonly broken: string;
  /** Length of the input, in minutes (one sample per minute). */
  readonly minutes: number;
  readonly input: readonly InputSeries[];
  readonly mustFire: readonly ExpectedAlert[];
  readonly mustResolve: readonly ExpectedResolution[];
  /** Alerts that must not fire at any point of the scenario. */
  readonly mustStayQuiet: readonly string[];
  /** The report's time chart; by default derived from the family (lib/gameday/charts.ts). */
  readonly chart?: ScenarioChart;
}

/**
 * The small time chart of a scenario in the report: one PromQL expression (evaluated by promtool against the
 * real rules every minute of the scenario) drawn against the thresholds its alerts use.
 */
export interface ScenarioChart {
  readonly title: string;
  /** A PromQL expression returning at most one sample. */
  readonly expr: string;
  readonly unit: string;
  readonly thresholds: readonly { label: string; value: number }[];
}

/** Minute a single-alert game day breaks things (after a healthy half hour). */
export const BREAK_MINUTE = 30;

export interface SingleAlertSpec {
  readonly name: string;
  readonly family: ScenarioFamily;
  readonly alertname: string;
  /** Labels of the firing alert besides `severity` (taken from the catalog). */
  readonly labels: Readonly<Record<string, string>>;
  /** Minutes from the breakage until the alert must fire. */
  readonly detect: number;
  /** Minutes from the recovery until the alert must have resolved. */
  readonly settle: number;
  readonly broken: (start: number, recovery: number) => string;
  /** The world of `minutes` minutes, broken while `active(minute)`. */
  readonly input: (minutes: number, active: (minute: number) => boolean) => InputSeries[];
}

/**
 * A game day of one alert: broken from BREAK_MINUTE until `detect` minutes later, when the alert must fire;
 * healthy again 5 minutes after that, and the alert resolved `settle` minutes later. Every other alert stays
 * quiet.
 */
export function singleAlertScenario(spec: SingleAlertSpec): Scenario {
  const start = BREAK_MINUTE;
  const by = start + spec.detect;
  const recovery = by + 5;
  const resolveBy = recovery + spec.settle;
  const minutes = resolveBy + 5;
  return {
    name: spec.name,
    family: spec.family,
    broken: spec.broken(start, recovery),
    minutes,
    input: spec.input(minutes, (m) => m >= start && m < recovery),
    mustFire: [{ alertname: spec.alertname, labels: { ...spec.labels, severity: severityOf(spec.alertname) }, by }],
    mustResolve: [{ alertname: spec.alertname, by: resolveBy }],
    mustStayQuiet: quietExcept(spec.alertname),
  };
}

/** The `for` a platform alert is rendered with in this description (its `alerting.alertOverrides` entry's, else its pack's), in minutes. */
export function forMinutes(alertname: string, config: Pick<PlatformConfig, 'alerting'>): number {
  return Math.ceil(ruleDurationSeconds(effectiveFor(alertDefinition(alertname), config)) / 60);
}

/**
 * What an SLO breakage may also raise: the world's history is hours, not the SLO's window, so an incident that
 * burns at page or ticket rates can spend the whole budget of the short period recorded so far (and so cross
 * the error budget policy's threshold on the way).
 */
export const SLO_BUDGET_SPENT_ALERTS = ['SLOErrorBudgetExhausted', 'SLOErrorBudgetPolicy'] as const;

/** Every catalog alert except `except`: what must stay quiet while only those may fire. */
export function quietExcept(...except: string[]): string[] {
  return ALERT_CATALOG.map((a) => a.name).filter((name) => !except.includes(name));
}

/** `severity` of a catalog alert. */
export function severityOf(alertname: string): string {
  return alertDefinition(alertname).severity;
}

/** A per-minute series of `length` samples: `f(minute)`. */
export function perMinute(length: number, f: (minute: number) => number): number[] {
  return Array.from({ length }, (_, m) => f(m));
}

/** A counter whose increase in minute m is `increment(m)`, starting at 0 at minute 0. */
export function counter(length: number, increment: (minute: number) => number): number[] {
  let total = 0;
  return Array.from({ length }, (_, m) => {
    if (m > 0) total += increment(m);
    return total;
  });
}

/**
 * 0/1 samples whose share of zeros follows `bad(minute)`, failures spread evenly (error diffusion) so that
 * the share over any window matches `bad`.
 */
export function diffusedSuccess(length: number, bad: (minute: number) => number): number[] {
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
