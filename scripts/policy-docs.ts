import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../lib/package-root';
import { renderPolicyRulesMarkdown } from '../lib/policy/docs';

/** `npm run policy-docs`: rewrites docs/policy-rules.md from the rules table. */
const target = join(PACKAGE_ROOT, 'docs', 'policy-rules.md');
writeFileSync(target, renderPolicyRulesMarkdown());
process.stdout.write(`wrote ${target}\n`);
