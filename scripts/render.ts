import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPlatformConfig } from '../lib/config/loader';
import { PlatformConfigError, PlatformInternalError } from '../lib/config/errors';
import { renderHostFiles } from '../lib/render-host-files';
import { checkPlatform } from '../lib/checks/check-platform';
import { compilePlatform } from '../lib/model/compile';
import { renderAgentFiles } from '../lib/agent/agent-files';

/**
 * `npm run render -- --config FILE --out DIR [--grafana-url URL]`: writes every file the host receives under
 * DIR in the host's own layout (DIR/etc/prometheus/prometheus.yml, ...). Everything is rendered and checked in
 * memory first and written to a sibling temporary folder that replaces DIR at the end, so a failure leaves
 * no partial output. Environments with an agent get their app servers' files under DIR/agents/<service>-<env>/.
 */
function main(): void {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: process.env.PLATFORM_CONFIG ?? 'config/platform.yaml' },
      out: { type: 'string', default: 'render-out' },
      'grafana-url': { type: 'string' },
    },
  });
  const configFile = values.config;
  const outDir = resolve(values.out);
  try {
    const config = loadPlatformConfig(configFile);
    const grafanaUrl = values['grafana-url'] ?? config.alerting.grafanaBaseUrl ?? `http://GRAFANA_HOST:${config.host.grafanaPort}`;
    // The cross-checks first: they report every mistake of the description at once, a renderer only its own.
    const model = compilePlatform(config, { configFile });
    checkPlatform(model);
    const files = renderHostFiles(model, { grafanaUrl });
    mkdirSync(dirname(outDir), { recursive: true });
    const staging = mkdtempSync(`${outDir}.partial-`);
    const agentFiles = renderAgentFiles(compilePlatform(config));
    for (const file of [...files, ...agentFiles]) {
      const target = join(staging, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
      chmodSync(target, parseInt(file.mode ?? '0644', 8));
    }
    if (existsSync(outDir)) rmSync(outDir, { recursive: true, force: true });
    renameSync(staging, outDir);
    for (const note of model.burnRateNotes) process.stderr.write(`note: ${note}\n`);
    const agents = agentFiles.length ? ` and ${agentFiles.length} app server agent files` : '';
    process.stdout.write(`rendered ${files.length} host files${agents} into ${outDir}\n`);
  } catch (error) {
    if (error instanceof PlatformConfigError) {
      process.stderr.write(`Invalid platform config: ${error.message}\n`);
      process.exit(1);
    }
    if (error instanceof PlatformInternalError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

main();
