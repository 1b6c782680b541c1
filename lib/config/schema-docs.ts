import docs from './schema-docs.json';

/** What the schema's JSDoc says about one key: its description and its `@default`. */
export interface KeyDoc {
  readonly description?: string;
  readonly default?: string;
}

/** Key docs by path (`host.subnetId`, `services[].slos[].objective`). */
export type SchemaDocs = Record<string, KeyDoc>;

/**
 * The JSDoc of lib/config/schema.ts, extracted at build time by `npm run config-schema`
 * (scripts/schema-docs-extract.ts) into schema-docs.json; a test keeps it in sync with the source.
 */
export const SCHEMA_DOCS: Readonly<SchemaDocs> = docs;

type JsonSchema = { [key: string]: unknown; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[] };

/** Calls `visit` for every property of a JSON schema with its path in the SchemaDocs notation. */
export function forEachProperty(schema: JsonSchema, visit: (path: string, property: JsonSchema, required: boolean) => void, path = ''): void {
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const at = path ? `${path}.${key}` : key;
    visit(at, property, required.has(key));
    forEachProperty(property, visit, at);
  }
  if (schema.items) forEachProperty(schema.items, visit, `${path}[]`);
  for (const alternative of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) forEachProperty(alternative, visit, path);
}

/** The JSON schema with each key's description, so editors show it on hover. */
export function withDescriptions<T extends JsonSchema>(schema: T, keyDocs: Readonly<SchemaDocs> = SCHEMA_DOCS): T {
  const copy = structuredClone(schema);
  forEachProperty(copy, (path, property) => {
    const doc = keyDocs[path];
    if (doc?.description) property.description = doc.default ? `${doc.description} Default: ${doc.default}.` : doc.description;
  });
  return copy;
}

function typeOf(property: JsonSchema): string {
  if (Array.isArray(property.enum)) return property.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the schema's consts are strings, numbers or booleans
  if (property.const !== undefined) return `\`${String(property.const)}\``;
  const alternatives = property.anyOf ?? property.oneOf;
  if (alternatives) return alternatives.map(typeOf).join(' or ');
  if (property.type === 'array') return `list of ${property.items ? typeOf(property.items) : 'values'}`;
  if (property.type === 'object') {
    const values = property.additionalProperties as JsonSchema | undefined;
    return property.properties ? 'mapping' : values?.properties ? 'mapping of mappings' : 'mapping of strings';
  }
  return typeof property.type === 'string' ? property.type : 'value';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/configuration.md: every key of the description with its type, whether it is required, its default and what it does. */
export function renderConfigurationMarkdown(schema: JsonSchema, keyDocs: Readonly<SchemaDocs> = SCHEMA_DOCS): string {
  const rows: string[] = [];
  forEachProperty(schema, (path, property, required) => {
    const doc = keyDocs[path] ?? {};
    const fallback = property.default !== undefined ? JSON.stringify(property.default) : '';
    const defaultText = required ? 'required' : (doc.default ?? fallback);
    rows.push(`| \`${path}\` | ${cell(typeOf(property))} | ${cell(defaultText)} | ${cell(doc.description ?? '')} |`);
  });
  return [
    '# Platform description reference',
    '',
    'Generated from `lib/config/schema.ts` by `npm run config-schema`; do not edit. Every key of the platform',
    'description (`platform.yaml`, or `PlatformConfigInput` in code), its type, its default and what it does.',
    '`a[].b` is key `b` of every item of list `a`. A key marked required must be given when its parent is.',
    'A complete example is `config/platform.yaml`; `config/platform.schema.json` gives editors the same',
    'descriptions on hover.',
    '',
    '| key | type | default | description |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
