import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { renderAgentOtelcolConfig } from '../../lib/agent/agent-otelcol';
import { AGENT_PATHS, MONITORING_HOST_VARIABLE } from '../../lib/agent/paths';
import { agentTargets } from '../../lib/agent/targets';
import { serviceSpecs } from '../../lib/host/systemd-units';
import { OTLP_MAX_REQUEST_MIB, OTLP_TLS_CREDENTIALS, otlpEnvironments } from '../../lib/telemetry/otlp-sources';
import { waitFor, type Daemon } from '../../bench/processes';
import { platformConfig } from '../helpers/platform-fixtures';
import { makeOtlpHostFiles, postOverTls as post, startHostCollector, startLocalAgent, startRemoteWritePrometheus } from '../helpers/otlp-host';

/**
 * OTLP on the wire, with the pinned collector (scripts/oracles.sh) and Prometheus:
 * GIVEN the host's certificates and tokens made by the rendered lgtm-secrets (its OTLP CA, a server certificate
 * for the host's address, one token file per environment; the CA certificate published to a stand-in SSM), the
 * host collector's rendered config (one TLS receiver per environment) and a staging app server's agent config
 * (verifying the host against the published CA, presenting the staging token)
 * THEN what the app sends reaches Prometheus over TLS labelled `environment="staging"`;
 * a client that does not trust the CA, plain HTTP, TLS 1.1 and an oversized request are refused;
 * the staging token opens only the staging receiver, and a staging sender claiming `environment="production"`
 * is stored as staging.
 * Only listen addresses, ports, the credential paths (files under a temp root) and the exporters' targets
 * are rewritten; the agent's resourcedetection keeps its `system` detector only (no instance metadata here).
 */

const config = platformConfig((raw) => {
  raw.services[0].environments[0].agent = { selector: { tag: { Role: 'anvila-api', Env: 'staging' } } };
});
const target = agentTargets(config)[0];
const [staging, production] = otlpEnvironments(config);
const RUN = `s3_issue_19c_${process.pid}`;

const nanos = (ms: number) => `${BigInt(ms) * 1000000n}`;
function gaugePayload(name: string, resource: Record<string, string>) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: Object.entries(resource).map(([key, value]) => ({ key, value: { stringValue: value } })) },
        scopeMetrics: [{ metrics: [{ name, gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: nanos(Date.now()) }] } }] }],
      },
    ],
  };
}

describe('live OTLP over TLS with a token per environment (the pinned collector and Prometheus)', () => {
  const base = mkdtempSync(join(tmpdir(), 'lgtm-s3-issue-19c-tls-'));
  const daemons: Daemon[] = [];
  const tokens = { [staging.name]: `${RUN}-staging-token`, [production.name]: `${RUN}-production-token` };
  const hostPorts: Record<string, number> = {};
  let stagingGrpcPort = 0;
  let promPort = 0;
  let agentHttp = 0;
  let ca = '';
  let hostSelfMetrics = 0;

  async function query(expr: string): Promise<{ metric: Record<string, string> }[]> {
    const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { data?: { result: { metric: Record<string, string> }[] } };
    return body.data?.result ?? [];
  }
  const arrived = (expr: string) => waitFor(expr, async () => ((await query(expr)).length > 0 ? query(expr) : undefined), 90000, 500);

  beforeAll(async () => {
    // lgtm-secrets as the host runs it: tokens from SSM, the CA and server certificate on the data volume.
    const hostFiles = await makeOtlpHostFiles(config, base, tokens);
    ca = hostFiles.ca;
    const unitCredentials = serviceSpecs(config).find((s) => s.unit === 'otelcol')!.hostCredentials ?? [];
    expect(unitCredentials.map((c) => c.name).sort()).toEqual([OTLP_TLS_CREDENTIALS.certificate, OTLP_TLS_CREDENTIALS.key].sort());

    const prometheus = await startRemoteWritePrometheus(base);
    daemons.push(prometheus.daemon);
    promPort = prometheus.port;

    // The host collector: its credentials are what systemd would load (LoadCredential) from lgtm-secrets' files.
    const host = await startHostCollector(config, base, hostFiles, promPort);
    daemons.push(host.daemon);
    for (const environment of [staging, production]) expect(host.rendered.receivers[environment.receiver].protocols.http.tls.min_version).toBe('1.2');
    Object.assign(hostPorts, host.httpPorts);
    stagingGrpcPort = host.grpcPorts[staging.name];
    hostSelfMetrics = host.selfMetricsPort;

    // The staging agent: the CA as its install script writes it from the published parameter, the staging token.
    const exporter = (load(renderAgentOtelcolConfig(config, target)) as any).exporters['otlphttp/monitoring'];
    expect(exporter.endpoint).toBe(`https://\${env:${MONITORING_HOST_VARIABLE}}:${staging.httpPort}`);
    expect(exporter.tls).toEqual({ ca_file: AGENT_PATHS.otlpCaCertificate, min_version: '1.2' });
    const agent = await startLocalAgent(config, target, base, { hostHttpPort: hostPorts[staging.name], ca, token: tokens[staging.name] });
    daemons.push(agent.daemon);
    agentHttp = agent.httpPort;
  }, 120000);

  afterAll(async () => {
    for (const daemon of daemons.reverse()) await daemon.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('THEN an app sending to the staging agent reaches Prometheus through the TLS receiver, labelled staging', async () => {
    const metric = `${RUN}_through_agent`;
    const res = await fetch(`http://127.0.0.1:${agentHttp}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(gaugePayload(metric, { 'service.name': 'set-by-the-app' })),
    });
    expect(res.status).toBe(200);
    const series = await arrived(metric);
    expect(series.map((s) => s.metric.environment)).toEqual(['staging']);
    // The collector's own metrics (scraped as job otelcol) count what each environment's receiver accepted.
    const self = await (await fetch(`http://127.0.0.1:${hostSelfMetrics}/metrics`)).text();
    const accepted = /^otelcol_receiver_accepted_metric_points(?:_total)?\{[^}]*receiver="otlp\/staging"[^}]*\} (\S+)$/m.exec(self);
    if (!accepted)
      throw new Error(
        `no accepted points of otlp/staging in:\n${self
          .split('\n')
          .filter((l) => l.includes('receiver'))
          .join('\n')}`,
      );
    expect(Number(accepted[1])).toBeGreaterThan(0);
  }, 120000);

  it('GIVEN a client that does not trust the host CA, or plain HTTP, or TLS 1.1 THEN the host refuses it, on the HTTP and the gRPC receiver', async () => {
    const body = JSON.stringify(gaugePayload(`${RUN}_refused`, {}));
    const authorization = { authorization: `Bearer ${tokens[staging.name]}` };
    const untrusted = await post(hostPorts[staging.name], '/v1/metrics', body, authorization);
    expect(untrusted.error).toMatch(/certificate/i);
    const plain = await fetch(`http://127.0.0.1:${hostPorts[staging.name]}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization },
      body,
    }).then(
      (r) => ({ status: r.status }),
      (error: Error) => ({ status: 0, error: error.message }),
    );
    expect(plain.status).not.toBe(200);
    // A TLS handshake alone, on the HTTP and the gRPC receiver: what a client trusting the CA gets, and what TLS 1.1 or no CA gets.
    const handshake = (port: number, options: { ca?: string; maxVersion?: 'TLSv1.1' }) =>
      new Promise<string>((resolve) => {
        const socket = connect({
          host: '127.0.0.1',
          port,
          ALPNProtocols: ['h2', 'http/1.1'],
          ...(options.ca ? { ca: options.ca } : {}),
          ...(options.maxVersion ? { minVersion: 'TLSv1', maxVersion: options.maxVersion } : {}),
        });
        socket.on('secureConnect', () => {
          resolve(`connected ${socket.getProtocol()}`);
          socket.destroy();
        });
        socket.on('error', (error) => resolve(error.message));
      });
    for (const port of [hostPorts[staging.name], stagingGrpcPort]) {
      expect(await handshake(port, { ca })).toMatch(/^connected TLSv1\.[23]$/);
      expect(await handshake(port, {})).toMatch(/certificate/i);
      expect(await handshake(port, { ca, maxVersion: 'TLSv1.1' })).not.toMatch(/^connected/);
    }
    // The same request from a client that trusts the CA is accepted: the refusals above are about trust alone.
    expect(await post(hostPorts[staging.name], '/v1/metrics', body, authorization, ca)).toEqual({ status: 200 });
    expect(await arrived(`${RUN}_refused`)).toHaveLength(1);
  }, 60000);

  it(`GIVEN a request over ${OTLP_MAX_REQUEST_MIB} MiB THEN the receiver refuses it; one just under passes`, async () => {
    const padded = (name: string, bytes: number) => JSON.stringify(gaugePayload(name, { padding: 'x'.repeat(bytes) }));
    const authorization = { authorization: `Bearer ${tokens[staging.name]}` };
    const limit = OTLP_MAX_REQUEST_MIB * 1024 * 1024;
    const huge = await post(hostPorts[staging.name], '/v1/metrics', padded(`${RUN}_huge`, limit + 1024), authorization, ca);
    expect(huge.status ?? huge.error).toBe(400);
    expect(await post(hostPorts[staging.name], '/v1/metrics', padded(`${RUN}_large`, limit - 64 * 1024), authorization, ca)).toEqual({ status: 200 });
  }, 60000);

  it('GIVEN the staging token THEN it opens only the staging receiver, and a claim of environment="production" is stored as staging', async () => {
    const forged = `${RUN}_forged`;
    const claim = JSON.stringify(gaugePayload(forged, { environment: 'production', 'deployment.environment': 'production', service: 'anvila-api' }));
    const onProduction = await post(hostPorts[production.name], '/v1/metrics', claim, { authorization: `Bearer ${tokens[staging.name]}` }, ca);
    expect(onProduction.status).toBe(401);
    const onStaging = await post(hostPorts[staging.name], '/v1/metrics', claim, { authorization: `Bearer ${tokens[staging.name]}` }, ca);
    expect(onStaging.status).toBe(200);
    const series = await arrived(forged);
    expect(series.map((s) => s.metric.environment)).toEqual(['staging']);
    expect(await query(`${forged}{environment="production"}`)).toEqual([]);
    // The production token writes production: the label follows the token, not a constant.
    const genuine = `${RUN}_genuine`;
    expect(
      await post(
        hostPorts[production.name],
        '/v1/metrics',
        JSON.stringify(gaugePayload(genuine, { environment: 'staging' })),
        { authorization: `Bearer ${tokens[production.name]}` },
        ca,
      ),
    ).toEqual({ status: 200 });
    expect((await arrived(genuine)).map((s) => s.metric.environment)).toEqual(['production']);
  }, 120000);
});
