import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../lib/package-root';
import { renderAlertsDoc } from '../lib/alerting/alerts-doc';

/** `npm run alerts-doc`: rewrites docs/alerts.md from the alert packs. */
const target = join(PACKAGE_ROOT, 'docs', 'alerts.md');
writeFileSync(target, renderAlertsDoc());
process.stdout.write(`wrote ${target}\n`);
