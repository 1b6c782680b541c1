import { readsOnlyHostOnlyMetrics } from '../helpers/host-only-metrics';
import { promqlMetricNames } from '../../lib/promql/expression-metrics';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { alertmanagerSecretFiles } from '../../lib/alerting/secret-files';
import { renderAlertmanagerFiles } from '../../lib/alerting/alertmanager-config';
import { validatePlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { livePrometheusQueries } from '../../lib/grafana/live-queries';
import type { HostContext, HostFile } from '../../lib/shared/host-file';
import { PATHS } from '../../lib/shared/host-paths';
import { PORTS } from '../../lib/contracts/ports';
import { serviceSpecs, type ServiceSpec } from '../../lib/host/systemd-units';
import { HOST_SERVICES } from '../../lib/host/services';
import { BLACKBOX_CONFIG_PATH, renderBlackboxConfig } from '../../lib/prometheus/blackbox';
import { renderRuleFiles } from '../../lib/prometheus/rule-files';
import { PROMETHEUS_CONFIG_PATH, hostInstanceName, renderPrometheusConfig } from '../../lib/prometheus/scrape-config';
import { SCRAPE_JOBS } from '../../lib/contracts/scrape-jobs';
import { startTestServer, type TestServer } from './helpers/artifact-server';
import { startFakeApp, type FakeApp } from './helpers/fake-app';
import { testConfig } from './helpers/host-fixture';
import { freePort, waitFor as pollUntil } from '../../bench/processes';
import { oracle } from '../helpers/oracles';
import { compilePlatform } from '../../lib/model/compile';

/**
 * GIVEN the rendered host files (prometheus.yml, the rule files, blackbox.yml, alertmanager.yml and its Slack
 * template) of a config whose every environment is a fake app on 127.0.0.1
 * WHEN the pinned prometheus, alertmanager, node_exporter and blackbox_exporter (scripts/oracles.sh) run them with the rendered
 * units' command lines (host paths and ports rewritten to a temp dir and free ports, intervals shortened)
 * THEN each program is ready, the config and every rule group are loaded and evaluate cleanly, every target that
 * exists in the test is up with its service labels, and every Host/Uptime/SLO panel query runs without error.
 *
 * They are the very versions the host runs, so no flag or key is mapped; only paths, ports and intervals are rewritten.
 * Components not started here (Loki, Tempo, Grafana, the collector, the DORA exporter) keep their 127.0.0.1
 * targets, where nothing listens: they are scraped over loopback and are not expected up.
 */
const ORACLE_BINARIES: Record<string, string> = {
  prometheus: oracle('prometheus'),
  alertmanager: oracle('alertmanager'),
  node_exporter: oracle('node_exporter'),
  blackbox_exporter: oracle('blackbox_exporter'),
};
const UNDER_TEST = Object.keys(ORACLE_BINARIES);
const STARTED_PORTS = [PORTS.prometheus, PORTS.alertmanager, PORTS.nodeExporter, PORTS.blackboxExporter];
/** Jobs scraping one program started here (instance = the host's name, no service labels). */
const LOCAL_JOBS_IN_TEST = [SCRAPE_JOBS.prometheus, SCRAPE_JOBS.node, SCRAPE_JOBS.blackbox, SCRAPE_JOBS.alertmanager];
/** Scrape, timeout and rule evaluation interval of the live Prometheus (the host uses 15s/10s/30s). */
const INTERVAL = '1s';

function runTool(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 20000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

const envKey = (service: string, environment: string) => `${service}/${environment}`;

/** The default config, with every environment's probe and metrics endpoint on its fake app on 127.0.0.1. */
function liveConfig(appPort: (service: string, environment: string) => number): PlatformConfig {
  const raw = structuredClone(testConfig());
  for (const service of raw.services)
    service.environments = service.environments.map((env) => {
      const port = appPort(service.name, env.name);
      return { ...env, probeUrl: `http://127.0.0.1:${port}/health`, metricsTarget: `127.0.0.1:${port}`, metricsPath: '/metrics' };
    });
  return validatePlatformConfig(raw, '<live-stack test config>');
}

type Target = { labels: Record<string, string>; scrapePool: string; scrapeUrl: string; health: string; lastError: string };
type RuleGroup = { name: string; file: string; lastEvaluation: string; rules: { name: string; health: string; lastError?: string }[] };
type QueryResponse = { status: string; error?: string; errorType?: string; data?: { resultType: string; result: unknown } };

describe('live stack: the pinned prometheus, alertmanager, node and blackbox exporters with the rendered files and units', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgtm-live-'));
  const children: ChildProcess[] = [];
  const logs: Record<string, string> = {};
  const port: Record<number, number> = {};
  const apps = new Map<string, FakeApp>();
  let slack: TestServer;
  let config: PlatformConfig;
  let context: HostContext;
  let specs: ServiceSpec[];
  /** The rendered files as written into the test directory (rewritten), by host path. */
  const written = new Map<string, string>();
  const url = (p: number, path: string) => `http://127.0.0.1:${port[p]}${path}`;

  /** Host paths and ports → test paths and free ports. */
  const rewrite = (text: string) =>
    text
      .replace(/127\.0\.0\.1:(\d+)/g, (m, p) => (port[Number(p)] ? `127.0.0.1:${port[Number(p)]}` : m))
      .replace(/\/var\/lib\/lgtm\//g, `${dir}/data/`)
      .replace(/(^|[\s='"])\/etc\//g, `$1${dir}/etc/`)
      .replace(/(^|[\s='"])\/run\/credentials\//g, `$1${dir}/run/credentials/`);

  /** A host path in the test directory. */
  const testPath = (hostPath: string) => rewrite(` ${hostPath}`).trim();

  /** Production intervals → the test's (scrape_timeout may not exceed scrape_interval). */
  const shortenIntervals = (text: string) => text.replace(/^(\s*(?:scrape_interval|scrape_timeout|evaluation_interval)): \S+$/gm, `$1: ${INTERVAL}`);

  const commandOf = (spec: ServiceSpec) => [ORACLE_BINARIES[spec.unit], ...spec.exec.slice(1).map(rewrite)];

  const getJson = async <T>(path: string): Promise<T> => (await fetch(url(PORTS.prometheus, path), { signal: AbortSignal.timeout(5000) })).json() as Promise<T>;

  beforeAll(async () => {
    for (const p of STARTED_PORTS) port[p] = await freePort();
    const base = testConfig();
    for (const service of base.services)
      for (const env of service.environments) apps.set(envKey(service.name, env.name), await startFakeApp(service.latencyBuckets));
    config = liveConfig((service, environment) => apps.get(envKey(service, environment))!.port);
    context = { grafanaUrl: `http://127.0.0.1:${config.host.grafanaPort}` };
    specs = serviceSpecs(config).filter((s) => UNDER_TEST.includes(s.unit));
    slack = await startTestServer(new Map());

    const files: HostFile[] = [
      { path: PROMETHEUS_CONFIG_PATH, content: shortenIntervals(renderPrometheusConfig(config, context)) },
      ...renderRuleFiles(compilePlatform(config), context),
      { path: BLACKBOX_CONFIG_PATH, content: renderBlackboxConfig(config) },
      ...renderAlertmanagerFiles(config, context),
      // The systemd credentials Alertmanager reads: the Slack webhook goes to the dummy server.
      ...alertmanagerSecretFiles(config).map((secret) => ({ path: secret.path, content: `${slack.base}/slack/${secret.parameter}\n` })),
    ];
    for (const file of files) {
      const target = testPath(file.path);
      const content = rewrite(file.content);
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, content);
      written.set(file.path, content);
    }
    mkdirSync(testPath(PATHS.textfileDir), { recursive: true });
    for (const spec of specs) {
      if (spec.dataDir) mkdirSync(testPath(spec.dataDir), { recursive: true });
      const [bin, ...args] = commandOf(spec);
      const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      logs[spec.unit] = '';
      child.stdout.on('data', (b) => (logs[spec.unit] += b));
      child.stderr.on('data', (b) => (logs[spec.unit] += b));
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
    await Promise.all([...apps.values()].map((app) => app.close()));
    await slack?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 15000);

  /** The shared poll, with every daemon's log tail in the failure message. */
  const waitFor = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30000): Promise<T> =>
    pollUntil(what, probe, timeoutMs, 250).catch((error: Error) => {
      throw new Error(
        `${error.message}\n${Object.entries(logs)
          .map(([k, v]) => `--- ${k}\n${v.slice(-2000)}`)
          .join('\n')}`,
      );
    });

  const ok = async (u: string) => ((await fetch(u, { signal: AbortSignal.timeout(2000) })).status === 200 ? true : undefined);

  const renderedPrometheus = () =>
    yaml.load(written.get(PROMETHEUS_CONFIG_PATH)!) as {
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[]; relabel_configs?: { target_label: string; replacement?: string }[] }[];
    };

  test('the units bind only 127.0.0.1, and everything the rendered config scrapes, probes or alerts is on 127.0.0.1', () => {
    // --web.external-url is the address links are rendered for (the operator's end of an SSM port forward), not a bind
    for (const spec of specs)
      for (const arg of commandOf(spec))
        if (arg.startsWith('--web.external-url=')) expect(arg).toMatch(/^--web\.external-url=http:\/\/localhost:\d+$/);
        else expect(arg).not.toMatch(/0\.0\.0\.0|:\/\/(?!127\.|localhost[:/])/);
    for (const service of config.services)
      for (const env of service.environments) {
        expect(env.probeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/health$/);
        expect(env.metricsTarget).toMatch(/^127\.0\.0\.1:\d+$/);
      }
    const prometheus = renderedPrometheus();
    const addresses = [
      ...prometheus.alerting.alertmanagers.flatMap((am) => am.static_configs.flatMap((s) => s.targets)),
      ...prometheus.scrape_configs.flatMap((job) => [
        ...job.static_configs.flatMap((s) => s.targets),
        ...(job.relabel_configs ?? []).filter((r) => r.target_label === '__address__').map((r) => r.replacement ?? ''),
      ]),
    ];
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(address).toMatch(/^(http:\/\/)?127\.0\.0\.1:\d+(\/|$)/);
    expect(written.get(PROMETHEUS_CONFIG_PATH)).toContain(`scrape_interval: ${INTERVAL}`);
  });

  test('the files under test pass promtool, amtool and the blackbox exporter checks (rule files included)', async () => {
    const promtool = await runTool('promtool', ['check', 'config', testPath(PROMETHEUS_CONFIG_PATH)]);
    expect(promtool.output).toMatch(/SUCCESS/);
    for (const file of renderRuleFiles(compilePlatform(config), context)) expect(promtool.output).toContain(testPath(file.path));
    expect(promtool.code).toBe(0);
    const amtool = await runTool('amtool', ['check-config', testPath(PATHS.alertmanagerConfig)]);
    expect({ code: amtool.code, output: amtool.output }).toEqual({ code: 0, output: expect.stringMatching(/SUCCESS/) });
    const blackbox = await runTool(ORACLE_BINARIES.blackbox_exporter, [`--config.file=${testPath(BLACKBOX_CONFIG_PATH)}`, '--config.check']);
    expect({ code: blackbox.code, output: blackbox.output }).toEqual({ code: 0, output: expect.stringMatching(/Config file is ok/) });
  }, 30000);

  test('each program answers on the health endpoint its descriptor names; the Node Exporter serves metrics', async () => {
    const underTest = HOST_SERVICES.filter((service) => UNDER_TEST.includes(service.unit));
    expect(underTest.map((service) => service.unit).sort()).toEqual([...UNDER_TEST].sort());
    for (const service of underTest) {
      const { port: healthPort, health } = service.ports(config).find((p) => p.health)!;
      await waitFor(`${service.unit} ${health}`, () => ok(url(healthPort, health!)));
    }
    const metrics = await waitFor('node_exporter /metrics', async () => {
      const res = await fetch(url(PORTS.nodeExporter, '/metrics'), { signal: AbortSignal.timeout(2000) });
      return res.status === 200 ? res.text() : undefined;
    });
    expect(metrics).toContain('node_cpu_seconds_total');
    for (const child of children) expect(child.exitCode).toBeNull();
  }, 30000);

  test('Prometheus runs with the rendered retention flags, refuses its lifecycle API (/-/quit) and reloads on SIGHUP', async () => {
    const flags = await getJson<{ data: Record<string, string> }>('/api/v1/status/flags');
    expect(flags.data['storage.tsdb.retention.time']).toBe('30d');
    expect(flags.data['storage.tsdb.retention.size']).toBe('25GiB');
    expect(flags.data['web.enable-lifecycle']).toBe('false');
    expect((await fetch(url(PORTS.prometheus, '/-/quit'), { method: 'POST' })).status).toBe(403);
    expect((await fetch(url(PORTS.prometheus, '/-/reload'), { method: 'POST' })).status).toBe(403);
    const reloadedAt = async () => {
      const metrics = await (await fetch(url(PORTS.prometheus, '/metrics'), { signal: AbortSignal.timeout(5000) })).text();
      return Number(/^prometheus_config_last_reload_success_timestamp_seconds (\S+)$/m.exec(metrics)?.[1] ?? 0);
    };
    const before = await waitFor('a first config load', async () => ((await reloadedAt()) > 0 ? reloadedAt() : undefined));
    const prometheus = children[specs.findIndex((s) => s.unit === 'prometheus')];
    await new Promise((resolve) => setTimeout(resolve, 1100));
    prometheus.kill('SIGHUP');
    await waitFor('a reload after SIGHUP', async () => ((await reloadedAt()) > before ? true : undefined));
    expect(prometheus.exitCode).toBeNull();
  }, 40000);

  test('Prometheus loaded the rendered prometheus.yml: its jobs, limits, rule files and Alertmanager', async () => {
    const body = await getJson<{ status: string; data: { yaml: string } }>('/api/v1/status/config');
    expect(body.status).toBe('success');
    type Loaded = {
      global: Record<string, string>;
      rule_files: string[];
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
      scrape_configs: { job_name: string; sample_limit?: number; label_limit?: number }[];
    };
    const loaded = yaml.load(body.data.yaml) as Loaded;
    const rendered = renderedPrometheus();
    expect(loaded.scrape_configs.map((j) => j.job_name)).toEqual(rendered.scrape_configs.map((j) => j.job_name));
    expect(loaded.scrape_configs.map((j) => [j.sample_limit, j.label_limit])).toEqual(
      (rendered.scrape_configs as unknown as { sample_limit: number; label_limit: number }[]).map((j) => [j.sample_limit, j.label_limit]),
    );
    expect(loaded.rule_files).toEqual(rendered.rule_files);
    expect(loaded.rule_files).toEqual([`${dir}/etc/prometheus/rules/*.yml`]);
    expect(loaded.alerting.alertmanagers[0].static_configs[0].targets).toEqual([`127.0.0.1:${port[PORTS.alertmanager]}`]);
    expect(loaded.global).toMatchObject({ scrape_interval: INTERVAL, scrape_timeout: INTERVAL, evaluation_interval: INTERVAL });
  }, 20000);

  test('every rendered rule group is loaded, and after an evaluation every rule is healthy', async () => {
    const expected = renderRuleFiles(compilePlatform(config), context).flatMap((file) =>
      (yaml.load(file.content) as { groups: { name: string; rules: unknown[] }[] }).groups.map((g) => ({
        name: g.name,
        file: testPath(file.path),
        rules: g.rules.length,
      })),
    );
    expect(expected.length).toBeGreaterThanOrEqual(6);
    const groups = await waitFor(
      'every rule group evaluated',
      async () => {
        const body = await getJson<{ data: { groups: RuleGroup[] } }>('/api/v1/rules');
        const all = body.data.groups;
        const evaluated =
          all.length === expected.length && all.every((g) => !g.lastEvaluation.startsWith('0001-') && g.rules.every((r) => r.health !== 'unknown'));
        return evaluated ? all : undefined;
      },
      20000,
    );
    const key = (g: { name: string; file: string; rules: number }) => `${g.file} ${g.name} (${g.rules} rules)`;
    expect(groups.map((g) => key({ name: g.name, file: g.file, rules: g.rules.length })).sort()).toEqual(expected.map(key).sort());
    const unhealthy = groups.flatMap((g) => g.rules.filter((r) => r.health !== 'ok').map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`));
    expect(unhealthy).toEqual([]);
  }, 30000);

  test('every scrape target that exists in this test is up, with service labels where it belongs to a service; Prometheus found Alertmanager', async () => {
    const testPorts = [...Object.values(port), ...[...apps.values()].map((app) => app.port)];
    const inTest = (t: Target) => testPorts.some((p) => t.scrapeUrl.includes(`127.0.0.1:${p}/`));
    const expected = [
      ...LOCAL_JOBS_IN_TEST.map((job) => `${job} instance=${hostInstanceName(config)}`),
      ...config.services.flatMap((service) =>
        service.environments.flatMap((env) => [
          `${SCRAPE_JOBS.probe} service=${service.name} environment=${env.name} instance=${env.probeUrl}`,
          ...(env.metricsTarget ? [`${SCRAPE_JOBS.app} service=${service.name} environment=${env.name} instance=${env.metricsTarget}`] : []),
        ]),
      ),
    ].sort();
    const label = (t: Target) =>
      [t.labels.job, ...(['service', 'environment', 'instance'] as const).filter((l) => t.labels[l] !== undefined).map((l) => `${l}=${t.labels[l]}`)].join(' ');
    let all: Target[] = [];
    const targets = await waitFor(
      'every target of the test up',
      async () => {
        all = (await getJson<{ data: { activeTargets: Target[] } }>('/api/v1/targets?state=active')).data.activeTargets;
        const active = all.filter(inTest);
        return active.length === expected.length && active.every((t) => t.health === 'up') ? active : undefined;
      },
      30000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${all.map((t) => `${label(t)} ${t.health} ${t.lastError}`).join('\n')}`);
    });
    expect(targets.map(label).sort()).toEqual(expected);
    // Every job of the rendered config has a target; those outside this test are the components not started here.
    expect([...new Set(all.map((t) => t.scrapePool))].sort()).toEqual(
      renderedPrometheus()
        .scrape_configs.map((j) => j.job_name)
        .sort(),
    );
    expect(
      all
        .filter((t) => !inTest(t))
        .map((t) => t.labels.job)
        .sort(),
    ).toEqual([SCRAPE_JOBS.dora, SCRAPE_JOBS.loki, SCRAPE_JOBS.tempo, SCRAPE_JOBS.grafana, SCRAPE_JOBS.otelcol].sort());
    // The probes reached the fake apps and succeeded.
    const probes = await getJson<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>(
      `/api/v1/query?query=${encodeURIComponent(`probe_success{job="${SCRAPE_JOBS.probe}"}`)}`,
    );
    expect(probes.data.result.map((r) => `${r.metric.service}/${r.metric.environment} ${r.value[1]}`).sort()).toEqual(
      [...apps.keys()].map((k) => `${k} 1`).sort(),
    );
    for (const app of apps.values()) expect(app.healthRequests()).toBeGreaterThan(0);
    // The app contract metrics arrived from every app target, with its service labels.
    const contract = await getJson<{ data: { result: { metric: Record<string, string> }[] } }>(
      `/api/v1/query?query=${encodeURIComponent(`count by (service, environment, __name__) ({job="${SCRAPE_JOBS.app}", __name__=~"http_requests_total|http_request_duration_seconds_(bucket|sum|count)|http_requests_in_progress"})`)}`,
    );
    const contractNames = [
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_sum',
      'http_requests_in_progress',
      'http_requests_total',
    ];
    expect(contract.data.result.map((r) => `${r.metric.service}/${r.metric.environment} ${r.metric.__name__}`).sort()).toEqual(
      [...apps.keys()].flatMap((k) => contractNames.map((n) => `${k} ${n}`)).sort(),
    );
    const am = await getJson<{ data: { activeAlertmanagers: { url: string }[] } }>('/api/v1/alertmanagers');
    expect(am.data.activeAlertmanagers.map((a) => a.url)).toEqual([`http://127.0.0.1:${port[PORTS.alertmanager]}/api/v2/alerts`]);
  }, 40000);

  test('every Prometheus panel query of the Host, Uptime and SLO dashboards runs without error; the Host ones return data', async () => {
    const service = config.services[0];
    const values = { instance: hostInstanceName(config), service: service.name, environment: service.environments[0].name, slo: service.slos[0].name };
    const queries = livePrometheusQueries(config, values);
    for (const dashboard of ['host', 'uptime', 'slo']) expect(queries.filter((q) => q.dashboard === dashboard).length).toBeGreaterThan(0);
    const run = async (expr: string) => {
      const res = await fetch(url(PORTS.prometheus, `/api/v1/query?query=${encodeURIComponent(expr)}`), { signal: AbortSignal.timeout(5000) });
      return (await res.json()) as QueryResponse;
    };
    const isEmpty = (r: QueryResponse) => !Array.isArray(r.data?.result) || (r.data.result as unknown[]).length === 0;
    // rate() over the Host panels needs two scrapes of the node exporter: retry until they have data. An error
    // does not go away by waiting, so the first round with an error ends the wait.
    let empty: string[] = [];
    const failed = await waitFor(
      'every Host panel query to return data',
      async () => {
        const results = await Promise.all(queries.map(async (q) => ({ q, r: await run(q.expr) })));
        const errors = results
          .filter(({ r }) => r.status !== 'success')
          .map(({ q, r }) => `${q.dashboard} "${q.panel}" ${q.refId}: ${r.errorType} ${r.error}\n  ${q.expr}`);
        // conntrack and systemd series exist only on a real host (tests/helpers/host-only-metrics.ts)
        empty = results
          .filter(({ q, r }) => q.dashboard === 'host' && isEmpty(r) && !readsOnlyHostOnlyMetrics(promqlMetricNames(q.expr)))
          .map(({ q }) => `"${q.panel}" ${q.refId}: ${q.expr}`);
        return errors.length > 0 || empty.length === 0 ? errors : undefined;
      },
      20000,
    ).catch((error: Error) => {
      throw new Error(`${error.message.split('\n')[0]}\nHost queries without data:\n${empty.join('\n')}`);
    });
    expect(failed).toEqual([]);
    expect(empty).toEqual([]);
  }, 30000);
});
