import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing, TerraformStack } from '../../lib/framework';
import { addPolicyCheck, type PolicyCheckOptions } from '../../lib/policy/policy-check';
import { PolicyViolationError } from '../../lib/policy/engine';
import { policyRule } from '../../lib/policy/rules';
import type { PolicyRule } from '../../lib/policy/types';

/** Fix texts several test files expect, as users read them. */
export const IMDS_FIX = 'set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (MonitoringHost does)';
export const EBS_FIX = 'set encrypted = true on the volume (MonitoringHost encrypts its root and data volumes)';
export const WORLD_FIX =
  'allow only the networks that need it (host.grafanaAllowedCidrs, host.telemetrySourceCidrs); for Grafana on the internet set host.allowPublicGrafana: true';
export const SSH_FIX = 'remove the rule; reach the host with `aws ssm start-session --target <instance id>`';
export const SECRET_FIX =
  'store the value as an SSM SecureString and name the parameter in config (e.g. alerting.slack.webhookUrlParameter); rotate the exposed secret';

export const FOOTER =
  'To accept a finding for one resource, add { rule, resource, reason } to policy.suppressions in the platform config; for a construct you add yourself, call suppressPolicyRule(construct, rule, reason).';

/** The exact message of a failed policy check with these violation lines. */
export function policyMessage(lines: readonly string[]): string {
  return `Policy check failed with ${lines.length} violation${lines.length === 1 ? '' : 's'}:\n${lines.map((l) => `  ${l}`).join('\n')}\n${FOOTER}`;
}

/**
 * Builds a one-stack app named `test` (AWS provider included), checks it with `rules` at synth, and returns the
 * policy error's message, or undefined when synth passed.
 */
export function policyErrorOf(
  build: (stack: TerraformStack) => void,
  rules?: readonly (string | PolicyRule)[],
  options: PolicyCheckOptions = {},
): string | undefined {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  build(stack);
  addPolicyCheck([stack], { ...options, rules: rules?.map((r) => (typeof r === 'string' ? policyRule(r)! : r)) });
  try {
    app.synth();
  } catch (error) {
    if (error instanceof PolicyViolationError) return error.message;
    throw error;
  }
  return undefined;
}

/** One rule's case: a stack that violates it (with the exact violation lines) and one that complies. */
export interface RuleCase {
  readonly rule: string;
  readonly what: string;
  readonly bad: (stack: TerraformStack) => void;
  readonly lines: readonly string[];
  readonly good: (stack: TerraformStack) => void;
}

/** GIVEN each case: the violating stack fails synth with exactly its lines; the complying one passes. */
export function describeRuleCases(cases: readonly RuleCase[]): void {
  describe.each(cases.map((c) => [`${c.rule}: ${c.what}`, c] as const))('GIVEN %s', (_name, c) => {
    it('WHEN the stack violates it THEN synth fails with the rule id, the resource path and the fix', () => {
      expect(policyErrorOf(c.bad, [c.rule])).toBe(policyMessage(c.lines));
    });
    it('WHEN the stack complies THEN synth passes', () => {
      expect(policyErrorOf(c.good, [c.rule])).toBeUndefined();
    });
  });
}
