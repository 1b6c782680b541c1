/**
 * A cumulative histogram kept in the state file (bucket counts, sum, count), so histograms continue across
 * restarts instead of starting again from zero.
 */
export interface Tally {
  /** Count of observations <= each bound of DURATION_BUCKETS (cumulative, like Prometheus `le`). */
  buckets: number[];
  sum: number;
  count: number;
}

/** Seconds: 5 min, 15 min, 30 min, 1 h, 3 h, 6 h, 12 h, 1 d, 2 d, 3 d, 1 w, 2 w, 30 d. */
export const DURATION_BUCKETS: readonly number[] = [
  300, 900, 1800, 3600, 10800, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000,
];

export function emptyTally(): Tally {
  return { buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
}

export function observe(tally: Tally, value: number): void {
  DURATION_BUCKETS.forEach((bound, i) => {
    if (value <= bound) tally.buckets[i] += 1;
  });
  tally.sum += value;
  tally.count += 1;
}
