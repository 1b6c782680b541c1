/**
 * The SLO series vocabulary (after sloth's `slo:<thing>:<ops>`). Every series carries the labels
 * `service`, `environment` and `slo`; dashboards and alerts read these and do no arithmetic of their own.
 */
/**
 * Windows every SLO records its error ratio over: the burn-rate windows of the 30d reference and the dashboards'
 * 7d and 30d. An SLO of another period also records its scaled burn windows (lib/slo/burn-rate.ts).
 */
export const SLO_ERROR_RATIO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '7d', '30d'] as const;

export const SLO_SERIES = {
  /** Share of bad events over a window: `slo:sli_error:ratio_rate5m` ... `slo:sli_error:ratio_rate30d`, `..._rate1h24m`. */
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  /** Share of bad events over the SLO's own window (whatever its length). */
  errorRatioPeriod: 'slo:sli_error:ratio_period',
  /** The objective as a ratio (99.5% → 0.995). */
  objective: 'slo:objective:ratio',
  /** The error budget as a ratio (1 - objective). */
  errorBudget: 'slo:error_budget:ratio',
  /** The SLO window in days. */
  periodDays: 'slo:time_period:days',
  /** Burn rate over the last hour (error ratio 1h / error budget). */
  currentBurnRate: 'slo:current_burn_rate:ratio',
  /** Burn rate over the whole window. */
  periodBurnRate: 'slo:period_burn_rate:ratio',
  /** Share of the window's error budget still left (1 = untouched, below 0 = overspent). */
  errorBudgetRemaining: 'slo:period_error_budget_remaining:ratio',
  /** Error budget still left, in minutes of total outage. */
  errorBudgetRemainingMinutes: 'slo:period_error_budget_remaining:minutes',
  /** Share of the window's error budget spent over the last day (the error budget policy's daily view). */
  errorBudgetSpentDay: 'slo:error_budget_spent:ratio_1d',
  /** When the budget left runs out at the current (1h) burn rate, as a Unix time; absent while nothing burns or nothing is left. */
  errorBudgetExhaustion: 'slo:error_budget_exhaustion:timestamp',
} as const;
