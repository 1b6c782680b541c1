import type { AlertExprContext } from '../alerting/alert-definition';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { infoSeriesGroup } from '../promql/info-series';
import type { RuleGroup } from '../promql/rule-types';

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
  return infoSeriesGroup(
    'app-targets',
    APP_TARGET_EXPECTED_SERIES,
    appTargets.map((target) => ({ job: SCRAPE_JOBS.app, service: target.service, environment: target.environment })),
  );
}
