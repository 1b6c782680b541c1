import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAgentFiles } from '../../lib/agent/agent-files';
import { renderHostFiles } from '../../lib/render-host-files';
import { TWO_SERVICES } from './fixtures';
import { compilePlatform } from '../../lib/model/compile';

const ROOT = join(__dirname, '..', '..');

describe('GIVEN the two-services example WHEN npm run render runs', () => {
  const base = mkdtempSync(join(tmpdir(), 'render-agents-'));
  const outDir = join(base, 'out');
  const result = spawnSync('node', ['scripts/run-ts.cjs', 'scripts/render.ts', '--config', '__tests__/fixtures/two-services.yaml', '--out', outDir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  test('THEN each app server environment gets its install script, collector config, units and SSM document for review', () => {
    expect(result.status).toBe(0);
    const files = renderAgentFiles(compilePlatform(TWO_SERVICES));
    const hostFiles = renderHostFiles(compilePlatform(TWO_SERVICES), { grafanaUrl: 'https://grafana.shop.example' });
    expect(result.stdout).toBe(`rendered ${hostFiles.length} host files and ${files.length} app server agent files into ${outDir}\n`);
    expect(files.map((f) => f.path).filter((p) => p.endsWith('ssm-document.json'))).toEqual([
      '/agents/checkout-production/ssm-document.json',
      '/agents/search-canary/ssm-document.json',
    ]);
    for (const file of files) expect(readFileSync(join(outDir, file.path), 'utf8')).toBe(file.content);
    expect(statSync(join(outDir, 'agents/checkout-production/usr/local/sbin/lgtm-agent-install')).mode & 0o777).toBe(0o755);
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        '/agents/search-canary/etc/lgtm-agent/otelcol.yml',
        '/agents/search-canary/etc/systemd/system/lgtm-agent-node-exporter.service',
        '/agents/search-canary/etc/systemd/system/lgtm-agent-otelcol.service',
      ]),
    );
  });
});
