import { ALERT_CATALOG, STATIC_ALERTS } from '../alerting/packs';
import { receiverNameProblems } from '../alerting/alertmanager-config';
import { platformRunbooks, runbookProblems, type RunbookSource } from '../alerting/runbooks';
import { PlatformInternalError, throwConfigErrors } from '../config/errors';
import { artifactChecksumProblems } from '../host/artifacts';
import type { PlatformModel } from '../model/compile';
import { checkAlertMetrics } from './alert-metrics';
import { customRuleProblems } from './custom-rules';

/**
 * Synth-time cross-checks the schema cannot make, run before any construct exists. The library's own tables
 * come first: a shipped alert reading an unknown metric, or a shipped runbook missing or malformed, is a
 * PlatformInternalError. Then every mistake of the user's input (their runbooks, custom rules, artifact pins,
 * receiver names) is thrown together as one PlatformConfigError naming file, path and fix. Rendering itself
 * refuses PromQL that does not parse (lib/promql/validate.ts), and the Grafana stack refuses dashboard queries
 * that do not parse or name unknown metrics (lib/grafana/dashboard-checks.ts).
 */
export function checkPlatform(model: PlatformModel, runbooks?: RunbookSource): void {
  const { config, configFile } = model;
  checkAlertMetrics(STATIC_ALERTS);
  const { files: runbookFiles, dirLabel } = platformRunbooks(runbooks);
  // A custom alert may keep its runbook in the same directory; it links it through its own runbookUrl.
  const ownRunbooks = config.rules.alerts.filter((alert) => runbookFiles.some((runbook) => runbook.file === `${alert.name}.md`));
  const runbookMistakes = runbookProblems([...ALERT_CATALOG, ...ownRunbooks], runbookFiles, dirLabel);
  if (!runbooks && runbookMistakes.length > 0)
    throw new PlatformInternalError(
      'runbooks/',
      runbookMistakes.map((problem) => problem.message),
    );
  throwConfigErrors([
    ...runbookMistakes,
    ...customRuleProblems(config, configFile),
    ...artifactChecksumProblems(config, configFile, model.artifacts.table),
    ...receiverNameProblems(config, configFile),
  ]);
}
