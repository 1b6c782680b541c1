import { POLICY_RULES } from './rules';
import type { PolicyRule, PolicySuppression, StackDocument, Violation } from './types';

export interface PolicyResult {
  /** Findings nobody suppressed: synth fails on any. */
  readonly violations: readonly Violation[];
  /** Findings a suppression accepted, with its reason. */
  readonly suppressed: readonly (Violation & { readonly reason: string; readonly source: string })[];
  /** Suppressions that matched no finding (stale: the resource complies now). */
  readonly unused: readonly PolicySuppression[];
}

/**
 * Runs every rule over every element of every stack. Pure: the same stacks and suppressions give the same
 * result. A suppression accepts the findings of one rule for one resource (matched by path, exactly).
 */
export function evaluatePolicy(
  stacks: readonly StackDocument[],
  suppressions: readonly PolicySuppression[] = [],
  rules: readonly PolicyRule[] = POLICY_RULES,
): PolicyResult {
  const violations: Violation[] = [];
  const suppressed: (Violation & { reason: string; source: string })[] = [];
  const used = new Set<PolicySuppression>();
  for (const stack of stacks)
    for (const element of stack.elements)
      for (const rule of rules)
        for (const finding of rule.check(element, stack)) {
          const violation: Violation = { rule: rule.id, resource: element.path, type: element.type || element.kind, ...finding };
          const accepted = suppressions.find((s) => s.rule === rule.id && s.resource === element.path);
          if (accepted) {
            used.add(accepted);
            suppressed.push({ ...violation, reason: accepted.reason, source: accepted.source });
          } else violations.push(violation);
        }
  return { violations, suppressed, unused: suppressions.filter((s) => !used.has(s)) };
}

/** One line per violation: rule id, resource path, what was found, the fix. */
export function formatViolation(v: Violation): string {
  return `[${v.rule}] ${v.resource} (${v.type}): found ${v.found}; fix: ${v.fix}`;
}

/** Synth-time failure listing every violation of the synth together. Nothing is written. */
export class PolicyViolationError extends Error {
  constructor(readonly violations: readonly Violation[]) {
    super(
      `Policy check failed with ${violations.length} violation${violations.length === 1 ? '' : 's'}:\n` +
        violations.map((v) => `  ${formatViolation(v)}`).join('\n') +
        '\nTo accept a finding for one resource, add { rule, resource, reason } to policy.suppressions in the platform config; for a construct you add yourself, call suppressPolicyRule(construct, rule, reason).',
    );
    this.name = 'PolicyViolationError';
  }
}
