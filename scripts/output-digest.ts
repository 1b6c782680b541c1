import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { renderAgentFiles } from '../lib/agent/agent-files';
import { loadPlatformConfig } from '../lib/config/loader';
import { renderHostFiles } from '../lib/render-host-files';
import { ObservabilityPlatform } from '../lib/platform';

/**
 * `npm run output-digest [-- CONFIG...]`: one line `<config> <what> <sha256> <bytes>` per rendered host file,
 * app server agent file and synthesized stack of each config (by default the shipped one, the distributed
 * example and the two-services fixture). Run on two commits and diff the output: a refactoring that changes
 * no byte of what the platform deploys prints the same lines. Config paths are relative to the working directory
 * (npm runs scripts from the repository root) and are named as given, so two checkouts compare equal.
 */
const DEFAULT_CONFIGS = ['config/platform.yaml', 'examples/distributed.yaml', '__tests__/fixtures/two-services.yaml'];

const digest = (content: string | Buffer) => `${createHash('sha256').update(content).digest('hex')} ${Buffer.byteLength(content)}`;

function digestLines(configFile: string): string[] {
  const config = loadPlatformConfig(configFile);
  const grafanaUrl = config.alerting.grafanaBaseUrl ?? `http://GRAFANA_HOST:${config.host.grafanaPort}`;
  const lines = [
    ...renderHostFiles(config, { grafanaUrl }).map((file) => `${configFile} host:${file.path} ${file.mode ?? '-'} ${digest(file.content)}`),
    ...renderAgentFiles(config).map((file) => `${configFile} agent:${file.path} ${file.mode ?? '-'} ${digest(file.content)}`),
  ];
  const outdir = mkdtempSync(join(tmpdir(), 'lgtm-output-digest-'));
  try {
    const app = new App({ outdir });
    new ObservabilityPlatform(app, 'platform', { config, configFile });
    app.synth();
    const stacks = join(outdir, 'stacks');
    // cdktf's default local backend names the state file by its absolute path: the one byte that depends on the checkout.
    const portable = (json: string) => json.split(process.cwd()).join('<checkout>');
    for (const stack of readdirSync(stacks).sort()) lines.push(`${configFile} stack:${stack} ${digest(portable(readFileSync(join(stacks, stack, 'cdk.tf.json'), 'utf8')))}`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return lines;
}

const configs = process.argv.slice(2);
for (const configFile of configs.length > 0 ? configs : DEFAULT_CONFIGS) process.stdout.write(`${digestLines(configFile).join('\n')}\n`);
