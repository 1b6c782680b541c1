import type { PlatformConfig } from '../config/schema';
import { PATHS } from '../shared/host-paths';
import { credentialPath } from '../host/secrets';
import { collectorFrame, dumpOtelcol, HOST_OTLP_TLS } from './otelcol';
import { otlpClientTls } from './otlp-sources';

/** Where ingest nodes forward to: the monitoring host's private address (a Terraform token at synth). */
export interface IngestUpstream {
  readonly hostAddress: string;
}

/** Share of the node's memory the collector may hold before it refuses data (the node runs nothing else). */
export const INGEST_MEMORY_LIMIT_PERCENT = 75;

const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/'));

/** Where a node keeps what it read at boot: one token file per environment (root only; loaded as the collector's systemd credentials). */
export function ingestTokenFile(credential: string): string {
  return `${dirOf(PATHS.otelcolConfig)}/${credential}`;
}

/** The monitoring host's OTLP CA certificate on a node (public; read from SSM at boot). */
export const INGEST_CA_FILE = `${dirOf(PATHS.otelcolConfig)}/otlp-ca.crt`;

/**
 * The collector on a stateless ingest node: per environment an OTLP gRPC/HTTP receiver (from the load balancer)
 * serving TLS with the ingest certificate the host issued (the same CA the senders already trust), accepting only
 * that environment's tokens and labelling what it receives with that environment, as the host's collector does;
 * memory_limiter then batch; every signal to the host collector's receiver of the same environment over TLS
 * (verified against the host's CA) with the same token, so the host labels it with that environment again and
 * routes it: traces to Tempo, logs to Loki, metrics to Prometheus, all three on the host's loopback. Prometheus
 * evaluates alerts on the metrics locally before remote-writing them to the long-term store. Every exporter has a bounded in-memory queue and retries, so a
 * host restart or a burst is absorbed on the nodes instead of being pushed back to the apps.
 * The node keeps no state: the data lives in S3 and the metrics store.
 */
export function renderIngestCollectorConfig(config: PlatformConfig, upstream: IngestUpstream): string {
  const queue = { enabled: true, num_consumers: 8, queue_size: 5000 };
  const retry = { enabled: true, initial_interval: '1s', max_interval: '30s', max_elapsed_time: '10m' };
  const host = upstream.hostAddress;
  const frame = collectorFrame(config, (environment) => credentialPath('otelcol', environment.tokenCredential), HOST_OTLP_TLS);
  const hostExporter = (name: string) => `otlphttp/host-${name}`;
  const doc = {
    extensions: frame.extensions,
    receivers: frame.receivers,
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: INGEST_MEMORY_LIMIT_PERCENT, spike_limit_percentage: 20 },
      ...frame.labellers,
      batch: { timeout: '2s', send_batch_size: 8192, send_batch_max_size: 16384 },
    },
    exporters: {
      ...Object.fromEntries(
        frame.environments.map((environment) => [
          hostExporter(environment.name),
          {
            endpoint: `https://${host}:${environment.httpPort}`,
            tls: otlpClientTls(INGEST_CA_FILE),
            auth: { authenticator: environment.authenticator },
            sending_queue: queue,
            retry_on_failure: retry,
          },
        ]),
      ),
    },
    service: {
      extensions: frame.serviceExtensions,
      telemetry: frame.telemetry,
      pipelines: frame.pipelines((_signal, environment) => ({
        before: ['memory_limiter'],
        after: ['batch'],
        exporters: [hostExporter(environment.name)],
      })),
    },
  };
  return dumpOtelcol(doc, '# Rendered by the LGTM platform for the ingest nodes; do not edit on a node.');
}
