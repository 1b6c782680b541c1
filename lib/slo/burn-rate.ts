import { durationSeconds, formatDuration } from '../config/schema';
import { errorBudgetRatio, maxBurnRate } from './error-budget';

/**
 * The multi-window, multi-burn-rate scheme (Google SRE Workbook, chapter 5, with the 3x tier that sloth and the
 * kubernetes mixin add). A tier fires when the burn rate exceeds `factor` over both its long and its short
 * window: the long window makes it significant, the short one makes it reset quickly once the problem ends.
 */
export interface BurnRateTier {
  readonly alert: 'SLOBurnRateFast' | 'SLOBurnRateSlow';
  /** A Prometheus duration; for a period other than REFERENCE_PERIOD, scaled to it (e.g. `14m` for 7d). */
  readonly longWindow: string;
  readonly shortWindow: string;
  /** Burn rate (multiple of the sustainable rate) above which the tier fires. */
  readonly factor: number;
}

/** The period the tiers below are written for; other periods scale their windows (planBurnRateTiers). */
export const REFERENCE_PERIOD = '30d';

export const BURN_RATE_TIERS: readonly BurnRateTier[] = [
  // 2% of a 30d budget in 1 hour
  { alert: 'SLOBurnRateFast', longWindow: '1h', shortWindow: '5m', factor: 14.4 },
  // 5% of a 30d budget in 6 hours
  { alert: 'SLOBurnRateFast', longWindow: '6h', shortWindow: '30m', factor: 6 },
  // 10% of a 30d budget in 1 day
  { alert: 'SLOBurnRateSlow', longWindow: '1d', shortWindow: '2h', factor: 3 },
  // 10% of a 30d budget in 3 days
  { alert: 'SLOBurnRateSlow', longWindow: '3d', shortWindow: '6h', factor: 1 },
];

/**
 * The shortest window a scaled tier reads: the shortest the SLIs are recorded over at the reference (a rate needs
 * a few scrapes in its window). A scaled long window is at least twice its short window.
 */
export const MIN_SHORT_WINDOW = '5m';

/**
 * Share of the highest possible burn rate used instead of a factor the objective cannot reach: an error ratio
 * of 90% over both windows, i.e. a near-total outage.
 */
export const UNREACHABLE_FACTOR_REPLACEMENT = 0.9;

export interface PlannedTier extends BurnRateTier {
  /** The factor the period asks for (before any lowering for an unreachable one). */
  readonly requestedFactor: number;
  /** True when `factor` was lowered because the requested one cannot be reached. */
  readonly adjusted: boolean;
  /** Error-ratio threshold: factor × error budget. */
  readonly errorRatioThreshold: number;
}

export interface BurnRatePlan {
  readonly tiers: readonly PlannedTier[];
  /** What synth did instead of emitting an alert that can never fire, one sentence per adjusted tier. */
  readonly notes: readonly string[];
}

/**
 * A reference tier scaled to an SLO period, so that it spends the same share of the budget over its long window:
 * share = factor × long / REFERENCE_PERIOD (2 % for 14.4x over 1h of 30d). Both windows scale by
 * period / REFERENCE_PERIOD, rounded to whole minutes, the short one to at least MIN_SHORT_WINDOW and the long one
 * to at least twice the short one; the factor is then share × period / long, which is the reference factor unless
 * a window was held at its minimum. A 7d SLO pages at 14.4x over 14m/5m (2 % of its budget), not over 1h (8.6 %).
 */
export function scaleTierToPeriod(tier: BurnRateTier, period: string): BurnRateTier {
  const scale = durationSeconds(period) / durationSeconds(REFERENCE_PERIOD);
  const minutes = (seconds: number) => Math.round(seconds / 60) * 60;
  const short = Math.max(durationSeconds(MIN_SHORT_WINDOW), minutes(durationSeconds(tier.shortWindow) * scale));
  const long = Math.max(2 * short, minutes(durationSeconds(tier.longWindow) * scale));
  const share = (tier.factor * durationSeconds(tier.longWindow)) / durationSeconds(REFERENCE_PERIOD);
  return { alert: tier.alert, longWindow: formatDuration(long), shortWindow: formatDuration(short), factor: round((share * durationSeconds(period)) / long) };
}

/**
 * The tiers for one objective over one period (scaleTierToPeriod). An error ratio cannot exceed 1, so no burn
 * rate can exceed 1/(1 - objective): a factor at or above that (14.4x for a 95% SLO allows at most 20x, so it is
 * fine; for 90% at most 10x, so 14.4x is not) would be an alert that never fires. Such a factor is lowered to
 * UNREACHABLE_FACTOR_REPLACEMENT × the maximum, and the plan says so in `notes`.
 */
export function planBurnRateTiers(objectivePercent: number, where = 'this SLO', period: string = REFERENCE_PERIOD): BurnRatePlan {
  const budget = errorBudgetRatio(objectivePercent);
  const max = maxBurnRate(objectivePercent);
  const notes: string[] = [];
  const tiers = BURN_RATE_TIERS.map((reference): PlannedTier => {
    const tier = scaleTierToPeriod(reference, period);
    if (tier.factor < max) {
      return { ...tier, requestedFactor: tier.factor, adjusted: false, errorRatioThreshold: round(tier.factor * budget) };
    }
    const factor = round(UNREACHABLE_FACTOR_REPLACEMENT * max);
    notes.push(
      `${where} (objective ${objectivePercent}%): ${tier.alert} burn factor ${tier.factor}x over ${tier.longWindow}/${tier.shortWindow} ` +
        `can never be reached (a total outage burns at most 1/(1 - ${objectivePercent / 100}) = ${max}x); ` +
        `alerting at ${factor}x instead (an error ratio above ${UNREACHABLE_FACTOR_REPLACEMENT * 100}% over both windows).`,
    );
    return { ...tier, factor, requestedFactor: tier.factor, adjusted: true, errorRatioThreshold: round(factor * budget) };
  });
  return { tiers, notes };
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}
