import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the exporter bundle lives inside the package, relative to its root. `npm run build` writes it; an
 * installed package reads it, so every consumer embeds the same bytes whatever its `node_modules` layout.
 */
export const DORA_EXPORTER_BUNDLE_PATH = 'dist/dora-exporter.js';
/** The exporter's entry point; present only in a source checkout (the package ships the bundle instead). */
const DORA_EXPORTER_ENTRY = join('dora-exporter', 'main.ts');

/**
 * dora-exporter/main.ts and everything it imports (prom-client included) bundled by esbuild into one file for
 * Node 20. Paths inside the bundle are relative to `root`, so the bytes depend on the sources and the lockfile
 * only. esbuild is a build-time tool (a devDependency): it is loaded here, never by an installed package.
 */
export function buildDoraExporterBundle(root: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const result = buildSync({
    absWorkingDir: root,
    entryPoints: [DORA_EXPORTER_ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: false,
    write: false,
    legalComments: 'inline',
    banner: { js: '#!/usr/bin/env node\n// The LGTM platform DORA exporter, bundled from dora-exporter/ (see its README section). Do not edit.' },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/**
 * The exporter program for the host: bundled from the sources in a checkout (so tests and the bundled app see
 * every edit), read from the shipped bundle in an installed package.
 */
export function loadDoraExporterBundle(root: string): string {
  if (existsSync(join(root, DORA_EXPORTER_ENTRY))) return buildDoraExporterBundle(root);
  const shipped = join(root, DORA_EXPORTER_BUNDLE_PATH);
  if (!existsSync(shipped)) {
    throw new Error(
      `the DORA exporter bundle ${shipped} is missing and there are no sources (${DORA_EXPORTER_ENTRY}) to build it from: the package was not built with \`npm run build\``,
    );
  }
  return readFileSync(shipped, 'utf8');
}
