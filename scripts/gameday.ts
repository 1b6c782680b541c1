import { parseArgs } from 'node:util';
import { PlatformConfigError } from '../lib/config/errors';
import { loadPlatformConfig } from '../lib/config/loader';
import { checkPlatform } from '../lib/checks/check-platform';
import { compilePlatform } from '../lib/model/compile';
import { PromtoolMissingError } from '../lib/gameday/promtool';
import { writeReport } from '../lib/gameday/report';
import { allGamedayScenarios } from '../lib/gameday/scenarios';
import { formatTable, runGameday } from '../lib/gameday/session';

/**
 * `npm run gameday -- --config FILE [--scenario NAME] [--list] [--report DIR]`: renders the rule files of FILE,
 * runs every game-day scenario of that config (or the one named, or those under a family prefix such as
 * `slow-burn/`) with `promtool test rules`, prints the result table (expected alerts, when each really fired
 * and resolved, PASS/FAIL), writes the HTML report to DIR/index.html (default gameday-report/) and exits 1 if
 * any scenario failed.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: process.env.PLATFORM_CONFIG ?? 'config/platform.yaml' },
      scenario: { type: 'string' },
      list: { type: 'boolean', default: false },
      report: { type: 'string', default: 'gameday-report' },
    },
  });
  const configFile = values.config;
  try {
    const config = loadPlatformConfig(configFile);
    // the same checks as render and synth: a config they refuse has no game days either
    const grafanaUrl = config.alerting.grafanaBaseUrl ?? `http://GRAFANA_HOST:${config.host.grafanaPort}`;
    const model = compilePlatform(config, { configFile });
    checkPlatform(model);
    for (const note of model.burnRateNotes) process.stderr.write(`note: ${note}\n`);
    const all = await allGamedayScenarios(config);
    const wanted = values.scenario;
    const scenarios = wanted ? all.filter((s) => s.name === wanted || s.name.startsWith(wanted.endsWith('/') ? wanted : `${wanted}/`)) : all;
    if (scenarios.length === 0) {
      process.stderr.write(`no scenario named ${wanted}; the scenarios of ${configFile} are:\n${all.map((s) => `  ${s.name}`).join('\n')}\n`);
      process.exit(2);
    }
    if (values.list) {
      for (const s of scenarios) process.stdout.write(`${s.name}: ${s.broken}\n`);
      return;
    }
    const rows = runGameday(config, scenarios, { context: { grafanaUrl } });
    process.stdout.write(formatTable(rows));
    const failed = rows.filter((r) => !r.result.passed).length;
    const report = writeReport(values.report, rows, { configFile, generatedAt: new Date() });
    process.stdout.write(`${rows.length - failed} passed, ${failed} failed (${configFile}); report: ${report}\n`);
    if (failed > 0) process.exit(1);
  } catch (error) {
    if (error instanceof PlatformConfigError) {
      process.stderr.write(`Invalid platform config: ${error.message}\n`);
      process.exit(1);
    }
    if (error instanceof PromtoolMissingError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
