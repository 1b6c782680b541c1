import { dump } from 'js-yaml';
import type { PlatformConfig } from '../config/schema';
import type { HostFile } from '../shared/host-file';
import { PORTS } from '../contracts/ports';
import { PATHS } from '../shared/host-paths';
import { OTLP_TOKEN, credentialPath } from '../host/secrets';
import { PUSHED_SERIES_PROCESSORS, pushedSeriesProcessors } from './pushed-series';

/** Memory the collector may hold before it refuses data (it shares the host with everything else). */
export const OTELCOL_MEMORY_LIMIT_MIB = 512;

/** memory_limiter settings: checked every second, refusing data above `limitMib` (a quarter of it for spikes). */
export function memoryLimiter(limitMib: number): Record<string, unknown> {
  return { check_interval: '1s', limit_mib: limitMib, spike_limit_mib: limitMib / 4 };
}

/** batch settings shared by the host's and the agents' collectors. */
export const BATCH = { timeout: '5s', send_batch_size: 8192 } as const;

/** The health_check extension on loopback. */
export const HEALTH_CHECK = { endpoint: `127.0.0.1:${PORTS.otelcolHealth}` } as const;

/** The collector's own metrics, pulled on loopback. */
export const SELF_TELEMETRY = {
  metrics: { level: 'normal', readers: [{ pull: { exporter: { prometheus: { host: '127.0.0.1', port: PORTS.otelcolMetrics } } } }] },
} as const;

/** The first line of every rendered collector config. */
export const OTELCOL_HEADER = '# Rendered by the LGTM platform from config/platform.yaml; do not edit on the host.';

/** YAML of a collector config, as every renderer writes it, under its first-line comment `header`. */
export function dumpOtelcol(doc: unknown, header = OTELCOL_HEADER): string {
  return `${header}\n${dump(doc, { lineWidth: -1, noRefs: true })}`;
}

/** The bearertokenauth extension (contrib) with which OTLP senders and receivers of the platform check each other. */
export const OTLP_AUTH = 'bearertokenauth/otlp';

/**
 * The extension reading the token(s) from `tokenFile` (one per line; it rereads the file when it changes). A
 * receiver accepts any token of the file; a sender presents the first. gRPC clients refuse bearer tokens without
 * TLS, so senders use OTLP over HTTP.
 */
export function otlpAuthExtension(tokenFile: string): Record<string, unknown> {
  return { [OTLP_AUTH]: { filename: tokenFile } };
}

/** An exporter's (or receiver protocol's) `auth` setting. */
export const OTLP_AUTHENTICATOR = { authenticator: OTLP_AUTH } as const;

/**
 * What every receiving collector of the platform shares: OTLP gRPC and HTTP receivers on all interfaces that
 * accept only senders presenting a token of `tokenFile`, the health check and its own metrics on loopback.
 * `head` opens the document, `service` opens its `service` section.
 */
export function collectorFrame(tokenFile: string) {
  return {
    head: {
      extensions: { health_check: HEALTH_CHECK, ...otlpAuthExtension(tokenFile) },
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: `0.0.0.0:${PORTS.otlpGrpc}`, auth: OTLP_AUTHENTICATOR },
            http: { endpoint: `0.0.0.0:${PORTS.otlpHttp}`, auth: OTLP_AUTHENTICATOR },
          },
        },
      },
    },
    service: {
      extensions: ['health_check', OTLP_AUTH],
      telemetry: SELF_TELEMETRY,
    },
  };
}

/**
 * The OpenTelemetry Collector (contrib): OTLP gRPC and HTTP in from `telemetrySourceCidrs`, from senders that
 * present a token of `host.otlpTokenParameter` (a systemd credential); logs to Loki's
 * OTLP endpoint, traces to Tempo, metrics to Prometheus by remote write; memory_limiter then batch in every
 * pipeline, and in the metrics pipeline the pushed-series guards between them (lib/telemetry/pushed-series.ts);
 * health check and its own metrics on loopback.
 */
export function renderOtelcolConfig(config: PlatformConfig): string {
  void config;
  const processors = ['memory_limiter', 'batch'];
  const doc = {
    ...collectorFrame(credentialPath('otelcol', OTLP_TOKEN)).head,
    processors: {
      memory_limiter: memoryLimiter(OTELCOL_MEMORY_LIMIT_MIB),
      ...pushedSeriesProcessors(),
      batch: BATCH,
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
      ...collectorFrame(credentialPath('otelcol', OTLP_TOKEN)).service,
      pipelines: {
        logs: { receivers: ['otlp'], processors, exporters: ['otlphttp/loki'] },
        traces: { receivers: ['otlp'], processors, exporters: ['otlp/tempo'] },
        metrics: { receivers: ['otlp'], processors: ['memory_limiter', ...PUSHED_SERIES_PROCESSORS, 'batch'], exporters: ['prometheusremotewrite'] },
      },
    },
  };
  return dumpOtelcol(doc);
}

export function renderOtelcolFiles(config: PlatformConfig): HostFile[] {
  return [{ path: PATHS.otelcolConfig, content: renderOtelcolConfig(config) }];
}
