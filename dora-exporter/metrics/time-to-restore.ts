import type { DoraState } from '../history';
import { inWindow, median } from './window';

/**
 * Median time to restore (seconds) of the restores of a series that ended in the window. A restore runs from
 * a failed deploy run to the next successful deploy, from a deploy blamed by a rollback/hotfix to that
 * rollback/hotfix deploy, or from an incident issue's opening to its close. Undefined when none ended.
 */
export function timeToRestoreMedian(state: DoraState, series: string, now: number, days: number): number | undefined {
  return median(state.restores.filter((r) => r.series === series && inWindow(r.restoredAt, now, days)).map((r) => r.seconds));
}
