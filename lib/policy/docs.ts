import { POLICY_RULES } from './rules';
import type { PolicyRule } from './types';

/** The rules table in Markdown: what `docs/policy-rules.md` holds (a test keeps them in sync). */
export function renderPolicyRulesMarkdown(rules: readonly PolicyRule[] = POLICY_RULES): string {
  const ids = (list: readonly string[]) => (list.length ? list.map((id) => `\`${id}\``).join(', ') : '—');
  const rows = rules.map((r) => `| \`${r.id}\` | ${r.rationale.replace(/\|/g, '\\|')} | ${ids(r.checkov)} | ${ids(r.tfsec)} |`);
  return [
    '# Policy rules',
    '',
    'Every synthesized stack is checked against these rules at synth (`lib/policy/`); a violation fails synth with the',
    'rule id, the resource path and the fix, and nothing is written. Accept a finding for one resource only with',
    '`policy.suppressions: [{ rule, resource, reason }]` in the platform config (or `suppressPolicyRule(construct, rule, reason)`',
    'for a construct you add yourself); synth prints each suppression.',
    'Generated from `lib/policy/rules/index.ts`; `__tests__/policy/docs.test.ts` keeps it in sync.',
    '',
    '| id | rationale | checkov | tfsec |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
