import type { DoraState } from '../history';
import { inWindow } from './window';

/**
 * Change failure rate (0..1) of the deploys of a series in the window: failed runs plus successful deploys
 * later blamed by a rollback/hotfix deploy or an incident, over all deploy runs (successful and failed).
 * Undefined when there was no deploy in the window.
 */
export function changeFailureRate(state: DoraState, series: string, now: number, days: number): number | undefined {
  const deploys = state.deploys.filter((d) => d.series === series && inWindow(d.completedAt, now, days));
  if (deploys.length === 0) return undefined;
  return deploys.filter((d) => d.changeFailure).length / deploys.length;
}
