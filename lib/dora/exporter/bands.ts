/**
 * DORA performance bands, per metric.
 *
 * Source: the software delivery performance clusters of the 2023 Accelerate State of DevOps Report
 * (DORA / Google Cloud, https://dora.dev/research/2023/dora-report/):
 *
 * | cluster | deployment frequency                 | lead time for changes        | change failure rate | recovery time              |
 * | elite   | on demand (multiple deploys a day)   | less than one day            | 5%                  | less than one hour         |
 * | high    | between once a day and once a week   | between one day and one week | 10%                 | less than one day          |
 * | medium  | between once a week and once a month | between one week and one month | 15%               | between one day and one week |
 * | low     | (slower than medium)                 | (slower than medium)         | 64%                 | between one month and six months |
 *
 * The report describes clusters, not cut-offs, so the boundaries below are read from it as follows:
 * "less than X" is strict; a value on an edge shared by two "between" ranges goes to the better band; the
 * change failure percentages are upper bounds of their band; a month is 30 days; anything worse than medium
 * is low. Deployment frequency is measured over 30 days, so "multiple deploys a day" means more than one a day.
 */
export type Band = 'elite' | 'high' | 'medium' | 'low';

/** Values of the `dora_performance_band` gauge. */
export const BAND_VALUE: Record<Band, number> = { elite: 4, high: 3, medium: 2, low: 1 };

const HOUR = 3600;
const DAY = 86400;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

/** Deploys per day. */
export function deploymentFrequencyBand(perDay: number): Band {
  if (perDay > 1) return 'elite';
  if (perDay >= 1 / 7) return 'high';
  if (perDay >= 1 / 30) return 'medium';
  return 'low';
}

/** Median lead time, seconds. */
export function leadTimeBand(seconds: number): Band {
  if (seconds < DAY) return 'elite';
  if (seconds <= WEEK) return 'high';
  if (seconds <= MONTH) return 'medium';
  return 'low';
}

/** Ratio 0..1. */
export function changeFailureRateBand(ratio: number): Band {
  if (ratio <= 0.05) return 'elite';
  if (ratio <= 0.1) return 'high';
  if (ratio <= 0.15) return 'medium';
  return 'low';
}

/** Median time to restore, seconds. */
export function timeToRestoreBand(seconds: number): Band {
  if (seconds < HOUR) return 'elite';
  if (seconds < DAY) return 'high';
  if (seconds <= WEEK) return 'medium';
  return 'low';
}
