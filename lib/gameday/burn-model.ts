import { durationSeconds } from '../config/schema';
import { errorBudgetRatio } from '../slo/error-budget';
import { REFERENCE_PERIOD, planBurnRateTiers, type PlannedTier } from '../slo/burn-rate';

/**
 * A model of the multi-window burn-rate alerts, used to derive a scenario's deadlines from the SLO's own tiers
 * (planBurnRateTiers, so a lowered fast tier is accounted for) instead of hard-coding them. It is only a model:
 * the scenarios are checked against the real rule files by promtool.
 *
 * The error ratio over a window is the mean of the per-minute bad share over the samples the window holds
 * (all of them when the history is shorter than the window, as rate() and avg_over_time() do).
 */
export type BurnAlert = 'SLOBurnRateFast' | 'SLOBurnRateSlow';

export interface BurnPrediction {
  /**
   * First minute by which the condition has held with a 10% margin above the thresholds for the alert's whole
   * `for:` (every minute of it): it surely fires by then.
   */
  readonly surelyFrom?: number;
  /** Last minute the condition could hold (10% margin below the thresholds); undefined if it never could. */
  readonly possiblyUntil?: number;
}

/**
 * `samples`: the SLI averages the samples of the window (probes, avg_over_time);
 * `increments`: the SLI is a ratio of counter rates, whose window holds one increment fewer than samples.
 */
export type WindowKind = 'samples' | 'increments';

const MARGIN = 0.1;

/**
 * `period`: the SLO's window, whose burn windows the tiers are scaled to; `holdMinutes`: each alert's `for:` in
 * minutes (the packs' are 0s).
 */
export function predictBurnAlerts(
  objective: number,
  bad: readonly number[],
  kind: WindowKind,
  period: string = REFERENCE_PERIOD,
  holdMinutes: Readonly<Record<BurnAlert, number>> = { SLOBurnRateFast: 0, SLOBurnRateSlow: 0 },
): Record<BurnAlert, BurnPrediction> {
  const { tiers } = planBurnRateTiers(objective, undefined, period);
  const prefix = [0];
  for (const b of bad) prefix.push(prefix[prefix.length - 1] + b);
  const ratio = (t: number, windowMinutes: number): number | undefined => {
    const first = Math.max(kind === 'samples' ? 0 : 1, t - windowMinutes + (kind === 'samples' ? 1 : 2));
    if (first > t) return undefined;
    return (prefix[t + 1] - prefix[first]) / (t + 1 - first);
  };
  const holds = (tier: PlannedTier, t: number, scale: number) => {
    const threshold = tier.errorRatioThreshold * scale;
    const long = ratio(t, minutesOf(tier.longWindow));
    const short = ratio(t, minutesOf(tier.shortWindow));
    return long !== undefined && short !== undefined && long > threshold && short > threshold;
  };
  const predict = (alert: BurnAlert): BurnPrediction => {
    const mine = tiers.filter((tier) => tier.alert === alert);
    let surelyFrom: number | undefined;
    let possiblyUntil: number | undefined;
    // minutes in a row the condition has surely held (pending, then firing once the run outlasts `for:`)
    let held = 0;
    for (let t = 0; t < bad.length; t++) {
      held = mine.some((tier) => holds(tier, t, 1 + MARGIN)) ? held + 1 : 0;
      if (surelyFrom === undefined && held > holdMinutes[alert]) surelyFrom = t;
      if (mine.some((tier) => holds(tier, t, 1 - MARGIN))) possiblyUntil = t;
    }
    return { surelyFrom, possiblyUntil };
  };
  return { SLOBurnRateFast: predict('SLOBurnRateFast'), SLOBurnRateSlow: predict('SLOBurnRateSlow') };
}

/** Error-ratio thresholds of an SLO's tiers of one alert. */
export function tierThresholds(objective: number, alert: BurnAlert, period: string = REFERENCE_PERIOD): number[] {
  return planBurnRateTiers(objective, undefined, period)
    .tiers.filter((tier) => tier.alert === alert)
    .map((tier) => tier.errorRatioThreshold);
}

/** Burn factors of an SLO's tiers of one alert (after any lowering). */
export function tierFactors(objective: number, alert: BurnAlert, period: string = REFERENCE_PERIOD): number[] {
  return planBurnRateTiers(objective, undefined, period)
    .tiers.filter((tier) => tier.alert === alert)
    .map((tier) => tier.factor);
}

export { errorBudgetRatio };

function minutesOf(window: string): number {
  return durationSeconds(window) / 60;
}
