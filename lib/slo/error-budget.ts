import { durationSeconds, type ServiceConfig, type SloConfig } from '../config/schema';

/**
 * Error-budget arithmetic. Objectives are percentages as in config (99.5), windows Prometheus durations (30d).
 * Pure functions, so that rules, dashboards, the README and tests agree on one definition.
 */

/** The error budget as a ratio of events: 99.5% → 0.005. Rounded to 12 digits to drop float noise. */
export function errorBudgetRatio(objectivePercent: number): number {
  if (!(objectivePercent > 0 && objectivePercent < 100)) throw new Error(`objective must be strictly between 0 and 100, got ${objectivePercent}`);
  return round12((100 - objectivePercent) / 100);
}

/** The error budget in minutes of total outage over the window: 99.5% over 30d → 216. */
export function errorBudgetMinutes(objectivePercent: number, window: string): number {
  return round12((durationSeconds(window) / 60) * errorBudgetRatio(objectivePercent));
}

/**
 * The highest burn rate an SLO can show: a total outage (error ratio 1) burns 1/(1 - objective) times the
 * sustainable rate. 99.5% → 200, 95% → 20, 90% → 10.
 */
export function maxBurnRate(objectivePercent: number): number {
  return round12(1 / errorBudgetRatio(objectivePercent));
}

/**
 * How long a constant burn rate takes to use up the whole budget of the window, in hours:
 * 14.4x over 30d → 50h (so one hour of it costs 2% of the budget).
 */
export function hoursToExhaustBudget(burnRate: number, window: string): number {
  if (!(burnRate > 0)) throw new Error(`burn rate must be positive, got ${burnRate}`);
  return round12(durationSeconds(window) / 3600 / burnRate);
}

/** Share of the window's budget that a burn rate spends in `duration`: 14.4x for 1h of 30d → 0.02. */
export function budgetSpent(burnRate: number, duration: string, window: string): number {
  return round12((burnRate * durationSeconds(duration)) / durationSeconds(window));
}

function round12(value: number): number {
  return Number(value.toPrecision(12));
}

/** The error budget policy of an SLO: its own, else its service's, else none. */
export function sloBudgetPolicy(service: ServiceConfig, slo: SloConfig): SloConfig['budgetPolicy'] {
  return slo.budgetPolicy ?? service.budgetPolicy;
}
