import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformJsonSchema } from '../lib/config/json-schema';
import { PACKAGE_ROOT } from '../lib/package-root';

/** `npm run config-schema`: rewrites config/platform.schema.json from the zod schema. */
const target = join(PACKAGE_ROOT, 'config', 'platform.schema.json');
writeFileSync(target, platformJsonSchema());
process.stdout.write(`wrote ${target}\n`);
