import type { RuleGroup } from './rule-types';

/**
 * A rule group recording one constant series (value 1) per label set under `record`: what the platform knows from
 * its description (a service's routing labels, a configured target) made joinable in PromQL.
 */
export function infoSeriesGroup(name: string, record: string, labelSets: readonly Record<string, string>[]): RuleGroup {
  return { name, rules: labelSets.map((labels) => ({ record, expr: 'vector(1)', labels })) };
}
