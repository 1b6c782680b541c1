import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { PlatformConfigError } from '../lib/config/errors';
import { validatePlatformConfig } from '../lib/config/loader';
import { addImportedSlos, importOpenSlo } from '../lib/slo/openslo';

/**
 * `npm run import-openslo -- <platform.yaml> <openslo.yaml>...`: prints the platform description with the SLOs of
 * the OpenSLO v1 files added to their services, after validating the result; writes nothing on any error.
 */
const [platformFile, ...sloFiles] = process.argv.slice(2);
if (!platformFile || sloFiles.length === 0) {
  process.stderr.write('usage: npm run import-openslo -- <platform.yaml> <openslo.yaml>...\n');
  process.exit(2);
}
try {
  const raw = yaml.load(readFileSync(platformFile, 'utf8'), { schema: yaml.CORE_SCHEMA }) as Parameters<typeof addImportedSlos>[0];
  for (const file of sloFiles) addImportedSlos(raw, importOpenSlo(readFileSync(file, 'utf8'), file), file);
  validatePlatformConfig(raw, platformFile);
  process.stdout.write(yaml.dump(raw, { lineWidth: -1, noRefs: true }));
} catch (error) {
  if (!(error instanceof PlatformConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
