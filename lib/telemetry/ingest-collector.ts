import { PORTS } from '../contracts/ports';
import { OTLP_TOKEN, credentialPath } from '../host/secrets';
import { OTLP_AUTHENTICATOR, collectorFrame, dumpOtelcol } from './otelcol';

/** Where ingest nodes forward to: the monitoring host's private address (a Terraform token at synth). */
export interface IngestUpstream {
  readonly hostAddress: string;
}

/** Share of the node's memory the collector may hold before it refuses data (the node runs nothing else). */
export const INGEST_MEMORY_LIMIT_PERCENT = 75;

/**
 * The collector on a stateless ingest node: OTLP gRPC/HTTP in from the load balancer, from senders presenting a
 * token of `host.otlpTokenParameter` (the node presents the same token upstream); memory_limiter then batch;
 * each signal to the write path that owns it on the monitoring host: traces to Tempo's distributor, logs and
 * metrics to the host's collector (Loki listens on loopback only; Prometheus receives the metrics and evaluates
 * alerts on them locally before remote-writing them to the long-term store). Every exporter has a bounded in-memory queue and
 * retries, so a host restart or a burst is absorbed on the nodes instead of being pushed back to the apps.
 * The node keeps no state: the data lives in S3 and the metrics store.
 */
export function renderIngestCollectorConfig(upstream: IngestUpstream): string {
  const processors = ['memory_limiter', 'batch'];
  const queue = { enabled: true, num_consumers: 8, queue_size: 5000 };
  const retry = { enabled: true, initial_interval: '1s', max_interval: '30s', max_elapsed_time: '10m' };
  const host = upstream.hostAddress;
  const frame = collectorFrame(credentialPath('otelcol', OTLP_TOKEN));
  const doc = {
    ...frame.head,
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: INGEST_MEMORY_LIMIT_PERCENT, spike_limit_percentage: 20 },
      batch: { timeout: '2s', send_batch_size: 8192, send_batch_max_size: 16384 },
    },
    exporters: {
      'otlp/tempo': { endpoint: `${host}:${PORTS.tempoOtlpGrpc}`, tls: { insecure: true }, sending_queue: queue, retry_on_failure: retry },
      // OTLP over HTTP: a gRPC client refuses to send a bearer token without TLS.
      'otlphttp/host': { endpoint: `http://${host}:${PORTS.otlpHttp}`, auth: OTLP_AUTHENTICATOR, sending_queue: queue, retry_on_failure: retry },
    },
    service: {
      ...frame.service,
      pipelines: {
        logs: { receivers: ['otlp'], processors, exporters: ['otlphttp/host'] },
        traces: { receivers: ['otlp'], processors, exporters: ['otlp/tempo'] },
        metrics: { receivers: ['otlp'], processors, exporters: ['otlphttp/host'] },
      },
    },
  };
  return dumpOtelcol(doc, '# Rendered by the LGTM platform for the ingest nodes; do not edit on a node.');
}
