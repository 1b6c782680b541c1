import type { ServiceConfig, SloConfig } from '../config/schema';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';

/** Raw metric names the SLIs read. */
export const SLI_METRICS = {
  probeSuccess: 'probe_success',
  requests: 'http_requests_total',
  durationBucket: 'http_request_duration_seconds_bucket',
  durationCount: 'http_request_duration_seconds_count',
} as const;

/** `label="value"` with the value escaped for a PromQL double-quoted string. */
export function matcher(label: string, value: string): string {
  return `${label}=${JSON.stringify(value)}`;
}

/**
 * Matcher for the `le` bucket of a threshold. Client libraries write whole numbers as `1` (Go) or `1.0`
 * (Python), and Prometheus 3 normalises to `1.0`, so both spellings match.
 */
export function leMatcher(threshold: number): string {
  const text = String(threshold);
  const escaped = text.replace(/\./g, '\\\\.');
  return Number.isInteger(threshold) ? `le=~"${escaped}|${escaped}\\\\.0"` : `le=~"${escaped}"`;
}

/** The SLI kind of an SLO: `probe`, `errors` or `latency`. */
export function sliKind(slo: SloConfig): 'probe' | 'errors' | 'latency' {
  return typeof slo.sli === 'object' ? 'latency' : slo.sli;
}

/**
 * The share of bad events of an SLO over `window`, aggregated by (service, environment).
 * - probe: share of failed probes (1 - mean of probe_success);
 * - errors: share of requests answered with a 5xx status (0, not nothing, when there is traffic but no 5xx);
 * - latency: share of requests slower than the threshold bucket.
 */
export function sliErrorRatioExpr(service: ServiceConfig, slo: SloConfig, window: string): string {
  const svc = matcher('service', service.name);
  const by = 'sum by (service, environment)';
  const sli = slo.sli;
  if (sli === 'probe') {
    return `1 - avg by (service, environment) (avg_over_time(${SLI_METRICS.probeSuccess}{${matcher('job', SCRAPE_JOBS.probe)},${svc}}[${window}]))`;
  }
  const app = `${matcher('job', SCRAPE_JOBS.app)},${svc}`;
  const total = `${by} (rate(${SLI_METRICS.requests}{${app}}[${window}]))`;
  if (sli === 'errors') {
    const bad = `${by} (rate(${SLI_METRICS.requests}{${app},status=~"5.."}[${window}]))`;
    return `(${bad} or 0 * ${total}) / ${total}`;
  }
  const good = `${by} (rate(${SLI_METRICS.durationBucket}{${app},${leMatcher(sli.latency.threshold)}}[${window}]))`;
  const all = `${by} (rate(${SLI_METRICS.durationCount}{${app}}[${window}]))`;
  return `1 - ${good} / ${all}`;
}

/** Environments of a service for which an SLO has data: all for probes, those with a metricsTarget otherwise. */
export function sloEnvironments(service: ServiceConfig, slo: SloConfig): string[] {
  return service.environments.filter((env) => sliKind(slo) === 'probe' || env.metricsTarget).map((env) => env.name);
}
