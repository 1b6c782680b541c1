/**
 * `npm run build`: compiles the library to `dist/` (JavaScript + `.d.ts`, the generated Grafana binding
 * included) and bundles the DORA exporter once into `dist/dora-exporter.js`, so an installed package needs
 * neither TypeScript nor esbuild nor any install-time step. `npm run get:grafana` runs first (package.json).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../lib/package-root';
import { buildDoraExporterBundle, DORA_EXPORTER_BUNDLE_PATH } from '../lib/dora/dora-exporter-bundle';

const root = PACKAGE_ROOT;
// A stale file from an earlier layout would otherwise ship in the tarball.
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
const bundle = join(root, DORA_EXPORTER_BUNDLE_PATH);
writeFileSync(bundle, buildDoraExporterBundle(root));
chmodSync(bundle, 0o755);
console.log(`built ${join(root, 'dist')} and ${bundle}`);
