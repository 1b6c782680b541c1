import { join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import type { ScenarioResult } from '../../gameday/runner';

export const ROOT = join(__dirname, '..', '..');
export const DEFAULT_CONFIG_FILE = join(ROOT, 'config', 'platform.yaml');
export const TWO_SERVICES_FILE = join(ROOT, '__tests__', 'fixtures', 'two-services.yaml');
export const loadConfig = (file: string): PlatformConfig => loadPlatformConfig(file);

/** Fails with every FAIL line, so a red test says which game day broke and how. */
export function expectAllPassed(results: readonly ScenarioResult[]): void {
  const failed = results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`);
  expect(failed).toEqual([]);
}
