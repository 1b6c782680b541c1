import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../lib/package-root';
import { buildDoraExporterBundle, DORA_EXPORTER_BUNDLE_PATH, loadDoraExporterBundle } from '../../lib/dora/dora-exporter-bundle';

describe('the DORA exporter bundle', () => {
  let installed: string;

  beforeAll(() => {
    installed = mkdtempSync(join(tmpdir(), 'issue-16-installed-'));
  });
  afterAll(() => rmSync(installed, { recursive: true, force: true }));

  it('has the same bytes on every build, with no path of the machine that built it', () => {
    const first = buildDoraExporterBundle(PACKAGE_ROOT);
    expect(buildDoraExporterBundle(PACKAGE_ROOT)).toBe(first);
    expect(first).not.toContain(PACKAGE_ROOT);
    expect(first.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('is read from the shipped file in an installed package, which has no exporter sources', () => {
    // GIVEN a package root laid out as the tarball lays it out: package.json and dist/, no dora-exporter/*.ts
    writeFileSync(join(installed, 'package.json'), '{"name":"lgtm-platform"}');
    mkdirSync(join(installed, 'dist'));
    writeFileSync(join(installed, DORA_EXPORTER_BUNDLE_PATH), '#!/usr/bin/env node\n// shipped\n');
    // THEN the shipped bytes are the program, esbuild is never asked
    expect(loadDoraExporterBundle(installed)).toBe('#!/usr/bin/env node\n// shipped\n');
  });

  it('says what is missing when a package has neither the bundle nor the sources', () => {
    const empty = mkdtempSync(join(tmpdir(), 'issue-16-unbuilt-'));
    try {
      expect(() => loadDoraExporterBundle(empty)).toThrow(`the DORA exporter bundle ${join(empty, DORA_EXPORTER_BUNDLE_PATH)} is missing`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
