export { POLICY_RULES, policyRule } from './rules';
export { evaluatePolicy, formatViolation, PolicyViolationError, type PolicyResult } from './engine';
export { addPolicyCheck, checkStacksPolicy, suppressPolicyRule, MIN_SUPPRESSION_REASON, type PolicyCheckOptions, type ConfigSuppression } from './policy-check';
export { stackDocument } from './elements';
export { findSecrets, SECRET_PATTERNS, type SecretHit } from './secret-patterns';
export { RESOURCE_WILDCARD_ACTIONS } from './iam-statements';
export { AWS_MANAGED_POLICIES } from './aws-managed-policies';
export { renderPolicyRulesMarkdown } from './docs';
export type { PolicyRule, TerraformElement, StackDocument, Finding, Violation, PolicySuppression } from './types';
