import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../lib/package-root';
import { withRenderedMixinTable } from '../lib/alerting/mixin-coverage';

/** `node scripts/run-ts.cjs scripts/host-alerts-doc.ts`: rewrites the mixin table of docs/host-alerts.md. */
const target = join(PACKAGE_ROOT, 'docs', 'host-alerts.md');
writeFileSync(target, withRenderedMixinTable(readFileSync(target, 'utf8')));
process.stdout.write(`wrote ${target}\n`);
