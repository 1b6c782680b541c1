import type { DoraState } from '../history';
import { inWindow, median } from './window';

/**
 * Median lead time for changes (seconds) over every commit first shipped by the successful deploys of a series
 * in the window: from the commit's author date to the deploy reaching production (deployment confirmation when
 * GitHub has one, otherwise the run's completion). Undefined when nothing shipped in the window.
 */
export function leadTimeMedian(state: DoraState, series: string, now: number, days: number): number | undefined {
  const values = state.deploys
    .filter((d) => d.series === series && d.conclusion === 'success' && inWindow(d.deployedAt, now, days))
    .flatMap((d) => d.leadTimes);
  return median(values);
}
