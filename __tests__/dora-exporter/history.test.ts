import { applyIncidents, applyRuns, emptyState, hasRollbackMarker, prune, seriesKey, type ObservedRun } from '../../dora-exporter/history';
import { median } from '../../dora-exporter/metrics/window';
import { changeFailureRate } from '../../dora-exporter/metrics/change-failure-rate';
import { timeToRestoreMedian } from '../../dora-exporter/metrics/time-to-restore';

const labels = { repo: 'acme/api', workflow: 'deploy.yml', environment: 'production' };
const key = seriesKey(labels);

function observed(id: number, conclusion: 'success' | 'failure', completedAt: number, text = '', commitTimes: number[] = []): ObservedRun {
  return { runKey: `${id}:1`, sha: `s${id}`, conclusion, createdAt: completedAt - 600, startedAt: completedAt - 600, completedAt, text, commitTimes };
}

describe('history model', () => {
  it('finds rollback markers as whole words, case-insensitively', () => {
    expect(hasRollbackMarker('Revert "feat: x"', ['revert'])).toBe(true);
    expect(hasRollbackMarker('HOTFIX: null check', ['hotfix'])).toBe(true);
    expect(hasRollbackMarker('deploy\nrollback to v1.2', ['rollback'])).toBe(true);
    expect(hasRollbackMarker('irreversible migration', ['revert', 'rollback'])).toBe(false);
    expect(hasRollbackMarker('hotfixes docs', ['hotfix'])).toBe(false);
  });

  it('counts a run attempt once, however often it is applied', () => {
    const state = emptyState();
    const runs = [observed(1, 'success', 1000, '', [400]), observed(2, 'failure', 2000)];
    applyRuns(state, labels, runs, []);
    applyRuns(state, labels, runs, []);
    expect(state.series[key]).toMatchObject({ deployments: 1, failedDeployments: 1, changeFailures: 1 });
    expect(state.series[key].leadTime).toMatchObject({ count: 1, sum: 600 });
  });

  it('measures a failure streak from its first failed run to the next success', () => {
    const state = emptyState();
    applyRuns(state, labels, [observed(1, 'success', 1000), observed(2, 'failure', 2000), observed(3, 'failure', 2500), observed(4, 'success', 5000)], []);
    expect(state.restores).toEqual([{ series: key, restoredAt: 5000, seconds: 3000 }]);
    expect(changeFailureRate(state, key, 5000, 1)).toBe(0.5);
  });

  it('blames a deploy once even when a rollback and an incident both point at it', () => {
    const state = emptyState();
    applyRuns(state, labels, [observed(1, 'success', 1000), observed(2, 'success', 2000, 'Rollback')], ['rollback']);
    applyIncidents(state, 'acme/api', key, [{ id: '5', createdAt: 1500, updatedAt: 1600, closedAt: 1900 }], 0);
    expect(state.series[key].changeFailures).toBe(1);
    expect(timeToRestoreMedian(state, key, 2000, 1)).toBe(median([1000, 400]));
    // an incident seen again after its close is not observed twice
    applyIncidents(state, 'acme/api', key, [{ id: '5', createdAt: 1500, updatedAt: 1700, closedAt: 1900 }], 0);
    expect(state.series[key].timeToRestore.count).toBe(2);
  });

  it('prunes old records but never the cumulative totals', () => {
    const state = emptyState();
    applyRuns(state, labels, [observed(1, 'success', 1000), observed(2, 'success', 900_000)], []);
    prune(state, 500_000);
    expect(state.deploys.map((d) => d.runKey)).toEqual(['2:1']);
    expect(Object.keys(state.cursors[key].processed)).toEqual(['2:1']);
    expect(state.series[key].deployments).toBe(2);
  });
});
