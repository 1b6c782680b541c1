import { AWS_MANAGED_POLICIES, managedPolicyName } from './aws-managed-policies';
import { blocks, quote, strings } from './elements';
import { parseJsonencode } from './hcl-literal';
import type { StackDocument, TerraformElement } from './types';
import { SESSION_MANAGER_CHANNEL_ACTIONS } from '../host/session-manager';

/** One IAM policy statement, whether written as an `aws_iam_policy_document` block, policy JSON or `jsonencode(...)`. */
export interface IamStatement {
  /** Where it sits in the element, for messages: `statement[2]`, `policy.Statement[0]`, `policy_arn (AdministratorAccess).Statement[0]`. */
  readonly at: string;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Principal identifiers; present only in resource-based policies (bucket, key, trust policies). */
  readonly principals: readonly string[];
  /** NotPrincipal identifiers: the statement applies to everyone else. */
  readonly notPrincipals: readonly string[];
  readonly conditions: readonly { test: string; variable: string; values: readonly string[] }[];
  /**
   * Set when the policy cannot be read (an expression, a managed policy outside AWS_MANAGED_POLICIES, a policy
   * ARN from elsewhere): what it is. Such a statement is treated as allowing everything.
   */
  readonly unknown?: string;
}

/** Resource attributes that hold an IAM permissions policy document as text. */
const POLICY_ATTRIBUTES = ['policy'];
/** `aws_iam_policy_document` arguments that merge other documents (text) into this one. */
const MERGED_DOCUMENTS = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'];
/** Resources that attach managed policies, and the attribute naming them. */
const ATTACHMENTS: Record<string, string> = {
  aws_iam_role_policy_attachment: 'policy_arn',
  aws_iam_user_policy_attachment: 'policy_arn',
  aws_iam_group_policy_attachment: 'policy_arn',
  aws_iam_policy_attachment: 'policy_arn',
  aws_iam_role_policy_attachments_exclusive: 'policy_arns',
  aws_iam_role: 'managed_policy_arns',
};
const DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.(json|minified_json)\}$/;

/**
 * The effective permission statements of an element: an `aws_iam_policy_document` data source (its blocks and
 * the documents it merges), a `policy` attribute given as JSON or `jsonencode(...)` (`aws_iam_policy`,
 * `aws_iam_role_policy`, `aws_s3_bucket_policy`, ...), an `aws_iam_role` inline policy, or the managed policies
 * an attachment names (AWS_MANAGED_POLICIES). A `policy` that references a policy document data source is that
 * data source's business and yields nothing here, so each statement is judged once; an attachment of a policy
 * defined in the same stack likewise. Anything else that cannot be read yields one `unknown` statement.
 */
export function iamStatements(element: TerraformElement, stack?: StackDocument): IamStatement[] {
  if (element.kind === 'data' && element.type === 'aws_iam_policy_document')
    return [
      ...blocks(element.attributes.statement).map((s, i) => fromDocumentBlock(s, `statement[${i}]`)),
      ...MERGED_DOCUMENTS.flatMap((key) =>
        strings(element.attributes[key]).flatMap((text, i) => fromPolicyText(text, Array.isArray(element.attributes[key]) ? `${key}[${i}]` : key)),
      ),
    ];
  if (element.kind !== 'resource') return [];
  const texts: { at: string; text: unknown }[] = POLICY_ATTRIBUTES.map((key) => ({ at: key, text: element.attributes[key] }));
  if (element.type === 'aws_iam_role')
    blocks(element.attributes.inline_policy).forEach((p, i) => texts.push({ at: `inline_policy[${i}].policy`, text: p.policy }));
  const attached = ATTACHMENTS[element.type];
  const arns = attached
    ? strings(element.attributes[attached]).map((arn, i) => ({ arn, at: Array.isArray(element.attributes[attached]) ? `${attached}[${i}]` : attached }))
    : [];
  return [...texts.flatMap(({ at, text }) => fromPolicyText(text, at)), ...arns.flatMap(({ arn, at }) => fromPolicyArn(arn, at, stack))];
}

/** The `aws_iam_policy_document` data source a policy attribute references (`${data.aws_iam_policy_document.x.json}`), if any. */
export function referencedDocument(text: unknown, stack: StackDocument): TerraformElement | undefined {
  const reference = typeof text === 'string' ? DOCUMENT_REFERENCE.exec(text.trim()) : null;
  return reference ? stack.elements.find((e) => e.kind === 'data' && e.type === 'aws_iam_policy_document' && e.name === reference[1]) : undefined;
}

/** The statements of a trust policy (`aws_iam_role.assume_role_policy`), resolving a policy document it references. */
export function trustStatements(role: TerraformElement, stack: StackDocument): IamStatement[] {
  if (role.kind !== 'resource' || role.type !== 'aws_iam_role') return [];
  const text = role.attributes.assume_role_policy;
  const source = referencedDocument(text, stack);
  if (source) return iamStatements(source, stack).map((s) => ({ ...s, at: `assume_role_policy -> ${source.path}.${s.at}` }));
  return fromPolicyText(text, 'assume_role_policy', true);
}

/** Statements of policy text: JSON, `${jsonencode(...)}`, a policy document reference (none here), or unknown. */
function fromPolicyText(text: unknown, at: string, resolveDocuments = false): IamStatement[] {
  if (typeof text !== 'string' || text.trim() === '') return [];
  if (!resolveDocuments && DOCUMENT_REFERENCE.test(text.trim())) return [];
  if (text.trim().startsWith('{')) {
    try {
      return fromDocument(JSON.parse(text), at);
    } catch {
      return [unknownStatement(at, 'policy text that is not valid JSON')];
    }
  }
  const encoded = parseJsonencode(text);
  if (encoded !== undefined) return fromDocument(encoded, at);
  return [unknownStatement(at, `the expression ${quote(text)}`)];
}

function fromPolicyArn(arn: string, at: string, stack: StackDocument | undefined): IamStatement[] {
  // A policy defined in this stack is judged where it is defined.
  if (/^\$\{aws_iam_policy\.[^.}]+\.(arn|id)\}$/.test(arn)) return [];
  const data = /^\$\{data\.aws_iam_policy\.([^.}]+)\.arn\}$/.exec(arn);
  const resolved = data ? stack?.elements.find((e) => e.kind === 'data' && e.type === 'aws_iam_policy' && e.name === data[1]) : undefined;
  const name = resolved
    ? (managedPolicyName(String(resolved.attributes.arn ?? '')) ?? (resolved.attributes.name as string | undefined))
    : managedPolicyName(arn);
  const statements = name ? AWS_MANAGED_POLICIES[name] : undefined;
  if (!statements)
    return [
      unknownStatement(
        at,
        name ? `the managed policy ${name}, which is not in the table of known AWS managed policies` : `the policy ${quote(arn)}, defined outside this stack`,
      ),
    ];
  return fromDocument({ Statement: statements }, `${at} (${name})`);
}

function unknownStatement(at: string, what: string): IamStatement {
  return {
    at,
    effect: 'Allow',
    actions: ['*'],
    notActions: [],
    resources: ['*'],
    notResources: [],
    principals: [],
    notPrincipals: [],
    conditions: [],
    unknown: what,
  };
}

function fromDocumentBlock(s: Record<string, any>, at: string): IamStatement {
  return {
    at,
    sid: s.sid,
    effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    notResources: strings(s.not_resources),
    principals: blocks(s.principals).flatMap((p) => strings(p.identifiers)),
    notPrincipals: blocks(s.not_principals).flatMap((p) => strings(p.identifiers)),
    conditions: blocks(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: strings(c.values) })),
  };
}

/** `"*"`, `{ AWS: "*" }`, `{ Service: [...] }`: the identifiers. */
function principalIdentifiers(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  if (principal && typeof principal === 'object') return Object.values(principal).flatMap(strings);
  return [];
}

function fromDocument(document: any, at: string): IamStatement[] {
  const statements = Array.isArray(document?.Statement) ? document.Statement : document?.Statement ? [document.Statement] : [];
  return statements.map((s: any, i: number): IamStatement => {
    const conditions = Object.entries<Record<string, unknown>>(s?.Condition ?? {}).flatMap(([test, byKey]) =>
      Object.entries(byKey ?? {}).map(([variable, values]) => ({ test, variable, values: strings(values) })),
    );
    return {
      at: `${at}.Statement[${i}]`,
      sid: s?.Sid,
      effect: s?.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: strings(s?.Action),
      notActions: strings(s?.NotAction),
      resources: strings(s?.Resource),
      notResources: strings(s?.NotResource),
      principals: principalIdentifiers(s?.Principal),
      notPrincipals: principalIdentifiers(s?.NotPrincipal),
      conditions,
    };
  });
}

/** How a statement is named in messages. */
export function statementName(statement: IamStatement): string {
  return statement.sid ? `${statement.at} (${statement.sid})` : statement.at;
}

/** The statements a rule judges by their content: the readable ones (unknown ones are reported once, as unknown). */
export function readableStatements(element: TerraformElement, stack?: StackDocument): IamStatement[] {
  return iamStatements(element, stack).filter((s) => !s.unknown);
}

/**
 * Actions that support no resource-level permissions, so their statements must use `Resource: "*"` (Service
 * Authorization Reference; the EC2 User Guide: an EC2 action without resource-level permissions must be granted
 * on `*`, which covers every `ec2:Describe*` action; the CloudWatch permissions reference: CloudWatch metric
 * actions take `*` as the resource; the Session Manager channel actions, `ssmmessages:*`, likewise). Patterns end in `*` to match a prefix. Keep this list small: an action
 * here may be granted on every resource.
 */
export const RESOURCE_WILDCARD_ACTIONS: readonly string[] = [
  'ec2:Describe*',
  ...SESSION_MANAGER_CHANNEL_ACTIONS,
  'cloudwatch:PutMetricData',
  'cloudwatch:GetMetricData',
  'cloudwatch:ListMetrics',
];

/** Whether an action (possibly itself a prefix pattern such as `ec2:Describe*`) is on the allowlist. */
export function needsResourceWildcard(action: string): boolean {
  const normalized = action.toLowerCase();
  return RESOURCE_WILDCARD_ACTIONS.some((allowed) => {
    const pattern = allowed.toLowerCase();
    return pattern.endsWith('*')
      ? normalized.startsWith(pattern.slice(0, -1)) && !normalized.slice(0, pattern.length - 1).includes('*')
      : normalized === pattern;
  });
}

/** `*`, `svc:*` or `*:*`: every action (of a service). */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action) || action === '*:*';
}

/** An action pattern such as `s3:Put*` or `iam:*Role?`: it grants every present and future action it matches. */
export function isActionPattern(action: string): boolean {
  return /[*?]/.test(action) && !isWildcardAction(action);
}

/**
 * Whether a resource ARN is a pattern over other accounts, regions, services or every resource of a kind:
 * `arn:aws:s3:::*`, `arn:aws:ssm:*:*:parameter/x`, `arn:aws:iam::123456789012:role/*`. A pattern under a named
 * resource (`arn:aws:s3:::bucket/*`, `${aws_s3_bucket.b.arn}/*`) is not. References count as named.
 */
export function isArnPattern(resource: string): boolean {
  const text = resource.replace(/\$\{[^}]*\}/g, 'ref');
  if (!text.startsWith('arn:')) return false;
  const [, partition, service, region, account, ...rest] = text.split(':');
  if ([partition, service, region, account].some((part) => part === undefined || /[*?]/.test(part))) return true;
  const resourcePart = rest.join(':');
  if (service === 's3') return /[*?]/.test(resourcePart.split('/')[0]);
  const typed = /^([A-Za-z0-9-]+)([/:])(.*)$/.exec(resourcePart);
  const id = typed ? typed[3] : resourcePart;
  return id === '' || /^[*?]/.test(id);
}
