import type { DoraState } from '../history';
import { inWindow, median } from './window';

/**
 * Median time to restore (seconds) of the restores of a series that ended in the window. A restore belongs to
 * a change failure: from the failed deployment reaching production (or, with `timeToRestoreFrom:
 * incident_opened`, from an incident's opening) to the rollback/hotfix deploy reaching production or the
 * incident issue's close. Undefined when none ended.
 */
export function timeToRestoreMedian(state: DoraState, series: string, now: number, days: number): number | undefined {
  return median(state.restores.filter((r) => r.series === series && inWindow(r.restoredAt, now, days)).map((r) => r.seconds));
}
