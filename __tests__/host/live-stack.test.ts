import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceSpecs, type ServiceSpec } from '../../lib/host/systemd-units';
import { PORTS } from '../../lib/host/ports';
import { PATHS } from '../../lib/host/paths';
import { testConfig } from './helpers/host-fixture';

/**
 * The rendered units' command lines, run with Debian's real binaries on 127.0.0.1 (free ports, temp paths).
 * Proves the flags the units pass are accepted, that each program reports ready, and that every scrape
 * target of the Prometheus config that exists in this test is up.
 */
const DEBIAN_BINARIES: Record<string, string> = {
  prometheus: '/usr/bin/prometheus',
  alertmanager: '/usr/bin/prometheus-alertmanager',
  node_exporter: '/usr/bin/prometheus-node-exporter',
  blackbox_exporter: '/usr/bin/prometheus-blackbox-exporter',
};
const UNDER_TEST = Object.keys(DEBIAN_BINARIES);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The Prometheus config under test. Issue 4 renders the real one (`renderPrometheusConfig(config)`); until it
 * lands this is the minimal config derived from PORTS that scrapes the four programs started here and probes
 * through the blackbox exporter. Switching is a one-line change: return the rendered config instead; the
 * port and path rewriting below applies to it unchanged, and targets outside this test (the app's
 * metricsTarget, Loki, Tempo, ...) are filtered out by `targetsInTest`.
 */
function prometheusConfigUnderTest(): string {
  const local = (port: number) => `'127.0.0.1:${port}'`;
  return `global:
  scrape_interval: 15s
  evaluation_interval: 15s
alerting:
  alertmanagers:
    - static_configs:
        - targets: [${local(PORTS.alertmanager)}]
rule_files:
  - ${PATHS.prometheusRulesDir}/*.yml
scrape_configs:
  - job_name: prometheus
    static_configs: [{ targets: [${local(PORTS.prometheus)}] }]
  - job_name: alertmanager
    static_configs: [{ targets: [${local(PORTS.alertmanager)}] }]
  - job_name: node
    static_configs: [{ targets: [${local(PORTS.nodeExporter)}] }]
  - job_name: blackbox_exporter
    static_configs: [{ targets: [${local(PORTS.blackboxExporter)}] }]
  - job_name: probe_prometheus
    metrics_path: /probe
    params: { module: [http_2xx] }
    static_configs: [{ targets: ['http://127.0.0.1:${PORTS.prometheus}/-/healthy'] }]
    relabel_configs:
      - { source_labels: [__address__], target_label: __param_target }
      - { source_labels: [__param_target], target_label: instance }
      - { target_label: __address__, replacement: ${local(PORTS.blackboxExporter)} }
`;
}

const ALERTMANAGER_YML = `route:
  receiver: 'null'
receivers:
  - name: 'null'
`;
const BLACKBOX_YML = `modules:
  http_2xx:
    prober: http
    timeout: 5s
`;

describe('live stack: Debian prometheus, alertmanager, node and blackbox exporters with the rendered units', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgtm-live-'));
  const children: ChildProcess[] = [];
  const logs: Record<string, string> = {};
  const port: Record<number, number> = {};
  const specs = serviceSpecs(testConfig()).filter((s) => UNDER_TEST.includes(s.unit));
  const url = (p: number, path: string) => `http://127.0.0.1:${port[p]}${path}`;

  /** Host paths and ports → test paths and free ports. */
  const rewrite = (text: string) =>
    text
      .replace(/127\.0\.0\.1:(\d+)/g, (m, p) => (port[Number(p)] ? `127.0.0.1:${port[Number(p)]}` : m))
      .replace(/\/var\/lib\/lgtm\//g, `${dir}/data/`)
      .replace(/(^|[\s='"])\/etc\//g, `$1${dir}/etc/`);

  /** A host path in the test directory. */
  const testPath = (hostPath: string) => rewrite(` ${hostPath}`).trim();

  const commandOf = (spec: ServiceSpec) => [DEBIAN_BINARIES[spec.unit], ...spec.exec.slice(1).map(rewrite)];

  beforeAll(async () => {
    for (const p of [PORTS.prometheus, PORTS.alertmanager, PORTS.nodeExporter, PORTS.blackboxExporter]) port[p] = await freePort();
    const files: Record<string, string> = {
      [PATHS.prometheusConfig]: prometheusConfigUnderTest(),
      [`${PATHS.prometheusRulesDir}/empty.yml`]: 'groups: []\n',
      [PATHS.alertmanagerConfig]: ALERTMANAGER_YML,
      [PATHS.blackboxConfig]: BLACKBOX_YML,
    };
    for (const [path, content] of Object.entries(files)) {
      const target = testPath(path);
      mkdirSync(join(target, '..'), { recursive: true });
      // Scrape every second so the test does not wait for the production interval.
      writeFileSync(target, rewrite(content).replace(/scrape_interval: \S+/g, 'scrape_interval: 1s'));
    }
    for (const spec of specs) {
      if (spec.dataDir) mkdirSync(testPath(spec.dataDir), { recursive: true });
      mkdirSync(testPath(PATHS.textfileDir), { recursive: true });
      const [bin, ...args] = commandOf(spec);
      const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      logs[spec.unit] = '';
      child.stdout!.on('data', (b) => (logs[spec.unit] += b));
      child.stderr!.on('data', (b) => (logs[spec.unit] += b));
      children.push(child);
    }
  }, 20000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.on('exit', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (error) {
        last = error;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what} (${String(last)})\n${Object.entries(logs).map(([k, v]) => `--- ${k}\n${v.slice(-2000)}`).join('\n')}`);
  }

  const ok = async (u: string) => ((await fetch(u, { signal: AbortSignal.timeout(2000) })).status === 200 ? true : undefined);

  test('the units bind only 127.0.0.1, so the rewritten commands do too', () => {
    for (const spec of specs) for (const arg of commandOf(spec)) expect(arg).not.toMatch(/0\.0\.0\.0|:\/\/[^1]/);
  });

  test('Prometheus, Alertmanager and the Blackbox Exporter report ready; the Node Exporter serves metrics', async () => {
    await waitFor('prometheus /-/ready', () => ok(url(PORTS.prometheus, '/-/ready')));
    await waitFor('alertmanager /-/ready', () => ok(url(PORTS.alertmanager, '/-/ready')));
    await waitFor('blackbox /-/healthy', () => ok(url(PORTS.blackboxExporter, '/-/healthy')));
    const metrics = await waitFor('node_exporter /metrics', async () => {
      const res = await fetch(url(PORTS.nodeExporter, '/metrics'), { signal: AbortSignal.timeout(2000) });
      return res.status === 200 ? res.text() : undefined;
    });
    expect(metrics).toContain('node_cpu_seconds_total');
    for (const child of children) expect(child.exitCode).toBeNull();
  }, 40000);

  test('Prometheus runs with the rendered retention flags and reloads through the lifecycle endpoint', async () => {
    const flags = (await (await fetch(url(PORTS.prometheus, '/api/v1/status/flags'))).json()) as { data: Record<string, string> };
    expect(flags.data['storage.tsdb.retention.time']).toBe('30d');
    expect(flags.data['storage.tsdb.retention.size']).toBe('25GiB');
    expect(flags.data['web.enable-lifecycle']).toBe('true');
    expect((await fetch(url(PORTS.prometheus, '/-/reload'), { method: 'POST' })).status).toBe(200);
  }, 20000);

  test('every scrape target that exists in this test is up, and Prometheus found Alertmanager', async () => {
    type Target = { labels: Record<string, string>; scrapeUrl: string; health: string; lastError: string };
    const inTest = (t: Target) => Object.values(port).some((p) => t.scrapeUrl.includes(`127.0.0.1:${p}/`));
    const targets = await waitFor('all targets up', async () => {
      const body = (await (await fetch(url(PORTS.prometheus, '/api/v1/targets?state=active'))).json()) as { data: { activeTargets: Target[] } };
      const active = body.data.activeTargets.filter(inTest);
      return active.length > 0 && active.every((t) => t.health === 'up') ? active : undefined;
    }, 45000);
    expect(targets.map((t) => t.labels.job).sort()).toEqual(['alertmanager', 'blackbox_exporter', 'node', 'probe_prometheus', 'prometheus']);
    const am = (await (await fetch(url(PORTS.prometheus, '/api/v1/alertmanagers'))).json()) as { data: { activeAlertmanagers: { url: string }[] } };
    expect(am.data.activeAlertmanagers.map((a) => a.url)).toEqual([`http://127.0.0.1:${port[PORTS.alertmanager]}/api/v2/alerts`]);
  }, 60000);
});
