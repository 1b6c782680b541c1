import { applyIncidents, applyRuns, emptyState, hasRollbackMarker, prune, seriesKey, type ObservedRun } from '../../lib/dora/exporter/history';
import { median } from '../../lib/dora/exporter/metrics/window';
import { changeFailureRate, pipelineFailureRate } from '../../lib/dora/exporter/metrics/change-failure-rate';
import { timeToRestoreMedian } from '../../lib/dora/exporter/metrics/time-to-restore';

const labels = { repo: 'acme/api', workflow: 'deploy.yml', environment: 'production' };
const key = seriesKey(labels);

function observed(id: number, conclusion: 'success' | 'failure', completedAt: number, text = '', authored: number[] = [], sha = `s${id}`): ObservedRun {
  return {
    runKey: `${id}:1`,
    runId: id,
    sha,
    conclusion,
    createdAt: completedAt - 600,
    startedAt: completedAt - 600,
    completedAt,
    text,
    commits: authored.map((authoredAt, i) => ({ sha: `c${id}-${i}`, authoredAt })),
  };
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
    expect(state.series[key]).toMatchObject({ deployments: 1, failedDeployments: 1, changeFailures: 0 });
    expect(state.series[key].leadTime).toMatchObject({ count: 1, sum: 600 });
  });

  it('treats failed runs as pipeline failures: no change failure, no restore', () => {
    const state = emptyState();
    applyRuns(state, labels, [observed(1, 'success', 1000), observed(2, 'failure', 2000), observed(3, 'failure', 2500), observed(4, 'success', 5000)], []);
    expect(state.restores).toEqual([]);
    expect(changeFailureRate(state, key, 5000, 1)).toBe(0);
    expect(pipelineFailureRate(state, key, 5000, 1)).toBe(0.5);
  });

  it('blames a deploy once even when a rollback and an incident both point at it', () => {
    const state = emptyState();
    applyRuns(state, labels, [observed(1, 'success', 1000), observed(2, 'success', 2000, 'Rollback')], ['rollback']);
    applyIncidents(state, 'acme/api', key, [{ id: '5', createdAt: 1500, updatedAt: 1600, closedAt: 1900 }], 0);
    expect(state.series[key].changeFailures).toBe(1);
    // one restore per failed deployment: the rollback's (1000 -> 2000); the incident blamed an already failed deploy
    expect(timeToRestoreMedian(state, key, 2000, 1)).toBe(median([1000]));
    applyIncidents(state, 'acme/api', key, [{ id: '5', createdAt: 1500, updatedAt: 1700, closedAt: 1900 }], 0);
    expect(state.series[key].timeToRestore.count).toBe(1);
  });

  it('links an incident to the deploy whose commit SHA it names (7 to 40 hex digits, a whole word)', () => {
    const state = emptyState();
    const older = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const newer = '0f1e2d3c4b5a69788796a5b4c3d2e1f0aabbccdd';
    applyRuns(state, labels, [observed(1, 'success', 1000, '', [], older), observed(2, 'success', 2000, '', [], newer)], []);
    applyIncidents(state, 'acme/api', key, [{ id: '5', createdAt: 3000, updatedAt: 3000, text: 'Errors since A1B2C3D was deployed' }], 0);
    expect(state.deploys.map((d) => d.changeFailure)).toEqual([true, false]);
    expect(state.repos['acme/api'].incidents['5'].attribution).toBe('linked');
    // a longer hex word that merely contains a prefix does not link
    applyIncidents(state, 'acme/api', key, [{ id: '6', createdAt: 3000, updatedAt: 3000, text: 'trace 90f1e2d3c4b5a6' }], 0);
    expect(state.repos['acme/api'].incidents['6'].attribution).toBe('latest_deploy');
  });

  it('prunes old records but never the cumulative totals', () => {
    const state = emptyState();
    applyRuns(state, labels, [observed(1, 'success', 1000, '', [900]), observed(2, 'success', 900_000)], []);
    prune(state, 500_000);
    expect(state.deploys.map((d) => d.runKey)).toEqual(['2:1']);
    expect(Object.keys(state.cursors[key].processed)).toEqual(['2:1']);
    expect(state.cursors[key].shipped).toEqual({});
    expect(state.series[key].deployments).toBe(2);
  });
});
