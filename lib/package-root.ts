import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of this package's package.json, found upward from this module, so files shipped beside the code
 * (runbooks, the DORA exporter's sources) are found whether the code runs from source or from a bundle.
 */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
