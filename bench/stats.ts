/** Summary of repeated measurements: every figure the benchmark reports is a median with its min and max. */
export interface Summary {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  /** How many measurements were summarized. */
  readonly runs: number;
}

/** Min, median (the mean of the middle two for an even count) and max of `values`. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize needs at least one value');
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`summarize got a value that is not a finite number: ${values.join(', ')}`);
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1], runs: sorted.length };
}

/** `median (min–max)` with `digits` decimals and a unit. */
export function formatSummary(summary: Summary, digits: number, unit = ''): string {
  const f = (v: number) => v.toFixed(digits);
  const suffix = unit ? ` ${unit}` : '';
  return summary.min === summary.max ? `${f(summary.median)}${suffix}` : `${f(summary.median)}${suffix} (${f(summary.min)}–${f(summary.max)})`;
}

/** Least-squares line `y = intercept + slope × x` through the points, and how well it fits (R²). */
export function linearFit(points: readonly (readonly [number, number])[]): { slope: number; intercept: number; r2: number } {
  if (points.length < 2) throw new Error('linearFit needs at least two points');
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const ssTot = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  const ssRes = points.reduce((s, [x, y]) => s + (y - (intercept + slope * x)) ** 2, 0);
  return { slope, intercept, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot };
}

/** How many runs each timing gets: BENCH_RUNS, at least 1, default 3. */
export function benchRuns(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BENCH_RUNS;
  if (raw === undefined || raw === '') return 3;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`BENCH_RUNS must be a whole number from 1 to 50, found ${JSON.stringify(raw)}`);
  return runs;
}
