import { parseArgs } from 'node:util';
import { PlatformConfigError } from '../lib/config/errors';
import { loadPlatformConfig } from '../lib/config/loader';
import { checkPlatform } from '../lib/checks/check-platform';
import { renderHostFiles } from '../lib/host-files';
import { sloBurnRateNotes } from '../lib/slo/burn-rate';
import { PromtoolMissingError } from '../gameday/promtool';
import { formatResult, runScenarios } from '../gameday/runner';
import { gamedayScenarios } from '../gameday/scenarios';

/**
 * `npm run gameday -- --config FILE [--scenario NAME]`: renders the rule files of FILE, runs every game-day
 * scenario of that config (or the one named, or those under a family prefix such as `slow-burn/`) with
 * `promtool test rules`, prints one line per scenario and exits 1 if any failed.
 */
function main(): void {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: process.env.PLATFORM_CONFIG ?? 'config/platform.yaml' },
      scenario: { type: 'string' },
      list: { type: 'boolean', default: false },
    },
  });
  const configFile = values.config!;
  try {
    const config = loadPlatformConfig(configFile);
    // the same checks as render and synth: a config they refuse has no game days either
    const grafanaUrl = config.alerting.grafanaBaseUrl ?? `http://GRAFANA_HOST:${config.host.grafanaPort}`;
    checkPlatform(config, configFile, renderHostFiles(config, { grafanaUrl }));
    for (const note of sloBurnRateNotes(config)) process.stderr.write(`note: ${note}\n`);
    const all = gamedayScenarios(config);
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
    const results = runScenarios(config, scenarios, { context: { grafanaUrl } });
    for (const result of results) process.stdout.write(`${formatResult(result)}\n`);
    const failed = results.filter((r) => !r.passed).length;
    process.stdout.write(`${results.length - failed} passed, ${failed} failed (${configFile})\n`);
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

main();
