import { join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import type { HostContext } from '../../lib/shared/host-file';
import { promqlMetricNames } from '../../lib/promql/expression-metrics';
import { isAlertingRule, type RuleFile } from '../../lib/promql/rule-types';
import { PROMTOOL_CONTEXT, runPromtoolTests as runPromtool, type PromtoolResult, type PromtoolTestCase } from '../../lib/gameday/promtool';

/** Test fixtures around lib/gameday/promtool.ts, where the promtool harness itself lives. */
export const CONTEXT: HostContext = PROMTOOL_CONTEXT;
export const DEFAULT_CONFIG: PlatformConfig = loadPlatformConfig(join(__dirname, '..', '..', 'config', 'platform.yaml'));

/** lib/gameday/promtool's runPromtoolTests with the default config unless another is given (`files`: instead of all its rule files). */
export function runPromtoolTests(
  tests: PromtoolTestCase[],
  options: { config?: PlatformConfig; files?: readonly RuleFile[]; keepAnnotations?: boolean; evaluationInterval?: string } = {},
): PromtoolResult {
  return runPromtool(tests, { ...options, config: options.config ?? DEFAULT_CONFIG, context: CONTEXT });
}

/** The alerts the burn-rate scenarios assert. */
export const BURN_RATE_ALERTS = ['SLOBurnRateFast', 'SLOBurnRateSlow'] as const;

/**
 * `alerts` and the recording rules they read, transitively, and nothing else. For scenarios that assert only these
 * alerts: the other rules (the static packs; the 7d, 30d and budget series, which read the whole history at every
 * evaluation) only slow each day-long evaluation down. Not for a test that expects other alerts to stay quiet:
 * an alert left out is quiet vacuously.
 */
export function rulesReadBy(files: readonly RuleFile[], alerts: readonly string[]): RuleFile[] {
  const rules = files.flatMap((file) => file.groups.flatMap((group) => group.rules));
  const nameOf = (rule: (typeof rules)[number]) => (isAlertingRule(rule) ? rule.alert : rule.record);
  const recorded = new Set(rules.filter((rule) => !isAlertingRule(rule)).map(nameOf));
  // what each rule name reads (a record may be defined once per SLO), parsed once
  const reads = new Map<string, Set<string>>();
  for (const rule of rules) reads.set(nameOf(rule), new Set([...(reads.get(nameOf(rule)) ?? []), ...promqlMetricNames(rule.expr)]));
  const needed = new Set<string>(alerts);
  const pending = [...alerts];
  for (let name = pending.pop(); name !== undefined; name = pending.pop())
    for (const metric of reads.get(name) ?? [])
      if (recorded.has(metric) && !needed.has(metric)) {
        needed.add(metric);
        pending.push(metric);
      }
  const kept = files
    .map((file) => ({
      ...file,
      groups: file.groups
        .map((group) => ({ ...group, rules: group.rules.filter((rule) => needed.has(nameOf(rule))) }))
        .filter((group) => group.rules.length > 0),
    }))
    .filter((file) => file.groups.length > 0);
  const missing = alerts.filter((alert) => !reads.has(alert));
  if (missing.length > 0) throw new Error(`not among the rendered rules: ${missing.join(', ')}`);
  return kept;
}
