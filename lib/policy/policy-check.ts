import { PlatformConfigError, throwConfigErrors } from '../config/errors';
import { Annotations, type Construct, type TerraformStack } from '../framework';
import { stackDocument } from './elements';
import { evaluatePolicy, PolicyViolationError } from './engine';
import { POLICY_RULES } from './rules';
import type { PolicyRule, PolicySuppression, StackDocument } from './types';

const SUPPRESSION_METADATA = 'lgtm:policy-suppression';

/** Shortest reason a suppression may give. */
export const MIN_SUPPRESSION_REASON = 20;

/**
 * Library-level suppression for users composing constructs themselves: the findings of `rule` for the Terraform
 * element `construct` synthesizes are accepted, for `reason` (printed by synth). Config users write
 * `policy.suppressions` instead.
 */
export function suppressPolicyRule(construct: Construct, rule: string, reason: string): void {
  if (!POLICY_RULES.some((r) => r.id === rule))
    throw new Error(`unknown policy rule ${JSON.stringify(rule)}; rules: ${POLICY_RULES.map((r) => r.id).join(', ')}`);
  if (reason.trim().length < MIN_SUPPRESSION_REASON)
    throw new Error(`a suppression of ${rule} needs a written reason of at least ${MIN_SUPPRESSION_REASON} characters`);
  construct.node.addMetadata(SUPPRESSION_METADATA, { rule, reason: reason.trim() });
}

/** A suppression as the config writes it. */
export interface ConfigSuppression {
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
}

export interface PolicyCheckOptions {
  /** `policy.suppressions` of the config. @default none */
  readonly suppressions?: readonly ConfigSuppression[];
  /** The config file, named when a suppression is wrong. @default '<inline config>' */
  readonly configFile?: string;
  /** The rules to run. @default POLICY_RULES */
  readonly rules?: readonly PolicyRule[];
}

/** The construct of each stack-relative path (`anvila-infra/host/instance`), and the stack itself. */
function constructsByPath(stacks: readonly TerraformStack[]): Map<string, Construct> {
  const byPath = new Map<string, Construct>();
  for (const stack of stacks)
    for (const construct of stack.node.findAll()) byPath.set(`${stack.node.id}${construct.node.path.slice(stack.node.path.length)}`, construct);
  return byPath;
}

function configSuppressions(documents: readonly StackDocument[], options: PolicyCheckOptions, rules: readonly PolicyRule[]): PolicySuppression[] {
  const file = options.configFile ?? '<inline config>';
  const paths = documents.flatMap((d) => d.elements.map((e) => e.path));
  const problems: PlatformConfigError[] = [];
  const suppressions = (options.suppressions ?? []).map((s, i) => {
    const at = `policy.suppressions[${i}]`;
    if (!rules.some((r) => r.id === s.rule))
      problems.push(
        new PlatformConfigError(file, `${at}.rule`, JSON.stringify(s.rule), `expected a policy rule id, one of: ${rules.map((r) => r.id).join(', ')}`),
      );
    const matches = paths.filter((p) => p === s.resource);
    if (matches.length !== 1) {
      const leaf = s.resource.split('/').pop() ?? '';
      const near = paths.filter((p) => leaf && p.includes(leaf)).slice(0, 3);
      problems.push(
        new PlatformConfigError(
          file,
          `${at}.resource`,
          JSON.stringify(s.resource),
          `expected the path of exactly one resource, as synth reports it (e.g. ${paths.find((p) => p.endsWith('/host/instance')) ?? paths[0]})` +
            (matches.length > 1 ? `; it names ${matches.length}` : '; it names none') +
            (near.length ? `; similar: ${near.join(', ')}` : ''),
        ),
      );
    }
    return { rule: s.rule, resource: s.resource, reason: s.reason, source: at };
  });
  throwConfigErrors(problems);
  return suppressions;
}

function constructSuppressions(byPath: Map<string, Construct>): PolicySuppression[] {
  const out: PolicySuppression[] = [];
  for (const [path, construct] of byPath)
    for (const entry of construct.node.metadata)
      if (entry.type === SUPPRESSION_METADATA) out.push({ rule: entry.data.rule, resource: path, reason: entry.data.reason, source: 'suppressPolicyRule' });
  return out;
}

/**
 * Checks the synthesized JSON of `stacks` against every policy rule. Throws PolicyViolationError listing every
 * violation, or one PlatformConfigError listing every suppression naming no rule or not exactly one resource. Suppressed
 * findings and stale suppressions become synth warnings on their resource.
 */
export function checkStacksPolicy(stacks: readonly TerraformStack[], options: PolicyCheckOptions = {}): void {
  const rules = options.rules ?? POLICY_RULES;
  const documents = stacks.map((stack) => stackDocument(stack.node.id, stack.toTerraform(), stack.node.path));
  const byPath = constructsByPath(stacks);
  const suppressions = [...constructSuppressions(byPath), ...configSuppressions(documents, options, rules)];
  const result = evaluatePolicy(documents, suppressions, rules);
  if (result.violations.length > 0) throw new PolicyViolationError(result.violations);
  const stackOf = (path: string) => byPath.get(path) ?? byPath.get(path.split('/')[0]) ?? stacks[0];
  const told = new Set<string>();
  for (const s of result.suppressed) {
    const key = `${s.rule} ${s.resource}`;
    if (told.has(key)) continue;
    told.add(key);
    Annotations.of(stackOf(s.resource)).addWarning(`policy rule ${s.rule} suppressed for ${s.resource} (${s.source}): ${s.reason}`);
  }
  for (const s of result.unused)
    Annotations.of(stackOf(s.resource)).addWarning(`policy suppression ${s.source} (${s.rule} for ${s.resource}) matched no finding; remove it`);
}

/**
 * Runs the policy check at synth, once, over all `stacks` together, before the first of them is written: a
 * violation fails `app.synth()` and no stack file exists. Call it after the stacks are built.
 */
export function addPolicyCheck(stacks: readonly TerraformStack[], options: PolicyCheckOptions = {}): void {
  let outcome: { error?: unknown } | undefined;
  const validate = (): string[] => {
    if (!outcome) {
      try {
        checkStacksPolicy(stacks, options);
        outcome = {};
      } catch (error) {
        outcome = { error };
      }
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what checkStacksPolicy threw, as it was
    if (outcome.error) throw outcome.error;
    return [];
  };
  for (const stack of stacks) stack.node.addValidation({ validate });
}
