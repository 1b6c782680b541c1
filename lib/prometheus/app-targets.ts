import type { AlertExprContext } from '../alerting/alert-definition';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';
import type { RecordingRule, RuleGroup } from '../promql/rule-types';

/**
 * One series per configured app metrics target (value 1, labelled `job`, `service`, `environment`): what
 * AppTargetDown compares the scraped `up` series with, so a target gone from the loaded config still alerts.
 * Recorded, not spelled into the alert as one `absent()` per target: that expression grew with every target and
 * stopped parsing at a few hundred services.
 */
export const APP_TARGET_EXPECTED_SERIES = 'lgtm:app_target:expected';

/** The rule group recording APP_TARGET_EXPECTED_SERIES, or none when no service has a metrics target. */
export function appTargetsGroup(appTargets: AlertExprContext['appTargets']): RuleGroup | undefined {
  if (appTargets.length === 0) return undefined;
  const rules: RecordingRule[] = appTargets.map((target) => ({
    record: APP_TARGET_EXPECTED_SERIES,
    expr: 'vector(1)',
    labels: { job: SCRAPE_JOBS.app, service: target.service, environment: target.environment },
  }));
  return { name: 'app-targets', rules };
}
