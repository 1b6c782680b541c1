import { blocks, strings } from './elements';
import type { TerraformElement } from './types';
import { SESSION_MANAGER_CHANNEL_ACTIONS } from '../host/session-manager';

/** One IAM policy statement, whether written as an `aws_iam_policy_document` block or as policy JSON. */
export interface IamStatement {
  /** Where it sits in the element, for messages: `statement[2]` or `policy.Statement[0]`. */
  readonly at: string;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Principal identifiers; present only in resource-based policies (bucket, key, trust policies). */
  readonly principals: readonly string[];
  readonly conditions: readonly { test: string; variable: string; values: readonly string[] }[];
}

/** Resource attributes that hold an IAM policy document as JSON text. */
const POLICY_ATTRIBUTES = ['policy'];

/**
 * The statements of every policy an element defines: an `aws_iam_policy_document` data source, or a literal
 * JSON `policy` attribute (`aws_iam_policy`, `aws_iam_role_policy`, `aws_s3_bucket_policy`, ...) or an
 * `aws_iam_role` inline policy. A `policy` that references a policy document data source is that data
 * source's business and yields nothing here, so each statement is judged once.
 */
export function iamStatements(element: TerraformElement): IamStatement[] {
  if (element.kind === 'data' && element.type === 'aws_iam_policy_document')
    return blocks(element.attributes.statement).map((s, i) => fromDocumentBlock(s, `statement[${i}]`));
  if (element.kind !== 'resource') return [];
  const texts: { at: string; text: unknown }[] = POLICY_ATTRIBUTES.map((key) => ({ at: key, text: element.attributes[key] }));
  if (element.type === 'aws_iam_role')
    blocks(element.attributes.inline_policy).forEach((p, i) => texts.push({ at: `inline_policy[${i}].policy`, text: p.policy }));
  return texts.flatMap(({ at, text }) => fromJson(text, at));
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
    conditions: blocks(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: strings(c.values) })),
  };
}

function fromJson(text: unknown, at: string): IamStatement[] {
  if (typeof text !== 'string' || !text.trim().startsWith('{')) return [];
  let document: any;
  try {
    document = JSON.parse(text);
  } catch {
    return [];
  }
  const statements = Array.isArray(document?.Statement) ? document.Statement : document?.Statement ? [document.Statement] : [];
  return statements.map((s: any, i: number): IamStatement => {
    const principal = s.Principal === '*' ? ['*'] : s.Principal && typeof s.Principal === 'object' ? Object.values(s.Principal).flatMap(strings) : [];
    const conditions = Object.entries<Record<string, unknown>>(s.Condition ?? {}).flatMap(([test, byKey]) =>
      Object.entries(byKey ?? {}).map(([variable, values]) => ({ test, variable, values: strings(values) })),
    );
    return {
      at: `${at}.Statement[${i}]`,
      sid: s.Sid,
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: strings(s.Action),
      notActions: strings(s.NotAction),
      resources: strings(s.Resource),
      notResources: strings(s.NotResource),
      principals: principal,
      conditions,
    };
  });
}

/** How a statement is named in messages. */
export function statementName(statement: IamStatement): string {
  return statement.sid ? `${statement.at} (${statement.sid})` : statement.at;
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
    return pattern.endsWith('*') ? normalized.startsWith(pattern.slice(0, -1)) && !normalized.slice(0, pattern.length - 1).includes('*') : normalized === pattern;
  });
}

/** `*`, `svc:*` or `*:*`: every action (of a service). */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action) || action === '*:*';
}
