import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPolicyRulesMarkdown } from '../../lib/policy/docs';
import { POLICY_RULES } from '../../lib/policy/rules';

const ROOT = join(__dirname, '../..');

describe('GIVEN the policy rules table', () => {
  it('THEN docs/policy-rules.md is generated from it (run `npm run policy-docs` after changing a rule)', () => {
    expect(readFileSync(join(ROOT, 'docs/policy-rules.md'), 'utf8')).toBe(renderPolicyRulesMarkdown());
  });

  it('THEN ids are unique and every rule has a rationale and lives in its own file', () => {
    expect(new Set(POLICY_RULES.map((r) => r.id)).size).toBe(POLICY_RULES.length);
    for (const rule of POLICY_RULES) {
      expect(rule.id).toMatch(/^LGTM-[A-Z0-9]+(-[A-Z0-9]+)+$/);
      expect(rule.rationale.length).toBeGreaterThan(30);
    }
    const files = readdirSync(join(ROOT, 'lib/policy/rules')).filter((f) => f !== 'index.ts');
    expect(files).toHaveLength(POLICY_RULES.length);
  });

  it('THEN every rule has a violating and a complying test case', () => {
    const tests = readdirSync(__dirname)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(__dirname, f), 'utf8'))
      .join('\n');
    const missing = POLICY_RULES.filter((r) => !tests.includes(`rule: '${r.id}'`)).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it("THEN the README's short rule table names every rule, in the table's order", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `(LGTM-[A-Z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(POLICY_RULES.map((r) => r.id));
  });
});
