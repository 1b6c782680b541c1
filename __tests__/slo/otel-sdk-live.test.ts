import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { agentTargets } from '../../lib/agent/targets';
import { serviceSpecs } from '../../lib/host/systemd-units';
import { renderPrometheusConfig } from '../../lib/prometheus/scrape-config';
import { renderOtelcolConfig } from '../../lib/telemetry/otelcol';
import { otlpEnvironment, otlpEnvironments } from '../../lib/telemetry/otlp-sources';
import { SLO_SERIES } from '../../lib/contracts/slo-series';
import { sloRecordingRules } from '../../lib/slo/slo-rules';
import { freePort, startDaemon, waitFor, waitForHttp, type Daemon } from '../../bench/processes';
import { platformConfig } from '../helpers/platform-fixtures';
import { makeOtlpHostFiles, startLocalAgent, useOtlpHostFiles } from '../helpers/otlp-host';

/**
 * GIVEN a service of the `opentelemetry` convention, an app instrumented with the OpenTelemetry JS SDK (Node.js)
 * recording `http.server.request.duration` with the semantic-convention attributes, the app server's agent
 * collector and the host collector (the pinned collector, rendered configs) and the pinned Prometheus loading the
 * platform's SLO recording rules for that service
 * WHEN the app serves one request in four with a 503, exporting OTLP to the agent
 * THEN the SLO's 5m error ratio that Prometheus records is 0.25: the names the convention reads are the ones the
 * SDK, the collectors' remote write and the agent's resource attributes produce.
 *
 * The host's certificates and token come from the rendered lgtm-secrets (__tests__/helpers/otlp-host.ts); only listen
 * addresses, ports, credential files and the agent's queue directory are rewritten (free loopback ports, a temp dir).
 */

const SERVICE = 'checkout';
const config = platformConfig((raw) => {
  raw.services.push({
    name: SERVICE,
    metricConvention: 'opentelemetry',
    environments: [{ name: 'production', probeUrl: 'https://checkout.example/health', agent: { selector: { tag: { Role: SERVICE } } } }],
    slos: [{ name: 'requests', objective: 99.5, sli: 'errors' }],
  });
});
const service = config.services.find((s) => s.name === SERVICE)!;
const target = agentTargets(config).find((t) => t.service.name === SERVICE)!;
const RUN = `s3-issue-22-${process.pid}`;

/**
 * A small HTTP service's instrumentation: the SDK's histogram `http.server.request.duration` (seconds) with the
 * semantic-convention attributes, three 200s and one 503 every 250 ms. The SDK is the one scripts/otel-sdk-app.sh
 * installs outside the checkout (.ci/run runs it), required by its resolved paths.
 */
function writeApp(file: string): string {
  const sdkDir = process.env.LGTM_OTEL_SDK_APP_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lgtm-platform', 'otel-sdk-app-2.12.0');
  if (!existsSync(join(sdkDir, '.installed')))
    throw new Error(`the OpenTelemetry SDK app's packages are not installed in ${sdkDir}: run bash scripts/otel-sdk-app.sh`);
  const sdk = (name: string) => JSON.stringify(require.resolve(name, { paths: [sdkDir] }));
  writeFileSync(
    file,
    `const { OTLPMetricExporter } = require(${sdk('@opentelemetry/exporter-metrics-otlp-http')});
const { resourceFromAttributes } = require(${sdk('@opentelemetry/resources')});
const { MeterProvider, PeriodicExportingMetricReader } = require(${sdk('@opentelemetry/sdk-metrics')});
const semconv = require(${sdk('@opentelemetry/semantic-conventions')});
const provider = new MeterProvider({
  resource: resourceFromAttributes({ [semconv.ATTR_SERVICE_NAME]: ${JSON.stringify(SERVICE)} }),
  readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: process.argv[2] }), exportIntervalMillis: 1000, exportTimeoutMillis: 1000 })],
});
const duration = provider.getMeter('checkout-app').createHistogram(semconv.METRIC_HTTP_SERVER_REQUEST_DURATION, { unit: 's', description: 'Duration of HTTP server requests.' });
const serve = (status) => duration.record(status === 200 ? 0.05 : 0.2, {
  [semconv.ATTR_HTTP_REQUEST_METHOD]: 'POST', [semconv.ATTR_HTTP_ROUTE]: '/pay', [semconv.ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
});
setInterval(() => { serve(200); serve(200); serve(200); serve(503); }, 250);
process.on('SIGTERM', () => provider.shutdown().finally(() => process.exit(0)));
`,
  );
  return file;
}

describe("live: an OpenTelemetry SDK app -> agent -> host collector -> Prometheus, read by the opentelemetry convention's SLO rules", () => {
  const dir = mkdtempSync(join(tmpdir(), `lgtm-${RUN}-`));
  const daemons: Daemon[] = [];
  let promPort = 0;
  let agentHttp = 0;

  async function query(expr: string): Promise<{ metric: Record<string, string>; value?: [number, string] }[]> {
    const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { data?: { result: { metric: Record<string, string>; value?: [number, string] }[] } };
    return body.data?.result ?? [];
  }

  beforeAll(async () => {
    // Prometheus: the rendered storage settings, the unit's receiver flags, and the service's SLO recording rules
    promPort = await freePort();
    const rendered = load(renderPrometheusConfig(config)) as Record<string, unknown>;
    const rules = service.slos.flatMap((slo) => sloRecordingRules(service, slo));
    writeFileSync(join(dir, 'slo.yml'), dump({ groups: [{ name: `slo-${SERVICE}-recording`, interval: '2s', rules }] }));
    writeFileSync(join(dir, 'prometheus.yml'), dump({ global: { scrape_interval: '15s' }, storage: rendered.storage, rule_files: [join(dir, 'slo.yml')] }));
    const unitFlags = serviceSpecs(config)
      .find((s) => s.unit === 'prometheus')!
      .exec.filter((a) => a === '--web.enable-remote-write-receiver' || a.startsWith('--enable-feature='));
    const prometheus = startDaemon('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prom-data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      ...unitFlags,
    ]);
    daemons.push(prometheus);
    await waitForHttp(promPort, '/-/ready', 30000, prometheus);

    // the host collector, remote-writing to this Prometheus, with the certificates and token files lgtm-secrets makes
    const environment = otlpEnvironment(config, target.environment.name);
    const token = `${RUN}-token`;
    const hostFiles = await makeOtlpHostFiles(config, dir, { [environment.name]: token });
    const hostHttp = await freePort();
    const hostHealth = await freePort();
    const hostDoc = load(renderOtelcolConfig(config)) as any;
    useOtlpHostFiles(hostDoc, hostFiles);
    for (const { receiver } of otlpEnvironments(config)) {
      hostDoc.receivers[receiver].protocols.grpc.endpoint = `127.0.0.1:${await freePort()}`;
      hostDoc.receivers[receiver].protocols.http.endpoint = `127.0.0.1:${receiver === environment.receiver ? hostHttp : await freePort()}`;
    }
    // no Loki or Tempo here: this test sends metrics only, so their exporters point at a closed port
    hostDoc.exporters['otlphttp/loki'].endpoint = `http://127.0.0.1:${await freePort()}/otlp`;
    hostDoc.exporters['otlp/tempo'].endpoint = `127.0.0.1:${await freePort()}`;
    hostDoc.exporters.prometheusremotewrite.endpoint = `http://127.0.0.1:${promPort}/api/v1/write`;
    hostDoc.extensions.health_check.endpoint = `127.0.0.1:${hostHealth}`;
    hostDoc.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port = await freePort();
    writeFileSync(join(dir, 'host-otelcol.yml'), dump(hostDoc));
    const host = startDaemon('otelcol-lgtm', [`--config=${join(dir, 'host-otelcol.yml')}`]);
    daemons.push(host);
    await waitForHttp(hostHealth, '/', 30000, host);

    // the app server's agent, which sets the platform's service and environment resource attributes, sending over TLS
    const agent = await startLocalAgent(config, target, dir, { hostHttpPort: hostHttp, ca: hostFiles.ca, token });
    daemons.push(agent.daemon);
    agentHttp = agent.httpPort;
  }, 120000);

  afterAll(async () => {
    for (const daemon of [...daemons].reverse()) await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('WHEN one request in four fails THEN slo:sli_error:ratio_rate5m of the SLO is 0.25', async () => {
    // the app, a Node.js process of its own: the SDK as docs/instrumenting-your-app.md shows it, exporting every
    // second to the local agent (the SDK's exporter loads its transport by dynamic import, which jest's VM refuses)
    const app = startDaemon(process.execPath, [writeApp(join(dir, 'app.cjs')), `http://127.0.0.1:${agentHttp}/v1/metrics`]);
    daemons.push(app);
    try {
      const selector = `${SLO_SERIES.errorRatio('5m')}{service="${SERVICE}",slo="requests"}`;
      const ratio = await waitFor(
        'the SLO error ratio',
        async () => {
          const [sample] = await query(selector);
          return sample?.value && Math.abs(Number(sample.value[1]) - 0.25) < 0.02 ? sample : undefined;
        },
        90000,
        1000,
      ).catch(async (error: Error) => {
        // say what did arrive, so a renamed metric or a missing label is visible in the failure
        const seen = (await query('{__name__=~"http_server.*|slo:sli_error:ratio_rate5m"}')).map((s) => JSON.stringify({ ...s.metric, value: s.value?.[1] }));
        throw new Error(`${error.message}; series seen: ${seen.join(' ') || 'none'}; the app said: ${app.output().slice(-2000)}`);
      });
      expect(ratio.metric).toMatchObject({ service: SERVICE, environment: 'production', slo: 'requests' });
      // the series the convention reads, as the SDK and the collectors name them
      const [count] = await query(`http_server_request_duration_seconds_count{service="${SERVICE}",http_response_status_code="503"}`);
      expect(count?.metric).toMatchObject({ service: SERVICE, environment: 'production', http_route: '/pay' });
    } finally {
      await app.stop();
    }
  }, 180000);
});
