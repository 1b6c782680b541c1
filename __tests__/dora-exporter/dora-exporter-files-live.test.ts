import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config/loader';
import { renderHostFiles } from '../../lib/render-host-files';
import { PORTS } from '../../lib/contracts/ports';
import { bundleDoraExporter, DORA_CONFIG_FILE, DORA_PROGRAM_FILE, renderDoraExporterFiles } from '../../lib/dora/dora-exporter-files';
import { parseExporterConfig } from '../../lib/dora/exporter/config';
import { FakeGitHub } from '../../lib/dora/exporter/fake-github';
import { EXPECTED_LINES, writeKnownHistory } from './known-history';
import { announcedPort, waitFor } from '../../bench/processes';
import { compilePlatform } from '../../lib/model/compile';

const config = loadPlatformConfig('config/platform.yaml');

describe('renderDoraExporterFiles', () => {
  it('renders the exporter config from config.dora, and the bundled program', () => {
    const files = renderDoraExporterFiles(config);
    expect(files.map((f) => [f.path, f.mode])).toEqual([
      [DORA_CONFIG_FILE, '0644'],
      [DORA_PROGRAM_FILE, '0755'],
    ]);
    const exporterConfig = parseExporterConfig(JSON.parse(files[0].content));
    expect(exporterConfig).toEqual({
      apiUrl: 'https://api.github.com',
      tokenFile: '/run/credentials/dora-exporter.service/github-token',
      stateFile: '/var/lib/lgtm/dora-exporter/state.json',
      listen: { host: '127.0.0.1', port: PORTS.doraExporter },
      pollIntervalSeconds: 300,
      incidentLabel: 'incident',
      rollbackMarkers: ['revert', 'rollback', 'hotfix'],
      lookbackDays: 30,
      perPage: 100,
      timeToRestoreFrom: 'deployed',
      repositories: [{ repo: 'acme/anvila-api', deployWorkflow: 'deploy.yml', environment: 'production', branch: undefined, deployRef: undefined }],
    });
    // the config holds a path to the token, never a token
    expect(files[0].content).not.toMatch(/gh[pousr]_|github_pat_/);
  });

  it('is part of the host files only when dora is configured, and bundles once', () => {
    expect(renderHostFiles(compilePlatform(config), { grafanaUrl: 'http://grafana' }).map((f) => f.path)).toEqual(expect.arrayContaining([DORA_CONFIG_FILE, DORA_PROGRAM_FILE]));
    expect(renderDoraExporterFiles({ ...config, dora: undefined })).toEqual([]);
    expect(bundleDoraExporter()).toBe(bundleDoraExporter());
    expect(renderDoraExporterFiles(config)[1].content).toBe(bundleDoraExporter());
  });

  it('rejects an exporter config with a bad key, naming it', () => {
    const raw = JSON.parse(renderDoraExporterFiles(config)[0].content);
    expect(() => parseExporterConfig({ ...raw, repositories: [{ repo: 'no-slash', deployWorkflow: 'd.yml', environment: 'p' }] })).toThrow(
      'exporter config: repositories[0].repo: expected owner/name, found "no-slash"',
    );
    expect(() => parseExporterConfig({ ...raw, listen: { host: '127.0.0.1', port: 'x' } })).toThrow('listen.port');
    expect(() => parseExporterConfig({ ...raw, timeToRestoreFrom: 'deploy_started' })).toThrow(
      'exporter config: timeToRestoreFrom: expected one of deployed, incident_opened, found "deploy_started"',
    );
  });

  it('sends the token over https only: plain http is refused except to a loopback stand-in', () => {
    const raw = JSON.parse(renderDoraExporterFiles(config)[0].content);
    for (const apiUrl of ['http://github.example/api/v3', 'http://10.0.0.5', 'ftp://github.example'])
      expect(() => parseExporterConfig({ ...raw, apiUrl })).toThrow(
        `exporter config: apiUrl: expected an https:// URL (plain http only to a loopback address such as 127.0.0.1), found "${apiUrl}"`,
      );
    for (const apiUrl of ['https://github.example/api/v3', 'http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010'])
      expect(parseExporterConfig({ ...raw, apiUrl }).apiUrl).toBe(apiUrl);
  });

  it('renders deployRef and timeToRestoreFrom from config.dora', () => {
    const dora = { ...config.dora!, timeToRestoreFrom: 'incident_opened' as const, repositories: [{ ...config.dora!.repositories[0], deployRef: 'v*' }] };
    const exporterConfig = parseExporterConfig(JSON.parse(renderDoraExporterFiles({ ...config, dora })[0].content));
    expect(exporterConfig.timeToRestoreFrom).toBe('incident_opened');
    expect(exporterConfig.repositories[0].deployRef).toBe('v*');
  });
});

describe('the bundled exporter under node', () => {
  let github: FakeGitHub;
  let dir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    github = new FakeGitHub();
    await github.start();
    dir = mkdtempSync(join(tmpdir(), 'dora-bundle-'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await github.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs with only node, polls the API and serves /metrics and /healthz', async () => {
    // GIVEN the known history (relative to the real clock: the program reads real time) and the bundle
    // written out alone, far from node_modules
    const now = Date.now();
    writeKnownHistory(github, now);
    const program = join(dir, 'dora-exporter.js');
    writeFileSync(program, bundleDoraExporter());
    writeFileSync(join(dir, 'token'), 'test-token\n');
    const raw = JSON.parse(renderDoraExporterFiles(config)[0].content);
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        ...raw,
        apiUrl: github.url,
        tokenFile: join(dir, 'token'),
        stateFile: join(dir, 'state.json'),
        listen: { host: '127.0.0.1', port: 0 },
        perPage: 2,
        repositories: [{ repo: 'acme/api', deployWorkflow: 'deploy.yml', environment: 'production' }],
      }),
    );

    // WHEN it starts
    child = spawn(process.execPath, [program, '--config', join(dir, 'config.json')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const killer = setTimeout(() => child?.kill('SIGKILL'), 20_000);
    const port = await announcedPort(child).port;

    // THEN it serves the known history's exact values once its first poll is done
    const text = await waitFor(
      "the exporter's first successful poll",
      async () => {
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return metrics.includes('dora_exporter_polls_total{result="success"} 1') ? metrics : undefined;
      },
      10_000,
      100,
    );
    const lines = text.split('\n');
    expect(EXPECTED_LINES.filter((line) => !lines.includes(line))).toEqual([]);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);

    // AND it stops cleanly on SIGTERM
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    clearTimeout(killer);
  });
});
