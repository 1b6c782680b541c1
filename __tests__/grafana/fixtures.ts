import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { validatePlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { Testing } from '../../lib/framework';
import { GrafanaStack } from '../../lib/grafana/grafana-stack';

export const GRAFANA_URL = 'http://203.0.113.10:3000';

/** The default config, optionally edited in its raw YAML form before validation. */
export function grafanaTestConfig(edit?: (raw: any) => void): PlatformConfig {
  const raw: any = yaml.load(readFileSync(join(__dirname, '../../config/platform.yaml'), 'utf8'));
  edit?.(raw);
  return validatePlatformConfig(raw, 'test config');
}

/** The Grafana stack of a config, synthesized and parsed. */
export function synthGrafana(config: PlatformConfig = grafanaTestConfig()): { json: any; text: string } {
  const app = Testing.app();
  const stack = new GrafanaStack(app, `${config.name}-grafana`, { config, grafanaUrl: GRAFANA_URL });
  const text = Testing.synth(stack);
  return { json: JSON.parse(text), text };
}
