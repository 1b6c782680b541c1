import { dump } from 'js-yaml';
import type { PlatformConfig } from '../config/schema';
import type { HostFile } from '../shared/host-file';
import { PORTS } from '../contracts/ports';
import { PATHS } from '../shared/host-paths';
import { credentialPath } from '../host/secrets';
import { OTLP_MAX_REQUEST_MIB, OTLP_TLS_CREDENTIALS, otlpEnvironments, otlpServerTls, type OtlpEnvironment } from './otlp-sources';
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

/** The bearertokenauth extension (contrib) of one environment: receivers accept any token of `tokenFile` (one per line; reread when it changes), senders present the first. */
export function otlpAuthExtension(environment: OtlpEnvironment, tokenFile: string): Record<string, unknown> {
  return { [environment.authenticator]: { filename: tokenFile } };
}

/** The receivers' TLS material: file paths of the server certificate and key. */
export interface OtlpServerTlsFiles {
  readonly certificate: string;
  readonly key: string;
}

/** Signals every receiving collector carries, each in one pipeline per environment. */
export const OTLP_SIGNALS = ['logs', 'traces', 'metrics'] as const;
export type OtlpSignal = (typeof OTLP_SIGNALS)[number];

/**
 * What every receiving collector of the platform shares: per environment (lib/telemetry/otlp-sources.ts) an OTLP
 * receiver on all interfaces, gRPC and HTTP on the environment's ports, over TLS when `tls` is given, accepting
 * only requests that present a token of that environment and at most OTLP_MAX_REQUEST_MIB each; a processor
 * that labels everything it receives with that environment; the health check and its own metrics on loopback.
 * `pipelines` builds one pipeline per signal and environment from the environment's receiver and labeller.
 */
export function collectorFrame(config: PlatformConfig, tokenFile: (environment: OtlpEnvironment) => string, tls?: OtlpServerTlsFiles) {
  const environments = otlpEnvironments(config);
  const serverTls = tls ? { tls: otlpServerTls(tls.certificate, tls.key) } : {};
  return {
    environments,
    extensions: {
      health_check: HEALTH_CHECK,
      ...(Object.assign({}, ...environments.map((environment) => otlpAuthExtension(environment, tokenFile(environment)))) as Record<string, unknown>),
    },
    receivers: Object.fromEntries(
      environments.map((environment) => [
        environment.receiver,
        {
          protocols: {
            grpc: {
              endpoint: `0.0.0.0:${environment.grpcPort}`,
              auth: { authenticator: environment.authenticator },
              max_recv_msg_size_mib: OTLP_MAX_REQUEST_MIB,
              ...serverTls,
            },
            http: {
              endpoint: `0.0.0.0:${environment.httpPort}`,
              auth: { authenticator: environment.authenticator },
              max_request_body_size: OTLP_MAX_REQUEST_MIB * 1024 * 1024,
              ...serverTls,
            },
          },
        },
      ]),
    ),
    /** Overwrites the environment a sender claimed with the one its token belongs to (Prometheus, Loki and Tempo labels). */
    labellers: Object.fromEntries(
      environments.map((environment) => [
        environment.labeller,
        {
          attributes: ['environment', 'deployment.environment'].map((key) => ({ key, value: environment.name, action: 'upsert' })),
        },
      ]),
    ),
    serviceExtensions: ['health_check', ...environments.map((environment) => environment.authenticator)],
    telemetry: SELF_TELEMETRY,
    pipelines(
      route: (
        signal: OtlpSignal,
        environment: OtlpEnvironment,
      ) => { readonly before: readonly string[]; readonly after: readonly string[]; readonly exporters: readonly string[] },
    ) {
      return Object.fromEntries(
        OTLP_SIGNALS.flatMap((signal) =>
          environments.map((environment) => {
            const { before, after, exporters } = route(signal, environment);
            return [
              `${signal}/${environment.name}`,
              { receivers: [environment.receiver], processors: [...before, environment.labeller, ...after], exporters: [...exporters] },
            ];
          }),
        ),
      );
    },
  };
}

/** The host collector's server certificate and key, as systemd credentials (loaded from OTLP_TLS_DIR). */
export const HOST_OTLP_TLS: OtlpServerTlsFiles = {
  certificate: credentialPath('otelcol', OTLP_TLS_CREDENTIALS.certificate),
  key: credentialPath('otelcol', OTLP_TLS_CREDENTIALS.key),
};

/**
 * The OpenTelemetry Collector (contrib): OTLP gRPC and HTTP over TLS from `telemetrySourceCidrs`, one receiver
 * per environment accepting that environment's tokens (systemd credentials read from SSM by lgtm-secrets), the
 * server certificate from the host's own CA (lib/telemetry/otlp-tls-script.ts); logs to Loki's OTLP endpoint,
 * traces to Tempo, metrics to Prometheus by remote write; memory_limiter, the environment label, then batch in
 * every pipeline, and in the metrics pipelines the pushed-series guards before batch (lib/telemetry/pushed-series.ts);
 * health check and its own metrics on loopback.
 */
export function renderOtelcolConfig(config: PlatformConfig): string {
  const frame = collectorFrame(config, (environment) => credentialPath('otelcol', environment.tokenCredential), HOST_OTLP_TLS);
  const exporters: Record<OtlpSignal, string> = { logs: 'otlphttp/loki', traces: 'otlp/tempo', metrics: 'prometheusremotewrite' };
  const doc = {
    extensions: frame.extensions,
    receivers: frame.receivers,
    processors: {
      memory_limiter: memoryLimiter(OTELCOL_MEMORY_LIMIT_MIB),
      ...frame.labellers,
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
      extensions: frame.serviceExtensions,
      telemetry: frame.telemetry,
      pipelines: frame.pipelines((signal) => ({
        before: ['memory_limiter'],
        after: [...(signal === 'metrics' ? PUSHED_SERIES_PROCESSORS : []), 'batch'],
        exporters: [exporters[signal]],
      })),
    },
  };
  return dumpOtelcol(doc);
}

export function renderOtelcolFiles(config: PlatformConfig): HostFile[] {
  return [{ path: PATHS.otelcolConfig, content: renderOtelcolConfig(config) }];
}
