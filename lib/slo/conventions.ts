import type { ServiceConfig } from '../config/schema';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';

/**
 * Metric conventions: which names and labels a service's app speaks for requests, their status and their
 * duration. The built-in `errors` and `latency` SLIs, App5xxRatioHigh and the service dashboard read the
 * names of each service's convention, so an app instrumented with an OpenTelemetry SDK gets the same SLOs,
 * alerts and panels as one using a Prometheus client library.
 */
export interface MetricConvention {
  /** Counter of answered requests, labelled with the status (for OpenTelemetry: the duration histogram's count). */
  readonly requests: string;
  /** Label of `requests` holding the numeric HTTP status code. */
  readonly statusLabel: string;
  /** Base name of the classic duration histogram (`_bucket`, `_count`, `_sum`), in seconds. */
  readonly durationHistogram: string;
  /** Gauge of requests being served now; undefined when the convention has none. */
  readonly inProgress?: string;
  /** Matchers besides `service` that select the app's series. */
  readonly matchers: readonly string[];
}

/** The named conventions, as the config spells them. */
export const METRIC_CONVENTIONS = {
  /** The Prometheus client libraries as docs/instrumenting-your-app.md shows them, scraped as job `app`. */
  'prometheus-client': {
    requests: 'http_requests_total',
    statusLabel: 'status',
    durationHistogram: 'http_request_duration_seconds',
    inProgress: 'http_requests_in_progress',
    matchers: [`job="${SCRAPE_JOBS.app}"`],
  },
  /**
   * OpenTelemetry HTTP semantic conventions (`http.server.request.duration` in seconds, with
   * `http.response.status_code`; `http.server.active_requests`), as the collector's remote write names them.
   * They arrive by OTLP, not by a scrape job: the agent's resource attributes give them `service` and `environment`.
   */
  opentelemetry: {
    requests: 'http_server_request_duration_seconds_count',
    statusLabel: 'http_response_status_code',
    durationHistogram: 'http_server_request_duration_seconds',
    inProgress: 'http_server_active_requests',
    matchers: [],
  },
} as const satisfies Record<string, MetricConvention>;

export type MetricConventionName = keyof typeof METRIC_CONVENTIONS;

/** The convention a service's config names or spells out. */
export function serviceConvention(service: ServiceConfig): MetricConvention {
  const convention = service.metricConvention;
  if (typeof convention === 'string') return METRIC_CONVENTIONS[convention];
  return {
    requests: convention.requests,
    statusLabel: convention.statusLabel,
    durationHistogram: convention.durationHistogram,
    inProgress: convention.inProgress,
    matchers: convention.matchers ? [convention.matchers] : [],
  };
}

/** True when the service's app metrics are scraped from its metricsTarget (job `app`), not pushed by OTLP. */
export function isScrapedConvention(service: ServiceConfig): boolean {
  return service.metricConvention === 'prometheus-client';
}

/** `{service="x",<convention matchers>,<extra>}` for one of the convention's metrics. */
export function conventionSelector(convention: MetricConvention, serviceMatcher: string, ...extra: string[]): string {
  return `{${[...convention.matchers, serviceMatcher, ...extra].join(',')}}`;
}

/** The matcher that selects server errors (5xx) on the convention's status label. */
export function serverErrorMatcher(convention: MetricConvention): string {
  return `${convention.statusLabel}=~"5.."`;
}

/**
 * Rate of server errors and of all requests over `window`, by (service, environment), for every convention in
 * use: one pair for all prometheus-client services (they share job `app`), one per service of another convention.
 */
export function serverErrorRates(services: readonly ServiceConfig[], window: string): { errors: string; total: string }[] {
  const rates = (convention: MetricConvention, ...serviceMatcher: string[]) => {
    const selector = (...extra: string[]) => `{${[...convention.matchers, ...serviceMatcher, ...extra].join(',')}}`;
    return {
      errors: `sum by (service, environment) (rate(${convention.requests}${selector(serverErrorMatcher(convention))}[${window}]))`,
      total: `sum by (service, environment) (rate(${convention.requests}${selector()}[${window}]))`,
    };
  };
  return [
    rates(METRIC_CONVENTIONS['prometheus-client']),
    ...services
      .filter((service) => !isScrapedConvention(service))
      .map((service) => rates(serviceConvention(service), `service=${JSON.stringify(service.name)}`)),
  ];
}

/**
 * The distinct metric names of a config's services' conventions (matchers dropped: the dashboards select by
 * `service`), prometheus-client first and always present, so a config without services keeps the default queries.
 */
export function conventionsInUse(services: readonly ServiceConfig[]): MetricConvention[] {
  const seen = new Map<string, MetricConvention>();
  for (const convention of [METRIC_CONVENTIONS['prometheus-client'], ...services.map(serviceConvention)]) {
    const names = { ...convention, matchers: [] };
    seen.set(JSON.stringify(names), names);
  }
  return [...seen.values()];
}

/** Metric names the services' explicit conventions declare (their apps produce them, so dashboards may read them). */
export function declaredAppMetrics(services: readonly ServiceConfig[]): string[] {
  return services
    .filter((service) => typeof service.metricConvention === 'object')
    .flatMap((service) => {
      const c = serviceConvention(service);
      return [c.requests, ...['bucket', 'sum', 'count'].map((suffix) => `${c.durationHistogram}_${suffix}`), ...(c.inProgress ? [c.inProgress] : [])];
    });
}
