import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { validatePlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';

export const DEFAULT_CONFIG_FILE = join(__dirname, '../../config/platform.yaml');

/** The default config's raw YAML object, to derive variants from. */
export function defaultRawConfig(): any {
  return yaml.load(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
}

/** The default config, optionally changed by `edit` on its raw form before validation. */
export function platformConfig(edit?: (raw: any) => void): PlatformConfig {
  const raw = defaultRawConfig();
  edit?.(raw);
  return validatePlatformConfig(raw, 'test config');
}
