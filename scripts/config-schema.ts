import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformJsonSchema, platformJsonSchemaObject } from '../lib/config/json-schema';
import { renderConfigurationMarkdown } from '../lib/config/schema-docs';
import { PACKAGE_ROOT } from '../lib/package-root';
import { extractSchemaDocs } from './schema-docs-extract';

/**
 * `npm run config-schema`: rewrites, from lib/config/schema.ts, lib/config/schema-docs.json (its JSDoc by key),
 * then config/platform.schema.json (with those descriptions) and docs/configuration.md.
 */
const write = (file: string, content: string) => {
  writeFileSync(file, content);
  process.stdout.write(`wrote ${file}\n`);
};
// The docs just extracted, not the copy of schema-docs.json this script was loaded with.
const keyDocs = extractSchemaDocs();
write(join(PACKAGE_ROOT, 'lib', 'config', 'schema-docs.json'), `${JSON.stringify(keyDocs, null, 2)}\n`);
write(join(PACKAGE_ROOT, 'config', 'platform.schema.json'), platformJsonSchema(keyDocs));
write(join(PACKAGE_ROOT, 'docs', 'configuration.md'), renderConfigurationMarkdown(platformJsonSchemaObject(keyDocs), keyDocs));
