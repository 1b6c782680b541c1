import type { PlatformConfig } from '../config/schema';
import { PORTS } from '../contracts/ports';
import { BATCH, HEALTH_CHECK, SELF_TELEMETRY, dumpOtelcol, memoryLimiter, otlpAuthExtension } from '../telemetry/otelcol';
import { otlpClientTls, otlpEnvironment } from '../telemetry/otlp-sources';
import { credentialPath } from '../host/secrets';
import { AGENT_UNITS } from './paths';
import { AGENT_PATHS, MONITORING_HOST_VARIABLE } from './paths';
import type { AgentTarget } from './targets';

/** Memory the agent's collector may hold: it shares the app server with the app. */
export const AGENT_OTELCOL_MEMORY_LIMIT_MIB = 256;

/**
 * Batches kept in the on-disk queue while the monitoring host is unreachable. They are retried without a time
 * limit; Prometheus stores replayed metric samples up to METRICS_REPLAY_WINDOW old (lib/prometheus/scrape-config.ts).
 */
export const AGENT_QUEUE_SIZE = 5000;

/**
 * OTLP resource attributes the agent sets on everything it forwards, overriding what the app set, so that
 * Loki's index labels (`service_name`, `deployment_environment`; lib/contracts/data-sources.ts LOG_LABELS),
 * Tempo's `resource.service.name` and Prometheus's `service`/`environment` labels (resource attributes become
 * labels by remote write) all name the platform's service and environment.
 */
export function agentResourceAttributes(target: AgentTarget): Record<string, string> {
  return {
    'service.name': target.service.name,
    'deployment.environment': target.environment.name,
    service: target.service.name,
    environment: target.environment.name,
  };
}

/**
 * The agent's OpenTelemetry Collector (contrib): OTLP from the app on loopback, the journal of the configured
 * units and the configured log files; resourcedetection (ec2, system) and the service/environment attributes;
 * out to the monitoring host's OTLP HTTP receiver of the target's environment over TLS (verified against the
 * host's CA, published to SSM) with that environment's bearer token (`<host.otlpTokenParameter>/<environment>`,
 * a systemd credential), retried without a time limit from a queue on disk, so a restart of the monitoring host
 * (or of the agent) loses nothing.
 */
export function renderAgentOtelcolConfig(config: PlatformConfig, target: AgentTarget): string {
  const environment = otlpEnvironment(config, target.environment.name);
  const { journald, files } = target.agent.logs;
  const receivers: Record<string, unknown> = {
    otlp: {
      protocols: {
        grpc: { endpoint: `127.0.0.1:${PORTS.otlpGrpc}` },
        http: { endpoint: `127.0.0.1:${PORTS.otlpHttp}` },
      },
    },
  };
  const logReceivers = ['otlp'];
  if (journald.length > 0) {
    receivers.journald = { units: [...journald], priority: 'info', start_at: 'end', storage: 'file_storage' };
    logReceivers.push('journald');
  }
  if (files.length > 0) {
    receivers.filelog = { include: [...files], start_at: 'end', include_file_path: true, storage: 'file_storage' };
    logReceivers.push('filelog');
  }
  const metricReceivers = ['otlp'];
  if (target.agent.hostMetrics) {
    receivers.hostmetrics = {
      collection_interval: '30s',
      scrapers: { cpu: {}, memory: {}, load: {}, filesystem: {}, network: {} },
    };
    metricReceivers.push('hostmetrics');
  }
  const processors = ['memory_limiter', 'resourcedetection', 'resource', 'batch'];
  const doc = {
    extensions: {
      health_check: HEALTH_CHECK,
      // create_directory: the collector's own validate refuses a missing directory (the install creates it too).
      file_storage: {
        directory: AGENT_PATHS.otelcolStorage,
        create_directory: true,
        timeout: '1s',
        compaction: { on_start: true, directory: AGENT_PATHS.otelcolStorage },
      },
      ...otlpAuthExtension(environment, credentialPath(AGENT_UNITS.otelcol.unit, environment.tokenCredential)),
    },
    receivers,
    processors: {
      memory_limiter: memoryLimiter(AGENT_OTELCOL_MEMORY_LIMIT_MIB),
      resourcedetection: { detectors: ['ec2', 'system'], timeout: '5s', override: false },
      resource: {
        attributes: Object.entries(agentResourceAttributes(target)).map(([key, value]) => ({ key, value, action: 'upsert' })),
      },
      batch: BATCH,
    },
    exporters: {
      'otlphttp/monitoring': {
        // The environment's own receiver: the host labels what arrives there with this environment only.
        endpoint: `https://\${env:${MONITORING_HOST_VARIABLE}}:${environment.httpPort}`,
        tls: otlpClientTls(AGENT_PATHS.otlpCaCertificate),
        auth: { authenticator: environment.authenticator },
        retry_on_failure: { enabled: true, initial_interval: '5s', max_interval: '60s', max_elapsed_time: '0s' },
        sending_queue: { enabled: true, storage: 'file_storage', queue_size: AGENT_QUEUE_SIZE },
      },
    },
    service: {
      extensions: ['health_check', 'file_storage', environment.authenticator],
      telemetry: SELF_TELEMETRY,
      pipelines: {
        logs: { receivers: logReceivers, processors, exporters: ['otlphttp/monitoring'] },
        traces: { receivers: ['otlp'], processors, exporters: ['otlphttp/monitoring'] },
        metrics: { receivers: metricReceivers, processors, exporters: ['otlphttp/monitoring'] },
      },
    },
  };
  return dumpOtelcol(doc);
}
