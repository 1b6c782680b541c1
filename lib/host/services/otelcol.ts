import { PORTS } from '../../contracts/ports';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { PATHS } from '../../shared/host-paths';
import { OTLP_TLS_CREDENTIALS, OTLP_TLS_FILES, otlpEnvironments } from '../../telemetry/otlp-sources';
import { dirOf } from './common';
import type { HostServiceDescriptor, ServicePort } from './types';

export const otelcol: HostServiceDescriptor = {
  unit: 'otelcol',
  description: 'OpenTelemetry Collector (contrib): OTLP in; logs to Loki, traces to Tempo, metrics to Prometheus',
  artifact: 'otelcol-contrib',
  user: 'otelcol',
  uid: 826,
  files: {
    dirs: [dirOf(PATHS.otelcolConfig)],
    checker: {
      kind: 'command',
      tools: [{ variable: 'OTELCOL', artifact: 'otelcol-contrib', executable: 'otelcol-contrib' }],
      covers: [PATHS.otelcolConfig],
      bash: [`"$OTELCOL" validate "--config=$NEW${PATHS.otelcolConfig}" || return 1`],
    },
  },
  reload: { kind: 'restart' },
  ports: (config) => [
    ...otlpEnvironments(config).flatMap((environment): ServicePort[] => [
      { port: environment.grpcPort, what: `OTLP gRPC receiver of ${environment.name}`, reach: ['telemetry-sources'] },
      // With scale: distributed the ingest nodes forward logs and metrics here (traces go to Tempo).
      {
        port: environment.httpPort,
        what: `OTLP HTTP receiver of ${environment.name}`,
        reach: config.scale === 'distributed' ? ['telemetry-sources', 'ingest-fleet'] : ['telemetry-sources'],
      },
    ]),
    { port: PORTS.otelcolMetrics, what: 'its own metrics', reach: ['loopback'], metrics: true },
    { port: PORTS.otelcolHealth, what: 'health_check extension', reach: ['loopback'], health: '/' },
  ],
  scrapeJob: SCRAPE_JOBS.otelcol,
  sampleLimit: 5_000,
  downAlert: 'PlatformComponentDown',
  unitSettings: ({ bin }) => ({
    exec: [bin('otelcol-contrib', 'otelcol-contrib'), `--config=${PATHS.otelcolConfig}`],
    hostCredentials: [
      { name: OTLP_TLS_CREDENTIALS.certificate, source: OTLP_TLS_FILES.certificate },
      { name: OTLP_TLS_CREDENTIALS.key, source: OTLP_TLS_FILES.key },
    ],
  }),
};
