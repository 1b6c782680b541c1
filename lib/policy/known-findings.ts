import type { Construct } from '../framework';
import { suppressPolicyRule } from './policy-check';

/**
 * The platform's own findings that are accepted for now, each with the reason synth prints. They stay visible
 * as synth warnings until the construct stops producing them; then the suppression reports itself as stale.
 */
export const SESSION_MANAGER_CORE_REASON =
  'AWS managed AmazonSSMManagedInstanceCore grants ssm:GetParameter(s) and the SSM agent actions on "*"; accepted until a custom Session Manager policy replaces it';
export const ACCOUNT_KEY_PATTERN_REASON =
  "kms:Decrypt on key/* of this account and region, limited by kms:ViaService and the parameters' encryption context; accepted until the parameters use a key of their own";

export function acceptSessionManagerCore(attachment: Construct): void {
  for (const rule of ['LGTM-IAM-NO-WILDCARD-RESOURCES', 'LGTM-IAM-SSM-PARAMETERS-SCOPED']) suppressPolicyRule(attachment, rule, SESSION_MANAGER_CORE_REASON);
}

/** The host's `kms:Decrypt` on every key of its account and region (narrowed by conditions to SSM and the named parameters). */
export function acceptAccountKeyPattern(document: Construct): void {
  suppressPolicyRule(document, 'LGTM-IAM-NO-WILDCARD-RESOURCES', ACCOUNT_KEY_PATTERN_REASON);
}
