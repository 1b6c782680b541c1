import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAgentOtelcolConfig } from '../../lib/agent/agent-otelcol';
import { agentServiceSpecs, renderAgentUnit } from '../../lib/agent/agent-units';
import { renderAgentInstallScript } from '../../lib/agent/install-script';
import { AGENT_PATHS } from '../../lib/agent/paths';
import { resolveArtifacts } from '../../lib/host/artifacts';
import { buildTestArtifact, run, startTestServer, sha256, type RunResult, type TestServer } from '../host/helpers/artifact-server';
import { createFakeSystem, type FakeSystem } from '../host/helpers/fake-system';
import { MONITORING_IP, agentConfig, targetOf } from './fixtures';
import { compilePlatform } from '../../lib/model/compile';

/** Calls that change the machine; a run with nothing to do must make none of them. */
const MUTATING = /^(systemctl (enable|start|restart|try-restart|daemon-reload)|useradd)/;
const ARCH = process.arch === 'arm64' ? 'arm64' : 'x86_64';
/** What the fake SSM returns for the OTLP token parameter. */
const OTLP_TOKEN_VALUE = 'test-otlp-token-4b1d';
/** What the fake SSM returns for the host's published OTLP CA certificate. */
const OTLP_CA_VALUE = '-----BEGIN CERTIFICATE-----\nMIIB-test\n-----END CERTIFICATE-----';

/**
 * GIVEN an app server as a temporary root (fake systemctl/useradd/getent/chown, a local artifact server)
 * WHEN the rendered lgtm-agent-install runs as the SSM association runs it
 * THEN it installs, configures and starts the agent, and a second run changes nothing.
 */
describe('lgtm-agent-install, run for real under a temporary root', () => {
  const config = agentConfig();
  const target = targetOf(config, 'anvila-api-production');
  const script = renderAgentInstallScript(compilePlatform(config), target);
  const base = mkdtempSync(join(tmpdir(), 'lgtm-agent-'));
  const root = join(base, 'root');
  const scriptPath = join(base, 'lgtm-agent-install');
  let fake: FakeSystem;
  let server: TestServer;
  let first: RunResult;
  const install = (address: string) =>
    run('bash', [scriptPath, '--monitoring-host', address], { ...fake.env, LGTM_ROOT: root, LGTM_DOWNLOAD_BASE: server.base });
  const file = (path: string) => readFileSync(join(root, path), 'utf8');
  const artifacts = resolveArtifacts(config, undefined, ARCH).filter((a) => a.name === 'node_exporter' || a.name === 'otelcol-contrib');

  beforeAll(async () => {
    fake = createFakeSystem(base);
    writeFileSync(join(fake.ssm, '_anvila_otlp-token_production'), OTLP_TOKEN_VALUE);
    writeFileSync(join(fake.ssm, '_anvila_otlp-ca-certificate'), OTLP_CA_VALUE);
    const served = new Map<string, Buffer>();
    for (const artifact of artifacts) for (const [k, v] of buildTestArtifact(base, artifact)) served.set(k, v);
    server = await startTestServer(served);
    writeFileSync(scriptPath, script, { mode: 0o755 });
    first = await install(MONITORING_IP);
  }, 60000);
  afterAll(async () => {
    await server.close();
    rmSync(base, { recursive: true, force: true });
  });

  test('THEN it succeeds, downloading only Node Exporter and the collector for this CPU, each checked against its checksum', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(server.requests.map((r) => r.url).sort()).toEqual(artifacts.flatMap((a) => [`/${a.mirrorPath}`, `/${a.mirrorChecksumPath}`]).sort());
    for (const artifact of artifacts) {
      expect(readlinkSync(join(root, 'opt/lgtm-agent', artifact.name, 'current'))).toBe(artifact.version);
      expect(file(`opt/lgtm-agent/${artifact.name}/current/.lgtm-verified`)).toBe(
        `${sha256(server.files.get(`/${artifact.mirrorPath}`)!)}  ${artifact.file}\n`,
      );
    }
  });

  test('THEN each program has its own system user, and the collector its queue directory', () => {
    const calls = fake.calls();
    for (const user of ['lgtm-node-exporter', 'lgtm-otelcol'])
      expect(calls).toContain(`useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${user}`);
    expect(statSync(join(root, AGENT_PATHS.otelcolStorage)).mode & 0o777).toBe(0o750);
    expect(calls).toContain(`chown -R lgtm-otelcol:lgtm-otelcol ${root}${AGENT_PATHS.otelcolStorage}`);
  });

  test('THEN the rendered units and collector config are in place, with the monitoring host address from the association', () => {
    for (const spec of agentServiceSpecs(target)) {
      expect(file(`${AGENT_PATHS.systemdDir}/${spec.unit}.service`)).toBe(renderAgentUnit(spec));
      expect(file(`${AGENT_PATHS.systemdDir}/${spec.unit}.service.d/monitoring-host.conf`)).toMatch(
        new RegExp(`^\\[Service\\]\\nIPAddressAllow=${MONITORING_IP.replace(/\./g, '\\.')}\\n$`, 'm'),
      );
    }
    expect(file(AGENT_PATHS.otelcolConfig)).toBe(renderAgentOtelcolConfig(config, target));
    expect(file(AGENT_PATHS.environmentFile)).toBe(`LGTM_MONITORING_HOST=${MONITORING_IP}\n`);
  });

  test("THEN its environment's OTLP token is read from SSM into a root-only file the collector loads as a credential, and never printed", () => {
    expect(fake.calls()).toContain(
      'aws ssm get-parameter --region us-east-1 --name /anvila/otlp-token/production --with-decryption --query Parameter.Value --output text',
    );
    expect(file(AGENT_PATHS.otlpToken)).toBe(OTLP_TOKEN_VALUE);
    expect(statSync(join(root, AGENT_PATHS.otlpToken)).mode & 0o777).toBe(0o600);
    expect(file(`${AGENT_PATHS.systemdDir}/lgtm-agent-otelcol.service`)).toContain(`LoadCredential=otlp-token-production:${AGENT_PATHS.otlpToken}`);
    expect(`${first.stdout}${first.stderr}${fake.calls().join('\n')}`).not.toContain(OTLP_TOKEN_VALUE);
  });

  test("THEN the host's published OTLP CA certificate is written where the collector's exporter verifies the host against it", () => {
    expect(fake.calls()).toContain('aws ssm get-parameter --region us-east-1 --name /anvila/otlp-ca-certificate --query Parameter.Value --output text');
    expect(file(AGENT_PATHS.otlpCaCertificate)).toBe(`${OTLP_CA_VALUE}\n`);
    expect(file(AGENT_PATHS.otelcolConfig)).toContain(`ca_file: ${AGENT_PATHS.otlpCaCertificate}`);
  });

  test('THEN systemd is reloaded and both services are enabled and started', () => {
    const calls = fake.calls();
    expect(calls).toContain('systemctl daemon-reload');
    for (const unit of ['lgtm-agent-node-exporter.service', 'lgtm-agent-otelcol.service']) {
      expect(calls).toContain(`systemctl enable ${unit}`);
      expect(calls).toContain(`systemctl start ${unit}`);
    }
  });

  describe('WHEN the association runs it again', () => {
    let second: RunResult;
    beforeAll(async () => {
      fake.resetCalls();
      server.requests.length = 0;
      second = await install(MONITORING_IP);
    }, 60000);

    test('THEN it downloads nothing and makes no change', () => {
      expect(second.code).toBe(0);
      expect(server.requests).toEqual([]);
      expect(fake.calls().filter((c) => MUTATING.test(c))).toEqual([]);
      expect(second.stdout).not.toContain('wrote');
    });
  });

  describe('WHEN the monitoring host was replaced (new private IP)', () => {
    let third: RunResult;
    beforeAll(async () => {
      fake.resetCalls();
      third = await install('10.0.3.99');
    }, 60000);

    test('THEN only the address changes, and both services restart onto it', () => {
      expect(third.code).toBe(0);
      expect(file(AGENT_PATHS.environmentFile)).toBe('LGTM_MONITORING_HOST=10.0.3.99\n');
      expect(file(`${AGENT_PATHS.systemdDir}/lgtm-agent-otelcol.service.d/monitoring-host.conf`)).toContain('IPAddressAllow=10.0.3.99');
      const mutating = fake.calls().filter((c) => MUTATING.test(c));
      expect(mutating).toEqual(
        expect.arrayContaining([
          'systemctl daemon-reload',
          'systemctl try-restart lgtm-agent-otelcol.service',
          'systemctl try-restart lgtm-agent-node-exporter.service',
        ]),
      );
      expect(mutating.filter((c) => c.startsWith('useradd') || c.startsWith('systemctl enable'))).toEqual([]);
    });
  });
});

describe('lgtm-agent-install when the OTLP token parameter cannot be read', () => {
  test('THEN it stops, says which parameter and what the role needs, and writes no collector config', async () => {
    const config = agentConfig();
    const base = mkdtempSync(join(tmpdir(), 'lgtm-agent-notoken-'));
    const fake = createFakeSystem(base);
    const artifacts = resolveArtifacts(config, undefined, ARCH).filter((a) => a.name === 'node_exporter' || a.name === 'otelcol-contrib');
    const served = new Map<string, Buffer>();
    for (const artifact of artifacts) for (const [k, v] of buildTestArtifact(base, artifact)) served.set(k, v);
    const server = await startTestServer(served);
    try {
      const scriptPath = join(base, 'lgtm-agent-install');
      writeFileSync(scriptPath, renderAgentInstallScript(compilePlatform(config), targetOf(config, 'anvila-api-staging')), { mode: 0o755 });
      const result = await run('bash', [scriptPath, '--monitoring-host', MONITORING_IP], {
        ...fake.env,
        LGTM_ROOT: join(base, 'root'),
        LGTM_DOWNLOAD_BASE: server.base,
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('cannot read the OTLP token parameter /anvila/otlp-token');
      expect(existsSync(join(base, 'root', AGENT_PATHS.otelcolConfig))).toBe(false);
    } finally {
      await server.close();
      rmSync(base, { recursive: true, force: true });
    }
  }, 60000);
});

describe('lgtm-agent-install given a download whose checksum does not match', () => {
  test('THEN it stops before unpacking anything, names the file, and starts nothing', async () => {
    const config = agentConfig();
    const target = targetOf(config, 'anvila-api-staging');
    const base = mkdtempSync(join(tmpdir(), 'lgtm-agent-bad-'));
    const fake = createFakeSystem(base);
    const served = new Map<string, Buffer>();
    const artifacts = resolveArtifacts(config, undefined, ARCH).filter((a) => a.name === 'node_exporter' || a.name === 'otelcol-contrib');
    for (const artifact of artifacts) for (const [k, v] of buildTestArtifact(base, artifact, 'genuine')) served.set(k, v);
    const otelcol = artifacts.find((a) => a.name === 'otelcol-contrib')!;
    served.set(`/${otelcol.mirrorPath}`, buildTestArtifact(base, otelcol, 'tampered').get(`/${otelcol.mirrorPath}`)!);
    const server = await startTestServer(served);
    try {
      const scriptPath = join(base, 'lgtm-agent-install');
      writeFileSync(scriptPath, renderAgentInstallScript(compilePlatform(config), target), { mode: 0o755 });
      const result = await run('bash', [scriptPath, '--monitoring-host', MONITORING_IP], {
        ...fake.env,
        LGTM_ROOT: join(base, 'root'),
        LGTM_DOWNLOAD_BASE: server.base,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`checksum mismatch for ${otelcol.file} (otelcol-contrib ${otelcol.version})`);
      expect(() => readlinkSync(join(base, 'root/opt/lgtm-agent/otelcol-contrib/current'))).toThrow();
      expect(() => readlinkSync(join(base, 'root/opt/lgtm-agent/node_exporter/current'))).toThrow();
      expect(fake.calls().filter((c) => /^systemctl (enable|start)/.test(c))).toEqual([]);
    } finally {
      await server.close();
      rmSync(base, { recursive: true, force: true });
    }
  }, 60000);
});
