import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { credentialPath } from '../../lib/host/secrets';
import { renderIngestCollectorConfig } from '../../lib/telemetry/ingest-collector';
import { OTLP_TLS_CREDENTIALS, otlpEnvironments } from '../../lib/telemetry/otlp-sources';
import { freePort, startDaemon, waitFor, waitForHttp, type Daemon } from '../../bench/processes';
import { makeOtlpHostFiles, postOverTls as post, startHostCollector, startRemoteWritePrometheus } from '../helpers/otlp-host';
import { distributedConfig } from './fixtures';

/**
 * The ingest fleet's side of OTLP, with the pinned collector (scripts/oracles.sh) and Prometheus:
 * GIVEN the host's files made by the rendered lgtm-secrets for examples/distributed.yaml (its CA, its own server
 * certificate, and the ingest nodes' certificate for the load balancer's name, published to a stand-in SSM), a node
 * collector with its rendered config and that certificate, and the host collector behind it
 * THEN a sender that trusts the host's CA and names the load balancer reaches Prometheus through the node, labelled
 * with its environment; plain HTTP and a client that does not trust the CA are refused by the node; the node's spans
 * arrive at the host collector's TLS receiver (no plain hop to Tempo).
 * Only listen addresses, ports, the credential paths (files under a temp root) and the upstream's ports are rewritten.
 */

const config = distributedConfig();
const [staging] = otlpEnvironments(config);
const LOAD_BALANCER = 'otlp-s4-19edge.elb.us-east-1.amazonaws.com';
const RUN = `s4_19edge_${process.pid}`;

const nanos = (ms: number) => `${BigInt(ms) * 1000000n}`;
const gauge = (name: string) =>
  JSON.stringify({
    resourceMetrics: [
      { resource: { attributes: [] }, scopeMetrics: [{ metrics: [{ name, gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: nanos(Date.now()) }] } }] }] },
    ],
  });
const span = () =>
  JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'anvila-api' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                name: `${RUN}-span`,
                kind: 2,
                startTimeUnixNano: nanos(Date.now() - 5),
                endTimeUnixNano: nanos(Date.now()),
              },
            ],
          },
        ],
      },
    ],
  });

describe('live OTLP through an ingest node over TLS (the pinned collector and Prometheus)', () => {
  const base = mkdtempSync(join(tmpdir(), 'lgtm-s4-19edge-ingest-live-'));
  const daemons: Daemon[] = [];
  const token = `${RUN}-staging-token`;
  const authorization = { authorization: `Bearer ${token}` };
  let ca = '';
  let nodeHttp = 0;
  let nodeGrpc = 0;
  let promPort = 0;
  let hostSelfMetrics = 0;

  async function query(expr: string): Promise<{ metric: Record<string, string> }[]> {
    const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { data?: { result: { metric: Record<string, string> }[] } };
    return body.data?.result ?? [];
  }

  beforeAll(async () => {
    const hostFiles = await makeOtlpHostFiles(config, base, { [staging.name]: token }, `DNS:${LOAD_BALANCER}`);
    ca = hostFiles.ca;
    const caFile = join(base, 'published-ca.crt');
    writeFileSync(caFile, `${ca}\n`);

    const prometheus = await startRemoteWritePrometheus(base);
    daemons.push(prometheus.daemon);
    promPort = prometheus.port;
    // The host collector, as in otlp-tls-live.test.ts.
    const host = await startHostCollector(config, base, hostFiles, promPort);
    daemons.push(host.daemon);
    const hostPorts = host.httpPorts;
    hostSelfMetrics = host.selfMetricsPort;

    // The node: its rendered config; the credentials systemd would load from what lgtm-ingest-tls installed.
    const nodeDoc = load(renderIngestCollectorConfig(config, { hostAddress: '127.0.0.1' })) as any;
    const credentials: Record<string, string> = {
      [credentialPath('otelcol', OTLP_TLS_CREDENTIALS.certificate)]: hostFiles.ingest!.certificate,
      [credentialPath('otelcol', OTLP_TLS_CREDENTIALS.key)]: hostFiles.ingest!.key,
    };
    for (const environment of otlpEnvironments(config)) {
      const protocols = nodeDoc.receivers[environment.receiver].protocols;
      for (const protocol of Object.values<any>(protocols)) {
        expect(credentials[protocol.tls.cert_file]).toBeDefined();
        protocol.tls.cert_file = credentials[protocol.tls.cert_file];
        protocol.tls.key_file = credentials[protocol.tls.key_file];
      }
      const http = environment.name === staging.name ? (nodeHttp = await freePort()) : await freePort();
      const grpc = environment.name === staging.name ? (nodeGrpc = await freePort()) : await freePort();
      protocols.http.endpoint = `127.0.0.1:${http}`;
      protocols.grpc.endpoint = `127.0.0.1:${grpc}`;
      const tokenFile = join(base, `node-token-${environment.name}`);
      writeFileSync(tokenFile, environment.name === staging.name ? token : `unused-${environment.name}`, { mode: 0o600 });
      nodeDoc.extensions[environment.authenticator].filename = tokenFile;
      const exporter = nodeDoc.exporters[`otlphttp/host-${environment.name}`];
      expect(exporter.endpoint).toBe(`https://127.0.0.1:${environment.httpPort}`);
      exporter.endpoint = `https://127.0.0.1:${hostPorts[environment.name]}`;
      exporter.tls.ca_file = caFile;
    }
    const nodeHealth = await freePort();
    nodeDoc.extensions.health_check.endpoint = `127.0.0.1:${nodeHealth}`;
    nodeDoc.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port = await freePort();
    writeFileSync(join(base, 'node-otelcol.yml'), dump(nodeDoc));
    const node = startDaemon('otelcol-lgtm', [`--config=${join(base, 'node-otelcol.yml')}`]);
    daemons.push(node);
    await waitForHttp(nodeHealth, '/', 30000, node);
  }, 120000);

  afterAll(async () => {
    for (const daemon of daemons.reverse()) await daemon.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it("THEN a sender trusting the host's CA and naming the load balancer reaches Prometheus through the node, labelled staging", async () => {
    const metric = `${RUN}_through_node`;
    expect(await post(nodeHttp, '/v1/metrics', gauge(metric), authorization, ca, LOAD_BALANCER)).toEqual({ status: 200 });
    const series = await waitFor(metric, async () => ((await query(metric)).length > 0 ? query(metric) : undefined), 90000, 500);
    expect(series.map((s) => s.metric.environment)).toEqual(['staging']);
  }, 120000);

  it('GIVEN plain HTTP, a client that does not trust the CA, or a name the certificate does not carry THEN the node refuses it', async () => {
    const plain = await fetch(`http://127.0.0.1:${nodeHttp}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization },
      body: gauge(`${RUN}_plain`),
    }).then(
      (r) => ({ status: r.status }),
      (error: Error) => ({ status: 0, error: error.message }),
    );
    expect(plain.status).not.toBe(200);
    const untrusted = await post(nodeHttp, '/v1/metrics', gauge(`${RUN}_untrusted`), authorization, undefined, LOAD_BALANCER);
    expect(untrusted.error).toMatch(/certificate/i);
    const wrongName = await post(nodeHttp, '/v1/metrics', gauge(`${RUN}_wrong_name`), authorization, ca, 'monitoring.example.com');
    expect(wrongName.error).toMatch(/altnames|Hostname/i);
    // The gRPC receiver serves TLS too: a plain HTTP/2 request gets no answer but a TLS failure.
    const plainGrpc = await fetch(`http://127.0.0.1:${nodeGrpc}/`).then(
      (r) => r.status,
      () => 0,
    );
    expect(plainGrpc).not.toBe(200);
    expect(await query(`{__name__=~"${RUN}_(plain|untrusted|wrong_name)"}`)).toEqual([]);
  }, 60000);

  it("THEN the node's spans reach the host collector's TLS receiver of their environment", async () => {
    expect(await post(nodeHttp, '/v1/traces', span(), authorization, ca, LOAD_BALANCER)).toEqual({ status: 200 });
    await waitFor(
      'spans accepted by otlp/staging on the host',
      async () => {
        const self = await (await fetch(`http://127.0.0.1:${hostSelfMetrics}/metrics`)).text();
        const accepted = /^otelcol_receiver_accepted_spans(?:_total)?\{[^}]*receiver="otlp\/staging"[^}]*\} (\S+)$/m.exec(self);
        return accepted && Number(accepted[1]) > 0 ? true : undefined;
      },
      60000,
      500,
    );
  }, 90000);
});
