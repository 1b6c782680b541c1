import { join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import type { ScenarioResult } from '../../lib/gameday/runner';
import { promtoolRuleFiles } from '../../lib/gameday/promtool';
import { isAlertingRule, type RuleFile } from '../../lib/promql/rule-types';

export const ROOT = join(__dirname, '..', '..');
export const DEFAULT_CONFIG_FILE = join(ROOT, 'config', 'platform.yaml');
export const TWO_SERVICES_FILE = join(ROOT, '__tests__', 'fixtures', 'two-services.yaml');
export const loadConfig = (file: string): PlatformConfig => loadPlatformConfig(file);

/** Fails with every FAIL line, so a red test says which game day broke and how. */
export function expectAllPassed(results: readonly ScenarioResult[]): void {
  const failed = results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`);
  expect(failed).toEqual([]);
}

/** The rule files of `config` with one alert's expression rewritten: a planted regression. */
export function withAlertExpr(config: PlatformConfig, alertname: string, rewrite: (expr: string) => string): RuleFile[] {
  const files = promtoolRuleFiles(config).map((file) => ({
    ...file,
    groups: file.groups.map((group) => ({
      ...group,
      rules: group.rules.map((rule) => (isAlertingRule(rule) && rule.alert === alertname ? { ...rule, expr: rewrite(rule.expr) } : rule)),
    })),
  }));
  if (JSON.stringify(files) === JSON.stringify(promtoolRuleFiles(config))) throw new Error(`the rewrite changed no expression of ${alertname}`);
  return files;
}
