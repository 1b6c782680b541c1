import type { DoraState } from '../history';
import { inWindow } from './window';

/**
 * Change failure rate (0..1): of the deployments of a series that reached production in the window (successful
 * deploy runs), the share later blamed by a rollback/hotfix deploy or an incident. Failed runs never reached
 * production and are not counted here (see pipelineFailureRate). Undefined when nothing was deployed.
 */
export function changeFailureRate(state: DoraState, series: string, now: number, days: number): number | undefined {
  const deployed = state.deploys.filter((d) => d.series === series && d.conclusion === 'success' && inWindow(d.deployedAt, now, days));
  if (deployed.length === 0) return undefined;
  return deployed.filter((d) => d.changeFailure).length / deployed.length;
}

/** Failed deploy runs over all deploy runs of a series in the window (0..1); undefined without runs. */
export function pipelineFailureRate(state: DoraState, series: string, now: number, days: number): number | undefined {
  const runs = state.deploys.filter((d) => d.series === series && inWindow(d.completedAt, now, days));
  if (runs.length === 0) return undefined;
  return runs.filter((d) => d.conclusion === 'failure').length / runs.length;
}

/**
 * Deployment rework rate (0..1): of the deployments in the window, the share that were unplanned fixes of
 * the deployment before them (a rollback or hotfix, found by the rollback markers). Undefined without deployments.
 */
export function reworkRate(state: DoraState, series: string, now: number, days: number): number | undefined {
  const deployed = state.deploys.filter((d) => d.series === series && d.conclusion === 'success' && inWindow(d.deployedAt, now, days));
  if (deployed.length === 0) return undefined;
  return deployed.filter((d) => d.rework).length / deployed.length;
}
