import { join } from 'node:path';
import { checkPlatform } from '../../lib/checks/check-platform';
import { loadPlatformConfig } from '../../lib/config/loader';
import { PlatformConfigError, PlatformInternalError } from '../../lib/config/errors';
import { DASHBOARDS, type DashboardKey } from '../../lib/contracts/dashboards';
import { Testing } from '../../lib/framework';
import { GrafanaStack } from '../../lib/grafana/grafana-stack';
import { DASHBOARD_FOLDERS } from '../../lib/grafana/folders';
import { architectureOf, type Architecture } from '../../lib/host/architecture';
import { ARTIFACTS, resolveArtifacts, type ArtifactSpec } from '../../lib/host/artifacts';
import { InfraStack } from '../../lib/infra-stack';
import { AGENT_ARTIFACTS } from '../../lib/model/artifact-pins';
import { compilePlatform } from '../../lib/model/compile';
import * as dashboardModel from '../../lib/model/dashboards';
import { ObservabilityPlatform } from '../../lib/platform';
import * as dashboardBuilders from '../../lib/dashboards';
import { platformConfig } from '../helpers/platform-fixtures';
import * as yaml from 'js-yaml';
import { APP_TLS_JOB_PREFIX, renderPrometheusConfig } from '../../lib/prometheus/scrape-config';
import * as targets from '../../lib/model/targets';

const ROOT = join(__dirname, '../..');
const TWO_SERVICES = loadPlatformConfig(join(ROOT, '__tests__/fixtures/two-services.yaml'));
const GRAFANA_URL = 'http://203.0.113.10:3000';

afterEach(() => jest.restoreAllMocks());

describe('GIVEN a platform description WHEN it is compiled THEN its artifact pins are in the model', () => {
  it("THEN the host's pins are its architecture's resolution of the table, with the user's pin in place of the checksum file", () => {
    const pin = 'c'.repeat(64);
    const config = platformConfig((raw) => {
      raw.host.instanceType = 'm7g.large';
      raw.host.artifactChecksums = { 'loki-arm64': pin };
    });
    const { artifacts } = compilePlatform(config);
    expect(artifacts.hostArchitecture).toBe('arm64');
    expect(artifacts.host).toEqual(resolveArtifacts(config, ARTIFACTS, 'arm64'));
    expect(artifacts.host.find((a) => a.name === 'loki')).toMatchObject({ pinnedSha256: pin, checksumUrl: undefined });
  });

  it("THEN the agent's pins are Node Exporter and the Collector for both architectures, from the host's mirror", () => {
    const config = platformConfig((raw) => (raw.host.artifactMirror = { s3Bucket: 'acme-mirror', prefix: 'lgtm' }));
    const { artifacts } = compilePlatform(config);
    for (const arch of ['x86_64', 'arm64'] as const) {
      expect(artifacts.agent[arch].map((a) => a.name)).toEqual(AGENT_ARTIFACTS);
      expect(artifacts.agent[arch]).toEqual(resolveArtifacts(config, ARTIFACTS, arch).filter((a) => AGENT_ARTIFACTS.includes(a.name)));
      for (const a of artifacts.agent[arch]) expect(a.url).toMatch(/^s3:\/\/acme-mirror\/lgtm\//);
    }
  });

  it('THEN a table passed to the compile stage is the one every pin comes from (an upgrade reaches the install script)', () => {
    const upgraded: ArtifactSpec[] = ARTIFACTS.map((a) => (a.name === 'prometheus' ? { ...a, version: '3.99.0' } : a));
    const model = compilePlatform(platformConfig(), { artifacts: upgraded });
    expect(model.artifacts.table).toBe(upgraded);
    expect(model.artifacts.host.find((a) => a.name === 'prometheus')!.version).toBe('3.99.0');
  });

  it("THEN a pin naming no artifact does not stop the compile stage: the cross-checks report it with the config's other mistakes", () => {
    const config = platformConfig((raw) => (raw.host.artifactChecksums = { 'prometheus-amd64': 'd'.repeat(64) }));
    expect(() => compilePlatform(config)).not.toThrow();
    const app = Testing.app();
    expect(() => new ObservabilityPlatform(app, 'platform', { config })).toThrow(PlatformConfigError);
  });

  it("THEN the cross-checks judge the user's pins against the model's table, not the shipped one", () => {
    const config = platformConfig((raw) => (raw.host.artifactChecksums = { 'loki-x86_64': 'e'.repeat(64) }));
    expect(() => checkPlatform(compilePlatform(config))).not.toThrow();
    const withoutLoki = ARTIFACTS.filter((a) => a.name !== 'loki');
    expect(() => checkPlatform(compilePlatform(config, { artifacts: withoutLoki }))).toThrow(/host\.artifactChecksums\.loki-x86_64: found "loki-x86_64"/);
  });
});

describe('GIVEN the platform construct WHEN it synthesizes a platform with agents', () => {
  it('THEN each artifact is resolved once for the architecture it is installed on, however many scripts install it', () => {
    // `file` is called once per resolution of an artifact for an architecture (lib/host/artifacts.ts)
    const spies = ARTIFACTS.map((spec) => ({ name: spec.name, spy: jest.spyOn(spec, 'file') }));
    const app = Testing.app();
    new ObservabilityPlatform(app, 'platform', { config: TWO_SERVICES });
    app.synth();
    const hostArch = architectureOf(TWO_SERVICES.host.instanceType);
    const otherArch: Architecture = hostArch === 'x86_64' ? 'arm64' : 'x86_64';
    const count = (calls: unknown[][], arch: Architecture) => calls.filter(([, a]) => a === arch).length;
    const counts = Object.fromEntries(
      spies.map(({ name, spy }) => [name, { [hostArch]: count(spy.mock.calls, hostArch), [otherArch]: count(spy.mock.calls, otherArch) }]),
    );
    // the host's programs for its architecture; the agent's (two environments here) for the other one too
    expect(counts).toEqual(
      Object.fromEntries(ARTIFACTS.map((spec) => [spec.name, { [hostArch]: 1, [otherArch]: AGENT_ARTIFACTS.includes(spec.name) ? 1 : 0 }])),
    );
  });
});

describe('GIVEN a platform description WHEN it is compiled THEN its dashboards are in the model', () => {
  it.each([
    ['config/platform.yaml', Object.keys(DASHBOARDS)],
    ['examples/distributed.yaml', Object.keys(DASHBOARDS)],
    // no `dora`: no DORA dashboard, which would only show "No data"
    ['__tests__/fixtures/two-services.yaml', Object.keys(DASHBOARDS).filter((key) => key !== 'dora')],
  ])(
    "THEN %s gets the dashboards it has data for, with the uid, title and folder alerts and links use, and each alert's link resolves in that set",
    (file, expected) => {
      const model = compilePlatform(loadPlatformConfig(join(ROOT, file)));
      expect(model.dashboards.map((d) => d.key)).toEqual(expected);
      for (const d of model.dashboards) {
        expect({ uid: d.uid, title: d.title, folder: d.folder }).toEqual({
          uid: DASHBOARDS[d.key].uid,
          title: DASHBOARDS[d.key].title,
          folder: DASHBOARD_FOLDERS[d.key],
        });
        expect(d.json.uid).toBe(d.uid);
      }
      const keys = new Set<DashboardKey>(model.dashboards.map((d) => d.key));
      for (const alert of model.alerts) expect(keys.has(alert.dashboard)).toBe(true);
    },
  );

  it("THEN an alert linking a dashboard the platform does not render is the library's error, found by the compile stage", () => {
    const config = platformConfig();
    const doraAlerts = compilePlatform(config)
      .alerts.filter((a) => a.dashboard === 'dora')
      .map((a) => a.name);
    expect(doraAlerts.length).toBeGreaterThan(0);
    const compile = dashboardModel.compileDashboards;
    jest.spyOn(dashboardModel, 'compileDashboards').mockImplementation((c) => compile(c).filter((d) => d.key !== 'dora'));
    let error: unknown;
    try {
      compilePlatform(config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformInternalError);
    expect((error as PlatformInternalError).source).toContain('lib/alerting/packs');
    for (const name of doraAlerts) expect((error as Error).message).toContain(`alert ${name} links dashboard dora, which this platform does not render`);
    expect((error as Error).message).toContain('This is a bug in lgtm-platform, not in your platform description');
  });

  it('THEN a dashboard linking a uid outside the set, or built with another uid than links use, is named', () => {
    const built = dashboardModel.compileDashboards(platformConfig());
    const host = built.find((d) => d.key === 'host')!;
    const renamed = { ...host, uid: 'lgtm-host-2', json: { ...host.json, uid: 'lgtm-host-2' } };
    const problems = dashboardModel.dashboardLinkProblems([], [renamed, ...built.filter((d) => d !== host)]);
    const lines = problems.flatMap((p) => p.problems);
    expect(problems.map((p) => p.source)).toEqual(['lib/dashboards/']);
    expect(lines).toContain('dashboard host is built with uid "lgtm-host-2", but links use lgtm-host');
    const linking = built.filter((d) => (d.json.links ?? []).some((l) => l.url === '/d/lgtm-host'));
    expect(linking.length).toBeGreaterThan(0);
    for (const d of linking) expect(lines).toContain(`dashboard ${d.key} links /d/lgtm-host, which this platform does not render`);
  });

  it('THEN a description without dora gets no DORA dashboard in its Grafana stack, and one with dora does', () => {
    const dashboardsOf = (config: ReturnType<typeof platformConfig>) =>
      Object.values<any>(JSON.parse(Testing.synth(new GrafanaStack(Testing.app(), 'g', { config, grafanaUrl: GRAFANA_URL }))).resource.grafana_dashboard).map(
        (d) => JSON.parse(d.config_json).uid,
      );
    expect(dashboardsOf(platformConfig())).toContain(DASHBOARDS.dora.uid);
    expect(dashboardsOf(platformConfig((raw) => delete raw.dora))).not.toContain(DASHBOARDS.dora.uid);
  });

  it("THEN the Grafana stack places the model's dashboards and builds none of its own", () => {
    const model = compilePlatform(platformConfig());
    const builds = jest.spyOn(dashboardBuilders, 'buildDashboards');
    const app = Testing.app();
    const stack = new GrafanaStack(app, 'anvila-grafana', { model, grafanaUrl: GRAFANA_URL });
    const json = JSON.parse(Testing.synth(stack));
    expect(builds).not.toHaveBeenCalled();
    for (const d of model.dashboards) expect(JSON.parse(json.resource.grafana_dashboard[`dashboard-${d.key}`].config_json).uid).toBe(d.uid);
  });
});

describe('GIVEN a stack constructed from a config instead of a model', () => {
  it('THEN the infra and Grafana stacks synthesize exactly what they synthesize from the compiled model', () => {
    const synth = (build: (app: ReturnType<typeof Testing.app>) => InfraStack | GrafanaStack) => {
      const app = Testing.app();
      return Testing.synth(build(app));
    };
    const model = compilePlatform(TWO_SERVICES);
    expect(synth((app) => new InfraStack(app, 'infra', { config: TWO_SERVICES }))).toBe(synth((app) => new InfraStack(app, 'infra', { model })));
    expect(synth((app) => new GrafanaStack(app, 'grafana', { config: TWO_SERVICES, grafanaUrl: GRAFANA_URL }))).toBe(
      synth((app) => new GrafanaStack(app, 'grafana', { model, grafanaUrl: GRAFANA_URL })),
    );
  });

  it("THEN the config is cross-checked like the platform construct's: a pin naming no artifact is refused with its path", () => {
    const config = platformConfig((raw) => (raw.host.artifactChecksums = { 'prometheus-amd64': 'd'.repeat(64) }));
    expect(() => new InfraStack(Testing.app(), 'infra', { config })).toThrow(/host\.artifactChecksums\.prometheus-amd64: found "prometheus-amd64"/);
  });
});

describe("GIVEN a platform description WHEN it is compiled THEN each service's targets are in the model, once", () => {
  const model = compilePlatform(TWO_SERVICES);
  type Job = { job_name: string; static_configs?: { targets: string[]; labels: Record<string, string> }[] };
  const scrapeConfigs = () => (yaml.load(renderPrometheusConfig(TWO_SERVICES, { grafanaUrl: GRAFANA_URL })) as { scrape_configs: Job[] }).scrape_configs;
  const jobs = scrapeConfigs();

  it('THEN every environment has its probe, its metrics target if any, and its place in the description', () => {
    expect(model.targets.map((t) => `${t.path} ${t.service}/${t.environment}`)).toEqual(
      TWO_SERVICES.services.flatMap((service, s) => service.environments.map((env, e) => `services[${s}].environments[${e}] ${service.name}/${env.name}`)),
    );
    for (const target of model.targets) {
      const env = TWO_SERVICES.services.find((s) => s.name === target.service)!.environments.find((e) => e.name === target.environment)!;
      expect(target.probeUrl).toBe(env.probeUrl);
      expect(target.metrics?.address).toBe(env.metricsTarget);
    }
  });

  it('THEN the probe job probes exactly the targets of the model, and the app jobs and AppTargetDown scrape and expect exactly its metrics targets', () => {
    const probe = jobs.find((j) => j.job_name === 'blackbox-http')!;
    expect(probe.static_configs!.map((c) => `${c.labels.service}/${c.labels.environment} ${c.targets.join()}`)).toEqual(
      model.targets.map((t) => `${t.service}/${t.environment} ${t.probeUrl}`),
    );
    const scraped = model.targets.filter((t) => t.metrics);
    expect(scraped.length).toBeGreaterThan(0);
    const appJobs = jobs.filter((j) => j.job_name === 'app' || j.job_name.startsWith(APP_TLS_JOB_PREFIX));
    expect(appJobs.flatMap((j) => j.static_configs!.map((c) => `${c.labels.service}/${c.labels.environment} ${c.targets.join()}`)).sort()).toEqual(
      scraped.map((t) => `${t.service}/${t.environment} ${t.metrics!.address}`).sort(),
    );
    expect(model.alertContext.appTargets).toEqual(scraped.map((t) => ({ service: t.service, environment: t.environment })));
  });

  it('THEN the renderers read the targets from the one function the model holds (a planted target reaches the probe job)', () => {
    const real = targets.serviceTargets;
    jest
      .spyOn(targets, 'serviceTargets')
      .mockImplementation((c) => [
        ...real(c),
        { service: 'planted', environment: 'production', path: 'services[9].environments[0]', probeUrl: 'https://planted.example/health' },
      ]);
    expect(
      scrapeConfigs()
        .find((j) => j.job_name === 'blackbox-http')!
        .static_configs!.flatMap((c) => c.targets),
    ).toContain('https://planted.example/health');
  });
});
