#!/usr/bin/env node
'use strict';
/*
 * Runs a TypeScript entry point of this project (`node scripts/run-ts.cjs main.ts [args...]`) without
 * type-checking and without a per-file transform hook: the entry and the project files it imports are bundled
 * once by esbuild (npm packages stay external) and the bundle is reused until one of its own input files
 * changes. Type-checking lives in `npm run build` and `npm test`.
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const [entryArgument, ...args] = process.argv.slice(2);
if (!entryArgument) {
  process.stderr.write('usage: node scripts/run-ts.cjs <entry.ts> [args...]\n');
  process.exit(2);
}
const entry = path.resolve(entryArgument);
const cacheDir = path.join(root, 'node_modules', '.cache', 'lgtm-platform');
const bundle = path.join(cacheDir, `${path.relative(root, entry).replace(/[^A-Za-z0-9]+/g, '_')}.cjs`);
const inputsFile = `${bundle}.inputs.json`;

function digest(file) {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/** Whether the cached bundle was built from exactly the files as they are now. */
function bundleIsFresh() {
  try {
    const inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
    return fs.existsSync(bundle) && Object.entries(inputs).every(([file, hash]) => digest(path.join(root, file)) === hash);
  } catch {
    return false;
  }
}

function build() {
  const { buildSync } = require('esbuild');
  // Built in a folder of this process and renamed into place, so concurrent runs never read a half-written bundle.
  const staging = path.join(cacheDir, `build-${process.pid}`);
  fs.mkdirSync(staging, { recursive: true });
  const temporary = path.join(staging, path.basename(bundle));
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    outfile: temporary,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) inputs[input] = digest(path.join(root, input));
  fs.writeFileSync(path.join(staging, 'inputs.json'), JSON.stringify(inputs));
  fs.renameSync(`${temporary}.map`, `${bundle}.map`);
  fs.renameSync(temporary, bundle);
  fs.renameSync(path.join(staging, 'inputs.json'), inputsFile);
  fs.rmSync(staging, { recursive: true, force: true });
}

if (!bundleIsFresh()) {
  try {
    build();
  } catch (error) {
    // The Grafana provider binding is generated, not committed: a clone installed with --ignore-scripts lacks it.
    if (/lib\/generated\//.test(String(error && error.message))) process.stderr.write('The generated Grafana provider binding is missing: run `npm run get:grafana`.\n');
    throw error;
  }
}
process.setSourceMapsEnabled(true);
process.argv = [process.argv[0], entry, ...args];
require(bundle);
