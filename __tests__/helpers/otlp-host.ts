import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { renderAgentOtelcolConfig } from '../../lib/agent/agent-otelcol';
import { MONITORING_HOST_VARIABLE } from '../../lib/agent/paths';
import type { AgentTarget } from '../../lib/agent/targets';
import type { PlatformConfig } from '../../lib/config/schema';
import { serviceSpecs } from '../../lib/host/systemd-units';
import { renderOtelcolConfig } from '../../lib/telemetry/otelcol';
import { credentialPath, hostSecrets, renderSecretsScript, secretSourcePath } from '../../lib/host/secrets';
import { OTLP_TLS_FILES, otlpCaParameter, otlpEnvironment, otlpEnvironments, otlpIngestTlsParameters } from '../../lib/telemetry/otlp-sources';
import { freePort, startDaemon, waitForHttp, type Daemon } from '../../bench/processes';
import { run } from '../host/helpers/artifact-server';
import { createFakeSystem } from '../host/helpers/fake-system';

/** What the rendered lgtm-secrets made for the host collector in a temp root, as the live tests use it. */
export interface OtlpHostFiles {
  /** The CA certificate it published (to the stand-in SSM). */
  readonly ca: string;
  /** With `ingestNames`: the certificate and key it issued for the ingest nodes, as files a node installs. */
  readonly ingest?: { readonly certificate: string; readonly key: string };
  /** The file systemd would load as the host collector's credential at `path` (a credentialPath). */
  credentialSource(path: string): string;
}

/**
 * Runs the rendered lgtm-secrets (test mode: fake AWS CLI, files under `base`/root) with `tokens` (environment
 * name -> token) in the environments' token parameters and the host's address given as 127.0.0.1: it makes the
 * OTLP CA, the server certificate and the token files exactly as on the host.
 */
export async function makeOtlpHostFiles(config: PlatformConfig, base: string, tokens: Record<string, string>, ingestNames?: string): Promise<OtlpHostFiles> {
  const root = join(base, 'root');
  const fake = createFakeSystem(base);
  const ssmFile = (parameter: string) => join(fake.ssm, parameter.replace(/\//g, '_'));
  for (const secret of hostSecrets(config)) writeFileSync(ssmFile(secret.parameter), 'unused here');
  for (const environment of otlpEnvironments(config))
    writeFileSync(ssmFile(environment.tokenParameter), `${tokens[environment.name] ?? `unused-${environment.name}`}\n`);
  if (ingestNames) writeFileSync(ssmFile(otlpIngestTlsParameters(config).names), ingestNames);
  const script = join(base, 'lgtm-secrets');
  writeFileSync(script, renderSecretsScript(config));
  const result = await run('bash', [script], { ...fake.env, LGTM_ROOT: root, AWS_REGION: 'us-east-1', LGTM_OTLP_TLS_NAMES: 'IP:127.0.0.1' });
  if (result.code !== 0) throw new Error(`lgtm-secrets failed:\n${result.stdout}${result.stderr}`);
  const ca = readFileSync(ssmFile(otlpCaParameter(config)), 'utf8');
  if (ca !== readFileSync(join(root, OTLP_TLS_FILES.caCertificate), 'utf8')) throw new Error('the published CA is not the host CA');
  const loaded = new Map<string, string>();
  for (const environment of otlpEnvironments(config))
    loaded.set(credentialPath('otelcol', environment.tokenCredential), join(root, secretSourcePath(environment.tokenCredential)));
  for (const credential of serviceSpecs(config).find((s) => s.unit === 'otelcol')?.hostCredentials ?? [])
    loaded.set(credentialPath('otelcol', credential.name), join(root, credential.source));
  let ingest: OtlpHostFiles['ingest'];
  if (ingestNames) {
    const parameters = otlpIngestTlsParameters(config);
    ingest = { certificate: join(base, 'ingest-node.crt'), key: join(base, 'ingest-node.key') };
    writeFileSync(ingest.certificate, readFileSync(ssmFile(parameters.certificate)));
    writeFileSync(ingest.key, readFileSync(ssmFile(parameters.key)), { mode: 0o600 });
  }
  return {
    ca,
    ingest,
    credentialSource(path) {
      const source = loaded.get(path);
      if (!source) throw new Error(`the host collector has no credential at ${path}`);
      return source;
    },
  };
}

/** Points every TLS file and token file of a parsed host collector config at what `files` made. */
export function useOtlpHostFiles(doc: any, files: OtlpHostFiles): void {
  for (const receiver of Object.values<any>(doc.receivers))
    for (const protocol of Object.values<any>(receiver.protocols ?? {})) {
      if (!protocol.tls) continue;
      protocol.tls.cert_file = files.credentialSource(protocol.tls.cert_file);
      protocol.tls.key_file = files.credentialSource(protocol.tls.key_file);
    }
  for (const [id, extension] of Object.entries<any>(doc.extensions))
    if (id.startsWith('bearertokenauth/')) extension.filename = files.credentialSource(extension.filename);
}

export interface TlsReply {
  readonly status?: number;
  readonly error?: string;
}

/** POSTs JSON to the host over HTTPS; `ca` undefined means the system's trust store only; `servername` is the name verified (default the address). */
export function postOverTls(port: number, path: string, body: string, headers: Record<string, string>, ca?: string, servername?: string): Promise<TlsReply> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        ...(ca ? { ca } : {}),
        ...(servername ? { servername } : {}),
        timeout: 10000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
      },
    );
    req.on('error', (error) => resolve({ error: error.message }));
    req.end(body);
  });
}

/** A running agent collector of the live tests, and the loopback port apps send OTLP/HTTP to. */
export interface LocalAgent {
  readonly daemon: Daemon;
  readonly httpPort: number;
}

/**
 * Starts the pinned collector with `target`'s rendered agent config, rewritten only where a test must: loopback
 * listen ports, the disk queue under `dir`, the `system` detector only (no instance metadata here), and the
 * exporter pointed at `hostHttpPort` with `ca` as the published CA certificate and `token` as its token file.
 */
export async function startLocalAgent(
  config: PlatformConfig,
  target: AgentTarget,
  dir: string,
  upstream: { hostHttpPort: number; ca: string; token: string },
): Promise<LocalAgent> {
  const environment = otlpEnvironment(config, target.environment.name);
  const doc = load(renderAgentOtelcolConfig(config, target)) as any;
  const exporter = doc.exporters['otlphttp/monitoring'];
  if (exporter.endpoint !== `https://\${env:${MONITORING_HOST_VARIABLE}}:${environment.httpPort}`)
    throw new Error(`unexpected agent exporter endpoint ${exporter.endpoint}`);
  exporter.endpoint = `https://127.0.0.1:${upstream.hostHttpPort}`;
  const caFile = join(dir, 'agent-otlp-ca.crt');
  writeFileSync(caFile, `${upstream.ca}\n`);
  exporter.tls.ca_file = caFile;
  const tokenFile = join(dir, 'agent-otlp-token');
  writeFileSync(tokenFile, upstream.token, { mode: 0o600 });
  doc.extensions[environment.authenticator].filename = tokenFile;
  const httpPort = await freePort();
  doc.receivers.otlp.protocols.grpc.endpoint = `127.0.0.1:${await freePort()}`;
  doc.receivers.otlp.protocols.http.endpoint = `127.0.0.1:${httpPort}`;
  const health = await freePort();
  doc.extensions.health_check.endpoint = `127.0.0.1:${health}`;
  const queue = join(dir, 'agent-queue');
  mkdirSync(queue);
  doc.extensions.file_storage.directory = queue;
  doc.extensions.file_storage.compaction.directory = queue;
  doc.processors.resourcedetection.detectors = ['system'];
  doc.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port = await freePort();
  writeFileSync(join(dir, 'agent-otelcol.yml'), dump(doc));
  const daemon = startDaemon('otelcol-lgtm', [`--config=${join(dir, 'agent-otelcol.yml')}`]);
  await waitForHttp(health, '/', 30000, daemon);
  return { daemon, httpPort };
}

/** A Prometheus of the live tests that takes remote write (the host collector's target), with `settings` merged into its config. */
export async function startRemoteWritePrometheus(dir: string, settings: Record<string, unknown> = {}): Promise<{ daemon: Daemon; port: number }> {
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), dump({ global: { scrape_interval: '15s' }, ...settings }));
  const daemon = startDaemon('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'prom-data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
  ]);
  await waitForHttp(port, '/-/ready', 30000, daemon);
  return { daemon, port };
}

/** The host collector of the live tests and where it listens: each environment's receiver ports, its own metrics. */
export interface LocalHostCollector {
  readonly daemon: Daemon;
  /** The rendered config as parsed, before the rewrites. */
  readonly rendered: any;
  readonly httpPorts: Record<string, number>;
  readonly grpcPorts: Record<string, number>;
  readonly selfMetricsPort: number;
}

/**
 * Starts the pinned collector with the host's rendered config, rewritten only where a test must: the credentials
 * from what lgtm-secrets made (`files`), loopback listen ports, Loki and Tempo at unused ports, remote write into
 * the Prometheus at `prometheusPort`.
 */
export async function startHostCollector(config: PlatformConfig, dir: string, files: OtlpHostFiles, prometheusPort: number): Promise<LocalHostCollector> {
  const rendered = load(renderOtelcolConfig(config)) as any;
  const doc = load(renderOtelcolConfig(config)) as any;
  useOtlpHostFiles(doc, files);
  const httpPorts: Record<string, number> = {};
  const grpcPorts: Record<string, number> = {};
  for (const environment of otlpEnvironments(config)) {
    httpPorts[environment.name] = await freePort();
    grpcPorts[environment.name] = await freePort();
    doc.receivers[environment.receiver].protocols.grpc.endpoint = `127.0.0.1:${grpcPorts[environment.name]}`;
    doc.receivers[environment.receiver].protocols.http.endpoint = `127.0.0.1:${httpPorts[environment.name]}`;
  }
  doc.exporters['otlphttp/loki'].endpoint = `http://127.0.0.1:${await freePort()}/otlp`;
  doc.exporters['otlp/tempo'].endpoint = `127.0.0.1:${await freePort()}`;
  doc.exporters.prometheusremotewrite.endpoint = `http://127.0.0.1:${prometheusPort}/api/v1/write`;
  const health = await freePort();
  doc.extensions.health_check.endpoint = `127.0.0.1:${health}`;
  const selfMetricsPort = await freePort();
  doc.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port = selfMetricsPort;
  writeFileSync(join(dir, 'host-otelcol.yml'), dump(doc));
  const daemon = startDaemon('otelcol-lgtm', [`--config=${join(dir, 'host-otelcol.yml')}`]);
  await waitForHttp(health, '/', 30000, daemon);
  return { daemon, rendered, httpPorts, grpcPorts, selfMetricsPort };
}
