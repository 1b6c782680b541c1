import type { PlatformConfig } from '../config/schema';

type EnvironmentConfig = PlatformConfig['services'][number]['environments'][number];

/** Where an environment's app metrics are scraped: the `app` job, or over HTTPS with `metricsTls`. */
export interface MetricsTarget {
  /** `host:port` Prometheus scrapes. */
  readonly address: string;
  readonly path: string;
  /** The HTTPS settings, when the app serves its metrics over TLS. */
  readonly tls?: NonNullable<EnvironmentConfig['metricsTls']>;
}

/** One environment of one service, as the probes, scrape jobs, target alerts and egress rules read it. */
export interface ServiceTarget {
  readonly service: string;
  readonly environment: string;
  /** Where it is in the description: `services[0].environments[1]`. */
  readonly path: string;
  /** What the Blackbox exporter probes (job `blackbox-http`). */
  readonly probeUrl: string;
  /** Its app metrics target, when the description names one. */
  readonly metrics?: MetricsTarget;
}

/** Every environment of every service, in description order: the platform's probe and app metrics targets. */
export function serviceTargets(config: Pick<PlatformConfig, 'services'>): ServiceTarget[] {
  return config.services.flatMap((service, s) =>
    service.environments.map((env, e): ServiceTarget => ({
      service: service.name,
      environment: env.name,
      path: `services[${s}].environments[${e}]`,
      probeUrl: env.probeUrl,
      ...(env.metricsTarget ? { metrics: { address: env.metricsTarget, path: env.metricsPath, ...(env.metricsTls ? { tls: env.metricsTls } : {}) } } : {}),
    })),
  );
}
