import { ALERT_CATALOG, STATIC_ALERTS } from '../alerting/packs';
import { checkRunbooks, platformRunbooks, type RunbookSource } from '../alerting/runbooks';
import type { PlatformModel } from '../model/compile';
import { checkAlertMetrics } from './alert-metrics';
import { checkCustomRules } from './custom-rules';

/**
 * Synth-time cross-checks between the description, alerts, runbooks, dashboards and metrics. Each check is a
 * pure function that throws PlatformConfigError naming the file, the path and the fix. Rendering itself already
 * refuses PromQL that does not parse (lib/promql/validate.ts), and the Grafana stack refuses dashboard queries
 * that do not parse or name unknown metrics (lib/grafana/dashboard-checks.ts).
 */
export function checkPlatform(model: PlatformModel, runbooks?: RunbookSource): void {
  const { config, configFile } = model;
  const { files: runbookFiles, dirLabel } = platformRunbooks(runbooks);
  // A custom alert may keep its runbook in the same directory; it links it through its own runbookUrl.
  const ownRunbooks = config.rules.alerts.filter((alert) => runbookFiles.some((runbook) => runbook.file === `${alert.name}.md`));
  checkRunbooks([...ALERT_CATALOG, ...ownRunbooks], runbookFiles, dirLabel);
  checkAlertMetrics(STATIC_ALERTS);
  checkCustomRules(config, configFile);
}
