import type { StackDocument, TerraformElement } from './types';

const NESTED_KINDS = ['resource', 'data', 'ephemeral'] as const;

/**
 * Every element of a synthesized stack. `pathPrefix` is the construct path of the stack itself (e.g.
 * `platform/anvila-infra`): it is replaced by the stack id, so paths read `anvila-infra/host/instance`.
 */
export function stackDocument(id: string, json: Record<string, any>, pathPrefix = id): StackDocument {
  const elements: TerraformElement[] = [];
  const pathOf = (attributes: Record<string, any>, fallback: string): string => {
    const path: unknown = attributes?.['//']?.metadata?.path;
    if (typeof path !== 'string') return `${id}/${fallback}`;
    return path === pathPrefix ? id : path.startsWith(`${pathPrefix}/`) ? `${id}/${path.slice(pathPrefix.length + 1)}` : `${id}/${path}`;
  };
  for (const kind of NESTED_KINDS) {
    for (const [type, byName] of Object.entries<Record<string, any>>(json[kind] ?? {})) {
      for (const [name, attributes] of Object.entries<Record<string, any>>(byName ?? {}))
        elements.push({ kind, type, name, path: pathOf(attributes, `${kind}.${type}.${name}`), attributes: attributes ?? {} });
    }
  }
  for (const [type, configs] of Object.entries<any>(json.provider ?? {})) {
    (Array.isArray(configs) ? configs : [configs]).forEach((attributes: Record<string, any>, index: number) =>
      elements.push({ kind: 'provider', type, name: String(index), path: `${id}/provider.${type}[${index}]`, attributes: attributes ?? {} }),
    );
  }
  for (const kind of ['output', 'variable'] as const) {
    for (const [name, attributes] of Object.entries<Record<string, any>>(json[kind] ?? {}))
      elements.push({ kind, type: '', name, path: pathOf(attributes, `${kind}.${name}`), attributes: attributes ?? {} });
  }
  if (json.locals) elements.push({ kind: 'locals', type: '', name: 'locals', path: `${id}/locals`, attributes: json.locals });
  if (json.terraform) elements.push({ kind: 'terraform', type: '', name: 'terraform', path: `${id}/terraform`, attributes: json.terraform });
  return { id, json, elements };
}

/** A nested block as a list: CDKTF writes single blocks as objects and repeated ones as lists. */
export function blocks(value: unknown): Record<string, any>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== null && typeof v === 'object');
}

/** A string or a list of strings as a list. */
export function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** True for a Terraform reference or expression (`${...}`) that only resolves at apply time. */
export function isReference(value: unknown): boolean {
  return typeof value === 'string' && /\$\{(?!\$)/.test(value.replace(/\$\$\{/g, ''));
}

/** The resources of one type in a stack. */
export function resourcesOf(stack: StackDocument, type: string): TerraformElement[] {
  return stack.elements.filter((e) => e.kind === 'resource' && e.type === type);
}

/**
 * Whether `value` (e.g. a versioning resource's `bucket`) points at `bucket`: a reference to its id, name or
 * ARN, or its literal name.
 */
export function refersTo(value: unknown, target: TerraformElement): boolean {
  if (typeof value !== 'string') return false;
  const reference = new RegExp(`^\\$\\{${target.type}\\.${escapeRegExp(target.name)}\\.(id|bucket|arn|name)\\}$`);
  if (reference.test(value)) return true;
  const literal = target.attributes.bucket ?? target.attributes.name;
  return typeof literal === 'string' && !isReference(literal) && literal === value;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Undoes CDKTF's escaping of literal template markers in strings (`$${` → `${`, `%%{` → `%{`). */
export function unescapeTemplate(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** Every string inside a value, with the attribute path it sits at (`user_data`, `tags.Name`, `statement[0].actions[1]`). */
export function stringsWithin(value: unknown, at = ''): { at: string; text: string }[] {
  if (typeof value === 'string') return [{ at, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsWithin(item, `${at}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .filter(([key]) => key !== '//')
      .flatMap(([key, item]) => stringsWithin(item, at ? `${at}.${key}` : key));
  return [];
}

/** A value quoted for a message. */
export function quote(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
