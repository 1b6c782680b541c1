import { z } from 'zod';
import { platformSchema } from './schema';
import { SCHEMA_DOCS, withDescriptions, type SchemaDocs } from './schema-docs';

/**
 * The platform description's JSON Schema (draft 2020-12), derived from the zod schema, for editors: with the
 * YAML language server, `# yaml-language-server: $schema=./platform.schema.json` completes and checks keys.
 * Cross-field rules (unique names, latency thresholds on bucket boundaries, secrets as parameter names) are
 * enforced only by the loader.
 */
export function platformJsonSchema(keyDocs: Readonly<SchemaDocs> = SCHEMA_DOCS): string {
  return `${JSON.stringify(platformJsonSchemaObject(keyDocs), null, 2)}\n`;
}

/** The JSON Schema as an object, each key described from the schema's JSDoc (lib/config/schema-docs.ts). */
export function platformJsonSchemaObject(keyDocs: Readonly<SchemaDocs> = SCHEMA_DOCS): Record<string, unknown> {
  const schema = z.toJSONSchema(platformSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return withDescriptions({ ...schema, title: 'LGTM platform description' }, keyDocs);
}
