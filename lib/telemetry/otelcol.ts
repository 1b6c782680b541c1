import { dump } from 'js-yaml';
import type { PlatformConfig } from '../config/schema';
import type { HostFile } from '../host/host-file';
import { PORTS } from '../host/ports';
import { PATHS } from '../host/paths';

/** Memory the collector may hold before it refuses data (it shares the host with everything else). */
export const OTELCOL_MEMORY_LIMIT_MIB = 512;

/**
 * What every collector of the platform shares: OTLP gRPC and HTTP receivers on all interfaces, the health check
 * and its own metrics on loopback. `head` opens the document, `service` opens its `service` section.
 */
export function collectorFrame() {
  return {
    head: {
      extensions: { health_check: { endpoint: `127.0.0.1:${PORTS.otelcolHealth}` } },
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: `0.0.0.0:${PORTS.otlpGrpc}` },
            http: { endpoint: `0.0.0.0:${PORTS.otlpHttp}` },
          },
        },
      },
    },
    service: {
      extensions: ['health_check'],
      telemetry: {
        metrics: { level: 'normal', readers: [{ pull: { exporter: { prometheus: { host: '127.0.0.1', port: PORTS.otelcolMetrics } } } }] },
      },
    },
  };
}

/**
 * The OpenTelemetry Collector (contrib): OTLP gRPC and HTTP in from `telemetrySourceCidrs`; logs to Loki's
 * OTLP endpoint, traces to Tempo, metrics to Prometheus by remote write; memory_limiter then batch in every
 * pipeline; health check and its own metrics on loopback.
 */
export function renderOtelcolConfig(config: PlatformConfig): string {
  void config;
  const processors = ['memory_limiter', 'batch'];
  const doc = {
    ...collectorFrame().head,
    processors: {
      memory_limiter: { check_interval: '1s', limit_mib: OTELCOL_MEMORY_LIMIT_MIB, spike_limit_mib: OTELCOL_MEMORY_LIMIT_MIB / 4 },
      batch: { timeout: '5s', send_batch_size: 8192 },
    },
    exporters: {
      'otlphttp/loki': { endpoint: `http://127.0.0.1:${PORTS.loki}/otlp` },
      'otlp/tempo': { endpoint: `127.0.0.1:${PORTS.tempoOtlpGrpc}`, tls: { insecure: true } },
      prometheusremotewrite: {
        endpoint: `http://127.0.0.1:${PORTS.prometheus}/api/v1/write`,
        resource_to_telemetry_conversion: { enabled: true },
      },
    },
    service: {
      ...collectorFrame().service,
      pipelines: {
        logs: { receivers: ['otlp'], processors, exporters: ['otlphttp/loki'] },
        traces: { receivers: ['otlp'], processors, exporters: ['otlp/tempo'] },
        metrics: { receivers: ['otlp'], processors, exporters: ['prometheusremotewrite'] },
      },
    },
  };
  return `# Rendered by the LGTM platform from config/platform.yaml; do not edit on the host.\n${dump(doc, { lineWidth: -1, noRefs: true })}`;
}

export function renderOtelcolFiles(config: PlatformConfig): HostFile[] {
  return [{ path: PATHS.otelcolConfig, content: renderOtelcolConfig(config) }];
}
