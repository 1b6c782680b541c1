import { ALERT_CATALOG } from '../alerting/catalog';
import { receiverNameProblems } from '../alerting/alertmanager-config';
import { platformRunbooks, runbookProblems, type RunbookSource } from '../alerting/runbooks';
import { PlatformInternalError, throwConfigErrors } from '../config/errors';
import type { PlatformConfig } from '../config/schema';
import type { HostFile } from '../shared/host-file';
import { artifactChecksumProblems } from '../host/artifacts';
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
export function checkPlatform(config: PlatformConfig, file: string, files: readonly HostFile[], runbooks?: RunbookSource): void {
  void files;
  checkAlertMetrics(ALERT_CATALOG);
  const { files: runbookFiles, dirLabel } = platformRunbooks(runbooks);
  // A custom alert may keep its runbook in the same directory; it links it through its own runbookUrl.
  const ownRunbooks = config.rules.alerts.filter((alert) => runbookFiles.some((runbook) => runbook.file === `${alert.name}.md`));
  const runbookMistakes = runbookProblems([...ALERT_CATALOG, ...ownRunbooks], runbookFiles, dirLabel);
  if (!runbooks && runbookMistakes.length > 0)
    throw new PlatformInternalError(
      'runbooks/',
      runbookMistakes.map((problem) => problem.message),
    );
  throwConfigErrors([...runbookMistakes, ...customRuleProblems(config, file), ...artifactChecksumProblems(config, file), ...receiverNameProblems(config, file)]);
}
