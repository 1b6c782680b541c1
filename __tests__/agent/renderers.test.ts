import { spawnSync } from 'node:child_process';
import { load } from 'js-yaml';
import { AGENT_OTELCOL_MEMORY_LIMIT_MIB, agentResourceAttributes, renderAgentOtelcolConfig } from '../../lib/agent/agent-otelcol';
import { agentNodeExporterArgs, agentServiceSpecs, renderAgentUnit } from '../../lib/agent/agent-units';
import { renderAgentInstallScript } from '../../lib/agent/install-script';
import { AGENT_PATHS, MONITORING_HOST_VARIABLE } from '../../lib/agent/paths';
import { agentTargets, type AgentTarget } from '../../lib/agent/targets';
import { ARTIFACTS } from '../../lib/host/artifacts';
import { PORTS } from '../../lib/contracts/ports';
import { LOG_LABELS } from '../../lib/contracts/data-sources';
import { renderOtelcolConfig } from '../../lib/telemetry/otelcol';
import { otelcolProblems } from '../helpers/otelcol-structure';
import { platformConfig } from '../helpers/platform-fixtures';
import { shellcheck } from '../helpers/shellcheck';
import { verifyUnits } from '../helpers/systemd-verify';
import { TWO_SERVICES, agentConfig, targetOf } from './fixtures';
import { compilePlatform } from '../../lib/model/compile';

const config = agentConfig();
const production = targetOf(config, 'anvila-api-production');
const staging = targetOf(config, 'anvila-api-staging');
const withHostMetrics = targetOf(
  agentConfig((raw) => (raw.services[0].environments[1].agent.hostMetrics = true)),
  'anvila-api-production',
);
const otlpOnly = targetOf(
  agentConfig((raw) => (raw.services[0].environments[1].agent.logs = {})),
  'anvila-api-production',
);
const VARIANTS = [
  ['journald + files', production],
  ['journald only', staging],
  ['OTLP only', otlpOnly],
  ['with hostmetrics', withHostMetrics],
  ['files only (two-services canary)', targetOf(TWO_SERVICES, 'search-canary')],
] as const;
/** The config a target of VARIANTS belongs to (its environment's OTLP receiver is that config's). */
const configOf = (target: AgentTarget) => (agentTargets(config).some((t) => t.id === target.id) ? config : TWO_SERVICES);

describe('GIVEN environments with and without agent in config', () => {
  test('THEN agentTargets lists exactly the environments with an agent, in config order', () => {
    expect(agentTargets(config).map((t) => t.id)).toEqual(['anvila-api-staging', 'anvila-api-production']);
    expect(agentTargets(platformConfig())).toEqual([]);
    expect(agentTargets(TWO_SERVICES).map((t) => `${t.id} ${t.configPath}`)).toEqual([
      'checkout-production services[0].environments[0].agent',
      'search-canary services[1].environments[1].agent',
    ]);
  });
});

describe('the agent collector config', () => {
  const doc = (target = production): any => load(renderAgentOtelcolConfig(configOf(target), target));

  test.each(VARIANTS)('%s: every pipeline component is defined, every defined one used, every key documented', (_name, target) => {
    expect(otelcolProblems(doc(target))).toEqual([]);
  });

  test("the monitoring host's collector config passes the same check", () => {
    expect(otelcolProblems(load(renderOtelcolConfig(config)))).toEqual([]);
  });

  test('the check can fail: an unused receiver, an undefined exporter and an unknown key are reported', () => {
    const broken = doc();
    broken.receivers.prometheus = { config: {} };
    broken.service.pipelines.traces.exporters.push('otlp/nowhere');
    broken.exporters['otlphttp/monitoring'].auth.persistent = true;
    expect(otelcolProblems(broken)).toEqual(
      expect.arrayContaining([
        'receivers.prometheus is defined but no pipeline uses it',
        'pipeline traces uses exporter otlp/nowhere, which is not defined',
        expect.stringContaining('exporters.otlphttp/monitoring.auth: key "persistent" is not documented'),
      ]),
    );
  });

  test('receives OTLP from the app on loopback only', () => {
    expect(doc().receivers.otlp.protocols).toEqual({ grpc: { endpoint: `127.0.0.1:${PORTS.otlpGrpc}` }, http: { endpoint: `127.0.0.1:${PORTS.otlpHttp}` } });
  });

  test('reads the configured journald units and log files, remembering its position on disk', () => {
    const d = doc();
    expect(d.receivers.journald).toMatchObject({ units: ['anvila-api.service'], storage: 'file_storage' });
    expect(d.receivers.filelog).toMatchObject({ include: ['/var/log/anvila/*.log'], storage: 'file_storage' });
    expect(d.service.pipelines.logs.receivers).toEqual(['otlp', 'journald', 'filelog']);
    expect(doc(otlpOnly).receivers).toEqual({ otlp: expect.anything() });
    expect(doc(withHostMetrics).service.pipelines.metrics.receivers).toEqual(['otlp', 'hostmetrics']);
  });

  test("forwards every signal to its environment's OTLP HTTP port on the host over verified TLS with that environment's token, retrying without limit from an on-disk queue", () => {
    const d = doc();
    for (const pipeline of Object.values<any>(d.service.pipelines)) {
      expect(pipeline.exporters).toEqual(['otlphttp/monitoring']);
      expect(pipeline.processors).toEqual(['memory_limiter', 'resourcedetection', 'resource', 'batch']);
    }
    const exporter = d.exporters['otlphttp/monitoring'];
    // production is the config's second environment: the second pair of OTLP ports.
    expect(exporter.endpoint).toBe(`https://\${env:${MONITORING_HOST_VARIABLE}}:${PORTS.otlpHttp + 2}`);
    expect(exporter.tls).toEqual({ ca_file: AGENT_PATHS.otlpCaCertificate, min_version: '1.2' });
    expect(exporter.auth).toEqual({ authenticator: 'bearertokenauth/production' });
    // The token is the collector's systemd credential, filled from <host.otlpTokenParameter>/production by the install script.
    expect(d.extensions['bearertokenauth/production']).toEqual({ filename: '/run/credentials/lgtm-agent-otelcol.service/otlp-token-production' });
    expect((load(renderAgentOtelcolConfig(config, staging)) as any).exporters['otlphttp/monitoring'].endpoint).toBe(
      `https://\${env:${MONITORING_HOST_VARIABLE}}:${PORTS.otlpHttp}`,
    );
    expect(exporter.retry_on_failure).toMatchObject({ enabled: true, max_elapsed_time: '0s' });
    expect(exporter.sending_queue).toMatchObject({ enabled: true, storage: 'file_storage' });
    expect(d.extensions.file_storage.directory).toBe(AGENT_PATHS.otelcolStorage);
    expect(d.service.extensions).toEqual(['health_check', 'file_storage', 'bearertokenauth/production']);
    expect(d.processors.memory_limiter.limit_mib).toBe(AGENT_OTELCOL_MEMORY_LIMIT_MIB);
  });

  test("sets service and environment as the platform's label contract expects them", () => {
    const attributes = doc().processors.resource.attributes;
    expect(attributes).toEqual(Object.entries(agentResourceAttributes(production)).map(([key, value]) => ({ key, value, action: 'upsert' })));
    expect(agentResourceAttributes(production)).toEqual({
      'service.name': 'anvila-api',
      'deployment.environment': 'production',
      service: 'anvila-api',
      environment: 'production',
    });
    // Loki turns the OTLP resource attributes service.name / deployment.environment into these index labels.
    for (const key of ['service.name', 'deployment.environment']) expect(LOG_LABELS).toContain(key.replace(/\./g, '_'));
    expect(doc().processors.resourcedetection.detectors).toEqual(['ec2', 'system']);
  });
});

describe('the agent units', () => {
  test.each(VARIANTS)('%s: both units pass systemd-analyze verify with no warning', (_name, target) => {
    const units = agentServiceSpecs(target).map((spec) => ({ path: `${AGENT_PATHS.systemdDir}/${spec.unit}.service`, content: renderAgentUnit(spec) }));
    expect(verifyUnits(units)).toEqual({ code: 0, problems: [] });
  });

  test("carry the host's hardening and may talk only to loopback (the install adds the monitoring host)", () => {
    for (const spec of agentServiceSpecs(production)) {
      const unit = renderAgentUnit(spec);
      for (const line of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'MemoryDenyWriteExecute=yes', 'IPAddressDeny=any', `User=${spec.user}`])
        expect(unit).toContain(line);
      expect(unit).toMatch(/^IPAddressAllow=localhost/m);
    }
  });

  test("GIVEN the app server's Node Exporter THEN it sees the host's mounts, /home read-only and the clock state, like the monitoring host's", () => {
    const unit = renderAgentUnit(agentServiceSpecs(production)[0]);
    for (const line of ['ProtectProc=default', 'ProtectHome=read-only', 'SystemCallFilter=@system-service adjtimex']) expect(unit).toContain(line);
    expect(unit).not.toContain('ProtectClock=');
    expect(renderAgentUnit(agentServiceSpecs(production)[1])).toContain('ProtectProc=invisible');
  });

  test('Node Exporter listens on the exporter port for the monitoring host; the collector reads its config and the host address', () => {
    const [node, otelcol] = agentServiceSpecs(production);
    expect(agentNodeExporterArgs()).toEqual([`--web.listen-address=0.0.0.0:${PORTS.nodeExporter}`]);
    expect(node.exec).toEqual(['/opt/lgtm-agent/node_exporter/current/node_exporter', ...agentNodeExporterArgs()]);
    expect(otelcol.exec).toEqual(['/opt/lgtm-agent/otelcol-contrib/current/otelcol-contrib', `--config=${AGENT_PATHS.otelcolConfig}`]);
    const unit = renderAgentUnit(otelcol);
    expect(unit).toContain(`EnvironmentFile=${AGENT_PATHS.environmentFile}`);
    expect(unit).toContain(`ReadWritePaths=${AGENT_PATHS.otelcolStorage}`);
  });

  test('the collector gets journal access only with journald units, and file-read capability only with files', () => {
    const otelcol = (target: typeof production) => renderAgentUnit(agentServiceSpecs(target)[1]);
    expect(otelcol(production)).toContain('SupplementaryGroups=systemd-journal');
    expect(otelcol(production)).toContain('AmbientCapabilities=CAP_DAC_READ_SEARCH');
    expect(otelcol(staging)).toContain('SupplementaryGroups=systemd-journal');
    expect(otelcol(staging)).toMatch(/^CapabilityBoundingSet=$/m);
    expect(otelcol(otlpOnly)).not.toContain('SupplementaryGroups');
  });

  test("the executables sit at the same path in both architectures' archives (the unit is written before uname -m is known)", () => {
    for (const name of ['node_exporter', 'otelcol-contrib']) {
      const spec = ARTIFACTS.find((a) => a.name === name)!;
      expect(spec.executables('arm64')).toEqual(spec.executables('x86_64'));
    }
  });
});

describe('lgtm-agent-install', () => {
  test.each(VARIANTS)('%s: shellcheck-clean at every severity', (_name, target) => {
    expect(shellcheck('lgtm-agent-install', renderAgentInstallScript(compilePlatform(configOf(target)), target))).toEqual({ status: 0, output: '' });
  });

  test('with the S3 mirror of two-services: shellcheck-clean and downloads from the mirror', () => {
    const script = renderAgentInstallScript(compilePlatform(TWO_SERVICES), targetOf(TWO_SERVICES, 'checkout-production'));
    expect(shellcheck('lgtm-agent-install', script)).toEqual({ status: 0, output: '' });
    expect(script).toContain("'s3://shop-artifacts/lgtm-artifacts/node_exporter/1.12.1/node_exporter-1.12.1.linux-arm64.tar.gz'");
    expect(script).toContain("'s3://shop-artifacts/lgtm-artifacts/otelcol-contrib/0.160.0/otelcol-contrib_0.160.0_linux_amd64.tar.gz'");
  });

  test('stages both pinned programs for both architectures, verified like the host, and nothing else', () => {
    const script = renderAgentInstallScript(compilePlatform(config), production);
    const staged = [...script.matchAll(/^ {4}stage_artifact '([^']+)' '([^']+)' '([^']+)'/gm)].map((m) => m[3]);
    expect(staged).toEqual([
      'node_exporter-1.12.1.linux-amd64.tar.gz',
      'otelcol-contrib_0.160.0_linux_amd64.tar.gz',
      'node_exporter-1.12.1.linux-arm64.tar.gz',
      'otelcol-contrib_0.160.0_linux_arm64.tar.gz',
    ]);
    expect(script).toContain('checksum mismatch for $file');
  });

  test('bash parses it and it refuses to run without a valid monitoring host address', () => {
    const script = renderAgentInstallScript(compilePlatform(config), production);
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    const run = (args: string[]) =>
      spawnSync('bash', ['-s', '--', ...args], {
        input: script,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          LGTM_ROOT: '/nonexistent',
          LGTM_SYSTEMCTL: 'false',
          LGTM_USERADD: 'false',
          LGTM_GETENT: 'false',
          LGTM_CHOWN: 'false',
          LGTM_AWS: 'false',
        },
      });
    for (const bad of [[], ['--monitoring-host', '10.0.0.1; reboot'], ['--monitoring-host', 'monitoring.internal'], ['--bogus']]) {
      const result = run(bad);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/lgtm-agent-install: ERROR: (expected --monitoring-host|unknown argument)/);
    }
  });
});
