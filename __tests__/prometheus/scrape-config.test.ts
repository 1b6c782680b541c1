import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { validatePlatformConfig } from '../../lib/config/loader';
import { renderHostFiles } from '../../lib/render-host-files';
import { PORTS } from '../../lib/contracts/ports';
import { hostSecretParameters } from '../../lib/host/secrets';
import { renderBlackboxConfig } from '../../lib/prometheus/blackbox';
import { renderPrometheusFiles } from '../../lib/prometheus/rule-files';
import {
  METRICS_REPLAY_WINDOW,
  PROMETHEUS_RULES_GLOB,
  ROUTE_LABELS,
  UNKNOWN_ROUTE_REGEX,
  hostInstanceName,
  renderPrometheusConfig,
} from '../../lib/prometheus/scrape-config';
import { CONTEXT, DEFAULT_CONFIG } from './promtool-harness';
import { compilePlatform } from '../../lib/model/compile';

type Job = {
  job_name: string;
  sample_limit?: number;
  label_limit?: number;
  static_configs: { targets: string[]; labels?: Record<string, string> }[];
  relabel_configs?: { target_label?: string; replacement?: string }[];
  metric_relabel_configs?: { source_labels: string[]; regex: string; target_label: string; replacement: string }[];
};
const doc = () => yaml.load(renderPrometheusConfig(DEFAULT_CONFIG, CONTEXT)) as { rule_files: string[]; scrape_configs: Job[] };
const job = (name: string) => doc().scrape_configs.find((j) => j.job_name === name)!;

function run(cmd: string, args: string[]) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('rendered Prometheus and blackbox files pass the real tools', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'prom-check-'));
    // write the host layout under dir, and point rule_files at the copies (the host path is absolute)
    for (const file of renderPrometheusFiles(compilePlatform(DEFAULT_CONFIG), CONTEXT)) {
      const path = join(dir, file.path);
      mkdirSync(join(path, '..'), { recursive: true });
      const content = file.path.endsWith('prometheus.yml') ? file.content.replace(PROMETHEUS_RULES_GLOB, join(dir, PROMETHEUS_RULES_GLOB)) : file.content;
      writeFileSync(path, content);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('WHEN promtool check config runs THEN it succeeds and finds every rule file', () => {
    const result = run('promtool', ['check', 'config', join(dir, 'etc/prometheus/prometheus.yml')]);
    if (result.status !== 0) throw new Error(result.output);
    expect(result.output).toMatch(/SUCCESS: 6 rule files found/);
  });

  it('WHEN promtool check rules runs on every rule file THEN it succeeds', () => {
    const files = renderPrometheusFiles(compilePlatform(DEFAULT_CONFIG), CONTEXT).filter((f) => f.path.startsWith('/etc/prometheus/rules/'));
    const result = run('promtool', ['check', 'rules', ...files.map((f) => join(dir, f.path))]);
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });

  it('WHEN the blackbox exporter checks its config THEN it is ok', () => {
    const result = run('blackbox_exporter', ['--config.check', `--config.file=${join(dir, 'etc/blackbox_exporter/blackbox.yml')}`]);
    if (result.status !== 0) throw new Error(result.output);
    expect(result.output).toMatch(/Config file is ok/);
  });

  it('GIVEN a broken prometheus.yml THEN promtool check config fails (the check can fail)', () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, renderPrometheusConfig(DEFAULT_CONFIG, CONTEXT).replace('sample_limit: 20000', 'sample_limit: lots'));
    expect(run('promtool', ['check', 'config', bad]).status).not.toBe(0);
  });
});

describe('scrape config', () => {
  it('GIVEN the platform name and region THEN they are external labels, on every alert and remote-written series', () => {
    expect((doc() as unknown as { global: { external_labels: Record<string, string> } }).global.external_labels).toEqual({
      platform: 'anvila',
      region: 'us-east-1',
    });
    const other = validatePlatformConfig({ ...structuredClone(DEFAULT_CONFIG), name: 'bravo', region: 'eu-central-1' });
    expect(yaml.load(renderPrometheusConfig(other, CONTEXT))).toMatchObject({ global: { external_labels: { platform: 'bravo', region: 'eu-central-1' } } });
  });

  it('GIVEN metricsTls on an environment THEN it gets its own HTTPS job that still says job="app", with its CA and client pair as prometheus credentials', () => {
    const raw = structuredClone(DEFAULT_CONFIG) as any;
    raw.services[0].environments[0].metricsTls = {
      caParameter: '/anvila/ca',
      serverName: 'metrics.anvila.internal',
      clientCertificateParameter: '/anvila/cert',
      clientKeyParameter: '/anvila/key',
    };
    const config = validatePlatformConfig(raw);
    const jobs = (yaml.load(renderPrometheusConfig(config, CONTEXT)) as { scrape_configs: Job[] }).scrape_configs;
    expect(jobs.find((j) => j.job_name === 'app')).toBeUndefined(); // its only plain target moved to HTTPS
    expect(jobs.find((j) => j.job_name === 'app-tls-anvila-api-staging')).toMatchObject({
      scheme: 'https',
      tls_config: {
        ca_file: '/run/credentials/prometheus.service/app-anvila-api-staging-ca',
        server_name: 'metrics.anvila.internal',
        cert_file: '/run/credentials/prometheus.service/app-anvila-api-staging-client-certificate',
        key_file: '/run/credentials/prometheus.service/app-anvila-api-staging-client-key',
      },
      static_configs: [{ targets: ['10.0.1.10:8000'], labels: { service: 'anvila-api', environment: 'staging' } }],
      relabel_configs: [{ target_label: 'job', replacement: 'app' }],
    });
    expect(hostSecretParameters(config)).toEqual(expect.arrayContaining(['/anvila/ca', '/anvila/cert', '/anvila/key']));
    const caOnly = structuredClone(DEFAULT_CONFIG) as any;
    caOnly.services[0].environments[0].metricsTls = {};
    const plainCa = (yaml.load(renderPrometheusConfig(validatePlatformConfig(caOnly), CONTEXT)) as { scrape_configs: Job[] }).scrape_configs.find(
      (j) => j.job_name === 'app-tls-anvila-api-staging',
    );
    expect(plainCa).toMatchObject({ scheme: 'https', tls_config: {} }); // the host's system CAs, the target's host name
  });

  it('GIVEN the default config THEN every component of the stack has a job', () => {
    expect(doc().scrape_configs.map((j) => j.job_name)).toEqual([
      // the host's programs in start order (from their descriptors), then the probes and the apps
      'prometheus',
      'alertmanager',
      'node',
      'blackbox-exporter',
      'loki',
      'tempo',
      'otelcol',
      'grafana',
      'dora-exporter',
      'blackbox-http',
      'app',
    ]);
    expect(doc().rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
  });

  it('GIVEN samples an agent replays from its disk queue after an outage THEN Prometheus accepts them up to the replay window, not only the last hour', () => {
    const storage = (yaml.load(renderPrometheusConfig(DEFAULT_CONFIG, CONTEXT)) as any).storage;
    expect(storage).toEqual({ tsdb: { out_of_order_time_window: METRICS_REPLAY_WINDOW } });
    expect(METRICS_REPLAY_WINDOW).toBe('6h');
  });

  it('GIVEN every job THEN it parses a scrape without a known Content-Type as the text format', () => {
    for (const j of doc().scrape_configs as (Job & { fallback_scrape_protocol?: string })[])
      expect([j.job_name, j.fallback_scrape_protocol]).toEqual([j.job_name, 'PrometheusText0.0.4']);
  });

  it('GIVEN every job THEN it has a sample limit and a label limit', () => {
    for (const j of doc().scrape_configs) {
      expect({ job: j.job_name, sample: (j.sample_limit ?? 0) > 0, label: (j.label_limit ?? 0) > 0 }).toEqual({ job: j.job_name, sample: true, label: true });
    }
  });

  it('GIVEN local components THEN they are scraped on 127.0.0.1 at the ports of lib/contracts/ports.ts, as the host instance', () => {
    const expected: Record<string, number> = {
      prometheus: PORTS.prometheus,
      node: PORTS.nodeExporter,
      'blackbox-exporter': PORTS.blackboxExporter,
      'dora-exporter': PORTS.doraExporter,
      alertmanager: PORTS.alertmanager,
      loki: PORTS.loki,
      tempo: PORTS.tempo,
      grafana: DEFAULT_CONFIG.host.grafanaPort,
      otelcol: PORTS.otelcolMetrics,
    };
    for (const [name, port] of Object.entries(expected)) {
      expect(job(name).static_configs).toEqual([{ targets: [`127.0.0.1:${port}`] }]);
      expect(job(name).relabel_configs).toContainEqual({ target_label: 'instance', replacement: hostInstanceName(DEFAULT_CONFIG) });
    }
  });

  it('GIVEN services THEN probes and app targets carry service and environment', () => {
    expect(job('blackbox-http').static_configs).toEqual([
      { targets: ['https://staging.api.anvila.example/health'], labels: { service: 'anvila-api', environment: 'staging' } },
      { targets: ['https://api.anvila.example/health'], labels: { service: 'anvila-api', environment: 'production' } },
    ]);
    expect(job('blackbox-http').relabel_configs).toContainEqual({ target_label: '__address__', replacement: `127.0.0.1:${PORTS.blackboxExporter}` });
    expect(job('app').static_configs).toEqual([
      { targets: ['10.0.1.10:8000'], labels: { service: 'anvila-api', environment: 'staging', __metrics_path__: '/metrics' } },
    ]);
  });

  it('GIVEN route labels THEN unknown routes collapse into one value and templates are kept', () => {
    expect(job('app').metric_relabel_configs?.map((r) => r.source_labels[0])).toEqual([...ROUTE_LABELS]);
    const re = new RegExp(`^(?:${UNKNOWN_ROUTE_REGEX})$`); // Prometheus anchors relabel regexes the same way
    for (const unknown of ['none', 'unknown', 'NotFound', '/items/12345', '/users/3f2a9c1e-8b7d-4e2f-9a1b-1234567890ab', '/search?q=x'])
      expect({ unknown, match: re.test(unknown) }).toEqual({ unknown, match: true });
    for (const known of ['/items/{item_id}', '/v1/items', '/health', '/metrics', '']) expect({ known, match: re.test(known) }).toEqual({ known, match: false });
  });

  it('GIVEN no DORA and no metrics target THEN those jobs are left out', () => {
    const raw = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown> & {
      services: { environments: { metricsTarget?: string }[]; slos: { sli: unknown }[] }[];
    };
    delete raw.dora;
    raw.services[0].environments.forEach((e) => delete e.metricsTarget);
    raw.services[0].slos = raw.services[0].slos.filter((s) => s.sli === 'probe');
    const config = validatePlatformConfig(raw);
    const names = (yaml.load(renderPrometheusConfig(config)) as { scrape_configs: Job[] }).scrape_configs.map((j) => j.job_name);
    expect(names).not.toContain('app');
    expect(names).not.toContain('dora-exporter');
  });

  it('GIVEN the blackbox modules THEN the http module checks 2xx over IPv4 first', () => {
    const modules = (yaml.load(renderBlackboxConfig()) as { modules: Record<string, { prober: string; http: Record<string, unknown> }> }).modules;
    expect(modules.http_2xx.prober).toBe('http');
    expect(modules.http_2xx.http.preferred_ip_protocol).toBe('ip4');
  });

  it('GIVEN the host-file registry THEN it carries the Prometheus area files', () => {
    const paths = renderHostFiles(compilePlatform(DEFAULT_CONFIG), CONTEXT).map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/etc/prometheus/prometheus.yml',
        '/etc/blackbox_exporter/blackbox.yml',
        '/etc/prometheus/rules/host.yml',
        '/etc/prometheus/rules/slo.yml',
        '/etc/prometheus/rules/probes.yml',
        '/etc/prometheus/rules/app.yml',
        '/etc/prometheus/rules/platform.yml',
        '/etc/prometheus/rules/dora.yml',
      ]),
    );
  });
});

describe('GIVEN Grafana serves HTTPS (host.grafanaTls)', () => {
  const tlsConfig = (domain?: string) =>
    validatePlatformConfig({
      ...JSON.parse(JSON.stringify(DEFAULT_CONFIG)),
      host: {
        ...DEFAULT_CONFIG.host,
        grafanaTls: { certificateParameter: '/anvila/grafana-cert', privateKeyParameter: '/anvila/grafana-key', ...(domain ? { domain } : {}) },
      },
    });
  const grafanaJob = (domain?: string) =>
    (yaml.load(renderPrometheusConfig(tlsConfig(domain), CONTEXT)) as { scrape_configs: (Job & Record<string, unknown>)[] }).scrape_configs.find(
      (j) => j.job_name === 'grafana',
    )!;

  it('THEN Prometheus scrapes Grafana over https, checking the certificate against its domain', () => {
    expect(grafanaJob('grafana.anvila.example')).toMatchObject({ scheme: 'https', tls_config: { server_name: 'grafana.anvila.example' } });
  });

  it('THEN without a domain the loopback scrape accepts the certificate as it is', () => {
    expect(grafanaJob()).toMatchObject({ scheme: 'https', tls_config: { insecure_skip_verify: true } });
  });

  it('THEN promtool accepts the config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prom-tls-'));
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, renderPrometheusConfig(tlsConfig('grafana.anvila.example'), CONTEXT).replace(PROMETHEUS_RULES_GLOB, join(dir, 'rules/*.yml')));
    const result = run('promtool', ['check', 'config', file]);
    rmSync(dir, { recursive: true, force: true });
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });
});
