/**
 * The policy model, shaped after cdk-nag: every rule is a pure function over one element of a synthesized
 * Terraform JSON stack (a resource, data source, provider, output, ...), given the whole stack for rules that
 * must look across resources (a bucket's public access block, a bucket policy's document). It returns what it
 * found wrong and how to fix it, or nothing when the element complies.
 */

/** One block of a synthesized stack, as it appears in `cdk.tf.json`. */
export interface TerraformElement {
  /** `resource`, `data`, `provider`, `ephemeral`, `output`, `variable`, `locals`, `terraform`. */
  readonly kind: 'resource' | 'data' | 'provider' | 'ephemeral' | 'output' | 'variable' | 'locals' | 'terraform';
  /** Terraform type, e.g. `aws_instance`; the provider name for providers; '' for stack-level blocks. */
  readonly type: string;
  /** Logical name in the stack JSON, e.g. `host_instance_168AED24`. */
  readonly name: string;
  /**
   * Where users find it: `<stack id>/<construct path inside the stack>` (e.g. `anvila-infra/host/instance`),
   * or `<stack id>/<kind>.<type>.<name>` for blocks no construct owns. Suppressions name resources this way.
   */
  readonly path: string;
  /** Its attributes, exactly as synthesized (Terraform references stay `${...}` strings). */
  readonly attributes: Record<string, unknown>;
}

/** One synthesized stack. */
export interface StackDocument {
  /** Stack id, e.g. `anvila-infra`. */
  readonly id: string;
  /** The stack's Terraform JSON (`stack.toTerraform()` or a parsed `cdk.tf.json`). */
  readonly json: Record<string, any>;
  /** Every element of `json`. */
  readonly elements: readonly TerraformElement[];
}

/** What a rule found wrong with one element. */
export interface Finding {
  /** What was found, e.g. `metadata_options.http_tokens "optional"`. */
  readonly found: string;
  /** What to change, in the terms of our config or constructs. */
  readonly fix: string;
}

export interface PolicyRule {
  /** Stable id, `LGTM-<AREA>-<WHAT>`; suppressions and docs use it. */
  readonly id: string;
  /** One line: why the rule exists. */
  readonly rationale: string;
  /** Matching checkov check ids, where one exists. */
  readonly checkov: readonly string[];
  /** Matching tfsec check ids, where one exists. */
  readonly tfsec: readonly string[];
  /** The findings for one element; an empty list means compliant (or not applicable). */
  readonly check: (element: TerraformElement, stack: StackDocument) => Finding[];
}

/** A finding of one rule for one element, ready to report. */
export interface Violation extends Finding {
  readonly rule: string;
  /** `TerraformElement.path`. */
  readonly resource: string;
  /** Terraform type of the element. */
  readonly type: string;
}

/** An accepted finding: the rule does not apply to that one resource, for a written reason. */
export interface PolicySuppression {
  readonly rule: string;
  /** `TerraformElement.path` of exactly one element. */
  readonly resource: string;
  readonly reason: string;
  /** Where the suppression came from, for messages, e.g. `policy.suppressions[0]` or `host.allowPublicGrafana`. */
  readonly source: string;
}
