import { z } from 'zod';
import { platformSchema } from './schema';

/**
 * The platform description's JSON Schema (draft 2020-12), derived from the zod schema, for editors: with the
 * YAML language server, `# yaml-language-server: $schema=./platform.schema.json` completes and checks keys.
 * Cross-field rules (unique names, latency thresholds on bucket boundaries, secrets as parameter names) are
 * enforced only by the loader.
 */
export function platformJsonSchema(): string {
  const schema = z.toJSONSchema(platformSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'LGTM platform description' }, null, 2)}\n`;
}
