import type { DoraState } from '../history';
import { inWindow } from './window';

/** Successful deploys of a series per day over the `days` before `now` (epoch seconds). */
export function deploymentFrequency(state: DoraState, series: string, now: number, days: number): number {
  const count = state.deploys.filter((d) => d.series === series && d.conclusion === 'success' && inWindow(d.deployedAt, now, days)).length;
  return count / days;
}
