import { SCRAPE_JOBS } from './scrape-jobs';

/** PromQL matchers that both the alert packs and the dashboards use, so the two always select the same series. */

/** `job="<name>"`. */
export function jobMatcher(job: string): string {
  return `job="${job}"`;
}

/** The node exporter on the monitoring host itself (app servers' node exporters also carry `job="node"`). */
export function monitoringHostSelector(instance: string): string {
  return `${jobMatcher(SCRAPE_JOBS.node)},instance="${instance}"`;
}
