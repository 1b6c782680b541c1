/** The gauge windows, in days, and the `window` label value of each. */
export const WINDOWS = [
  { label: '7d', days: 7 },
  { label: '30d', days: 30 },
] as const;

export type WindowLabel = (typeof WINDOWS)[number]['label'];

/** True when `time` (epoch seconds) lies in the `days` before `now`: (now - days, now]. */
export function inWindow(time: number, now: number, days: number): boolean {
  return time > now - days * 86400 && time <= now;
}

/** Median of a list (mean of the two middle values for an even count); undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
