import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dump, load } from 'js-yaml';
import { agentResourceAttributes } from '../../lib/agent/agent-otelcol';
import { agentTargets } from '../../lib/agent/targets';
import { PORTS } from '../../lib/contracts/ports';
import { serviceSpecs } from '../../lib/host/systemd-units';
import { renderPrometheusConfig } from '../../lib/prometheus/scrape-config';
import { renderOtelcolConfig } from '../../lib/telemetry/otelcol';
import { otlpEnvironment, otlpEnvironments } from '../../lib/telemetry/otlp-sources';
import { makeOtlpHostFiles, postOverTls, startLocalAgent, useOtlpHostFiles } from '../helpers/otlp-host';
import { freePort, startDaemon, waitFor, waitForHttp, type Daemon } from '../../bench/processes';
import { platformConfig } from '../helpers/platform-fixtures';

/**
 * GIVEN an app server's agent collector and the monitoring host's collector, both the pinned collector
 * (scripts/oracles.sh) with their rendered configs, talking OTLP over TLS with the certificate and the token
 * the rendered lgtm-secrets makes (__tests__/helpers/otlp-host.ts), the pinned Prometheus with the rendered storage settings
 * and remote-write receiver, and a local OTLP sink standing in for Loki (OTLP/HTTP) and Tempo (OTLP gRPC)
 * WHEN an app sends OTLP metrics (a counter, an exponential histogram), logs and traces to the agent on 127.0.0.1
 * THEN Prometheus stores the metrics (the histogram as a native one) and the sink receives the logs and spans,
 * all carrying the platform's `service`/`environment` attributes; a sample replayed two hours late is stored;
 * and what the app sends while the host collector is stopped arrives once it is back.
 *
 * Only listen addresses, ports, credential paths and the agent's queue directory are rewritten (to free loopback
 * ports and a temp dir), and the agent's resourcedetection keeps its `system` detector only: the `ec2` one would ask the
 * instance metadata address, which a test never contacts.
 */

const config = platformConfig((raw) => {
  raw.services[0].environments[0].agent = { selector: { tag: { Role: 'anvila-api', Env: 'staging' } } };
});
const target = agentTargets(config)[0];
const attributes = agentResourceAttributes(target);
const RUN = `issue17-${process.pid}`;

type Field = [number, number | Buffer];

/** The fields of one protobuf message: varints as numbers, length-delimited ones as bytes. */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = () => {
    let value = 0;
    let factor = 1;
    for (;;) {
      const byte = buf[i++];
      value += (byte & 0x7f) * factor;
      if (!(byte & 0x80)) return value;
      factor *= 128;
    }
  };
  while (i < buf.length) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 0) out.push([tag >>> 3, varint()]);
    else if (wire === 2) {
      const length = varint();
      out.push([tag >>> 3, buf.subarray(i, i + length)]);
      i += length;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`protobuf wire type ${wire} not expected in OTLP`);
  }
  return out;
}
const messages = (buf: Buffer, field: number) =>
  fields(buf)
    .filter(([f, v]) => f === field && Buffer.isBuffer(v))
    .map(([, v]) => v as Buffer);

/**
 * Resource attributes (string values) of every resource in an OTLP export request: ExportLogs/TraceServiceRequest
 * field 1 = Resource{Logs,Spans}; its field 1 = Resource; Resource field 1 = KeyValue{1: key, 2: AnyValue{1: string}}.
 */
function resourceAttributes(request: Buffer): Record<string, string>[] {
  return messages(request, 1).map((resourceData) => {
    const resource = messages(resourceData, 1)[0] ?? Buffer.alloc(0);
    const attrs: Record<string, string> = {};
    for (const kv of messages(resource, 1)) {
      const value = messages(messages(kv, 2)[0] ?? Buffer.alloc(0), 1)[0];
      attrs[messages(kv, 1)[0].toString()] = value?.toString() ?? '';
    }
    return attrs;
  });
}

/** What the sink received: each request's body (decompressed) and its resources' attributes. */
interface Received {
  readonly body: Buffer;
  readonly resources: Record<string, string>[];
}

class OtlpSink {
  readonly logs: Received[] = [];
  readonly spans: Received[] = [];
  private http?: Server;
  private grpc?: http2.Http2Server;
  httpPort = 0;
  grpcPort = 0;

  async start(): Promise<void> {
    this.httpPort = await freePort();
    this.grpcPort = await freePort();
    // Loki's OTLP endpoint: POST /otlp/v1/logs, protobuf, maybe gzip.
    this.http = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: Buffer = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (req.url === '/otlp/v1/logs') this.logs.push({ body, resources: resourceAttributes(body) });
        res.writeHead(req.url === '/otlp/v1/logs' ? 200 : 404, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => this.http!.listen(this.httpPort, '127.0.0.1', resolve));
    // Tempo's OTLP gRPC receiver: one unary call, a length-prefixed (maybe gzip) message in, an empty reply out.
    this.grpc = http2.createServer();
    this.grpc.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const frame = Buffer.concat(chunks);
        let body: Buffer = frame.subarray(5, 5 + frame.readUInt32BE(1));
        if (frame[0] === 1 && headers['grpc-encoding'] === 'gzip') body = gunzipSync(body);
        if (headers[':path'] === '/opentelemetry.proto.collector.trace.v1.TraceService/Export') this.spans.push({ body, resources: resourceAttributes(body) });
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
    await new Promise<void>((resolve) => this.grpc!.listen(this.grpcPort, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.http?.close(resolve));
    await new Promise((resolve) => this.grpc?.close(resolve));
  }
}

const nanos = (ms: number) => `${BigInt(ms) * 1000000n}`;
const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'set-by-the-app' } }] };

function metricsPayload(marker: string, at: number) {
  return {
    resourceMetrics: [
      {
        resource,
        scopeMetrics: [
          {
            metrics: [
              {
                name: `${marker}_requests`,
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: [{ asInt: '7', timeUnixNano: nanos(at), startTimeUnixNano: nanos(at - 60000) }],
                },
              },
              {
                name: `${marker}_latency_seconds`,
                exponentialHistogram: {
                  aggregationTemporality: 2,
                  dataPoints: [
                    {
                      timeUnixNano: nanos(at),
                      startTimeUnixNano: nanos(at - 60000),
                      count: '3',
                      sum: 0.6,
                      scale: 2,
                      zeroCount: '0',
                      positive: { offset: -4, bucketCounts: ['1', '1', '1'] },
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

const gauge = (name: string, at: number) => ({
  resourceMetrics: [{ resource, scopeMetrics: [{ metrics: [{ name, gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: nanos(at) }] } }] }] }],
});
const logsPayload = (marker: string) => ({
  resourceLogs: [
    { resource, scopeLogs: [{ logRecords: [{ timeUnixNano: nanos(Date.now()), severityText: 'INFO', body: { stringValue: `log line ${marker}` } }] }] },
  ],
});
const tracesPayload = (marker: string) => ({
  resourceSpans: [
    {
      resource,
      scopeSpans: [
        {
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              name: `span ${marker}`,
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

describe('live OTLP: agent collector -> host collector -> Prometheus and an OTLP sink (the pinned programs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgtm-issue-17-otlp-'));
  const sink = new OtlpSink();
  const daemons: Daemon[] = [];
  let host: Daemon | undefined;
  let hostConfigFile = '';
  let hostHealth = 0;
  let promPort = 0;
  let agentHttp = 0;
  let hostHttp = 0;
  let hostCa = '';

  const startHost = async () => {
    host = startDaemon('otelcol-lgtm', [`--config=${hostConfigFile}`]);
    await waitForHttp(hostHealth, '/', 30000, host);
  };

  async function query(expr: string, time?: number): Promise<{ metric: Record<string, string>; value?: [number, string] }[]> {
    const at = time ? `&time=${time / 1000}` : '';
    const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}${at}`);
    const body = (await res.json()) as { data?: { result: { metric: Record<string, string>; value?: [number, string] }[] } };
    return body.data?.result ?? [];
  }
  const arrived = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined) => waitFor(what, probe, 90000, 500);
  const send = async (signal: 'metrics' | 'logs' | 'traces', payload: unknown) => {
    const res = await fetch(`http://127.0.0.1:${agentHttp}/v1/${signal}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect([signal, res.status]).toEqual([signal, 200]);
  };

  beforeAll(async () => {
    await sink.start();

    // Prometheus: the rendered storage settings (replay window) and the unit's receiver and feature flags.
    promPort = await freePort();
    const rendered = load(renderPrometheusConfig(config)) as Record<string, unknown>;
    writeFileSync(join(dir, 'prometheus.yml'), dump({ global: { scrape_interval: '15s' }, storage: rendered.storage }));
    const unitFlags = serviceSpecs(config)
      .find((s) => s.unit === 'prometheus')!
      .exec.filter((a) => a === '--web.enable-remote-write-receiver' || a.startsWith('--enable-feature='));
    expect(unitFlags).toContain('--web.enable-remote-write-receiver');
    const prometheus = startDaemon('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prom-data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      ...unitFlags,
    ]);
    daemons.push(prometheus);
    await waitForHttp(promPort, '/-/ready', 30000, prometheus);

    // The host collector, exporting to the sink and to this Prometheus.
    // The host's certificates and token files as lgtm-secrets makes them; the agent verifies the host against its CA.
    const environment = otlpEnvironment(config, target.environment.name);
    const hostFiles = await makeOtlpHostFiles(config, dir, { [environment.name]: `${RUN}-token` });
    hostCa = hostFiles.ca;
    hostHttp = await freePort();
    hostHealth = await freePort();
    const hostDoc = load(renderOtelcolConfig(config)) as any;
    useOtlpHostFiles(hostDoc, hostFiles);
    for (const { receiver } of otlpEnvironments(config)) {
      hostDoc.receivers[receiver].protocols.grpc.endpoint = `127.0.0.1:${await freePort()}`;
      hostDoc.receivers[receiver].protocols.http.endpoint = `127.0.0.1:${receiver === environment.receiver ? hostHttp : await freePort()}`;
    }
    expect(hostDoc.exporters['otlphttp/loki'].endpoint).toBe(`http://127.0.0.1:${PORTS.loki}/otlp`);
    hostDoc.exporters['otlphttp/loki'].endpoint = `http://127.0.0.1:${sink.httpPort}/otlp`;
    expect(hostDoc.exporters['otlp/tempo'].endpoint).toBe(`127.0.0.1:${PORTS.tempoOtlpGrpc}`);
    hostDoc.exporters['otlp/tempo'].endpoint = `127.0.0.1:${sink.grpcPort}`;
    hostDoc.exporters.prometheusremotewrite.endpoint = `http://127.0.0.1:${promPort}/api/v1/write`;
    hostDoc.extensions.health_check.endpoint = `127.0.0.1:${hostHealth}`;
    hostDoc.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port = await freePort();
    hostConfigFile = join(dir, 'host-otelcol.yml');
    writeFileSync(hostConfigFile, dump(hostDoc));
    await startHost();

    // The agent collector, sending to the host collector over TLS; its disk queue in the temp dir.
    const agent = await startLocalAgent(config, target, dir, { hostHttpPort: hostHttp, ca: hostFiles.ca, token: `${RUN}-token` });
    daemons.push(agent.daemon);
    agentHttp = agent.httpPort;
  }, 120000);

  afterAll(async () => {
    for (const daemon of [host, ...daemons].reverse()) await daemon?.stop();
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const labels = { service: attributes.service, environment: attributes.environment };

  it('THEN metrics reach Prometheus with service and environment, the exponential histogram as a native histogram', async () => {
    const marker = `${RUN.replace(/-/g, '_')}_a`;
    await send('metrics', metricsPayload(marker, Date.now()));
    const counter = await arrived('the counter', async () => (await query(`${marker}_requests_total`))[0]);
    expect(counter.metric).toMatchObject(labels);
    const count = await arrived('the native histogram', async () => (await query(`histogram_count(${marker}_latency_seconds)`))[0]);
    expect(count.value?.[1]).toBe('3');
  }, 120000);

  it('GIVEN a sender without a token of its environment THEN the host collector refuses it', async () => {
    const body = JSON.stringify(logsPayload(`${RUN}-x`));
    const unauthenticated = await postOverTls(hostHttp, '/v1/logs', body, {}, hostCa);
    expect(unauthenticated.status).toBe(401);
    const wrongToken = await postOverTls(hostHttp, '/v1/logs', body, { authorization: 'Bearer not-the-token' }, hostCa);
    expect(wrongToken.status).toBe(401);
  }, 60000);

  it('THEN logs and spans reach the sink with the service and environment attributes the agent sets', async () => {
    await send('logs', logsPayload(`${RUN}-b`));
    await send('traces', tracesPayload(`${RUN}-b`));
    const log = await arrived('the log', () => sink.logs.find((r) => r.body.includes(`log line ${RUN}-b`)));
    const span = await arrived('the span', () => sink.spans.find((r) => r.body.includes(`span ${RUN}-b`)));
    for (const received of [log, span]) expect(received.resources).toEqual([expect.objectContaining(attributes)]);
  }, 120000);

  it('GIVEN Prometheus holds current samples WHEN a sample two hours old arrives (replayed after an outage) THEN it is stored', async () => {
    const now = `${RUN.replace(/-/g, '_')}_now`;
    await send('metrics', gauge(now, Date.now()));
    await arrived('a current sample', async () => (await query(now))[0]);
    const late = `${RUN.replace(/-/g, '_')}_replayed`;
    const twoHoursAgo = Date.now() - 2 * 3600 * 1000;
    await send('metrics', gauge(late, twoHoursAgo));
    const sample = await arrived('the replayed sample', async () => (await query(late, twoHoursAgo + 1000))[0]);
    expect(sample.metric).toMatchObject(labels);
  }, 120000);

  it('WHEN the host collector is stopped for a while THEN what the app sends meanwhile arrives once it is back', async () => {
    await host!.stop();
    const marker = `${RUN}-c`;
    const metric = `${RUN.replace(/-/g, '_')}_c`;
    await send('metrics', gauge(metric, Date.now()));
    await send('logs', logsPayload(marker));
    await send('traces', tracesPayload(marker));
    await new Promise((resolve) => setTimeout(resolve, 8000));
    expect(sink.logs.some((r) => r.body.includes(`log line ${marker}`))).toBe(false);
    await startHost();
    await arrived('the queued metric', async () => (await query(metric))[0]);
    await arrived('the queued log', () => sink.logs.find((r) => r.body.includes(`log line ${marker}`)));
    await arrived('the queued span', () => sink.spans.find((r) => r.body.includes(`span ${marker}`)));
  }, 180000);
});
