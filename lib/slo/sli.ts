import type { ServiceConfig, SloConfig } from '../config/schema';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';

/** The placeholder a custom SLI query uses for the range of each window it is recorded over. */
export const SLI_WINDOW_PLACEHOLDER = '{{window}}';

/** Base name of the built-in latency histogram (a native one is read by this name, a classic one by its series). */
export const BUILT_IN_HISTOGRAM = 'http_request_duration_seconds';

/** Raw metric names the built-in SLIs read. */
export const SLI_METRICS = {
  probeSuccess: 'probe_success',
  requests: 'http_requests_total',
  durationBucket: `${BUILT_IN_HISTOGRAM}_bucket`,
  durationCount: `${BUILT_IN_HISTOGRAM}_count`,
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

/** The SLI kinds: the three built-in ones, and those that read metrics the user names. */
export type SliKind = 'probe' | 'errors' | 'latency' | 'ratio' | 'boolGauge';

/** The SLI kind of an SLO. A latency SLI on a user-named or native histogram is still `latency`. */
export function sliKind(slo: SloConfig): SliKind {
  const sli = slo.sli;
  if (typeof sli === 'string') return sli;
  if ('latency' in sli) return 'latency';
  if ('ratio' in sli) return 'ratio';
  return 'boolGauge';
}

/** True when the SLI reads only the built-in metric names (the ones the game-day world simulates). */
export function readsBuiltInMetrics(slo: SloConfig): boolean {
  const sli = slo.sli;
  return typeof sli === 'string' || ('latency' in sli && sli.latency.metric === undefined && !sli.latency.native);
}

/** The threshold of a latency SLI on the built-in classic histogram, undefined for any other SLI. */
export function builtInLatencyThreshold(slo: SloConfig): number | undefined {
  return readsBuiltInMetrics(slo) && typeof slo.sli === 'object' && 'latency' in slo.sli ? slo.sli.latency.threshold : undefined;
}

/** A user query with its `{{window}}` placeholders replaced by `window`. */
export function withWindow(query: string, window: string): string {
  return query.split(SLI_WINDOW_PLACEHOLDER).join(window);
}

/**
 * The share of bad events of an SLO over `window`, aggregated by (service, environment).
 * - probe: share of failed probes (1 - mean of probe_success);
 * - errors: share of requests answered with a 5xx status (0, not nothing, when there is traffic but no 5xx);
 * - latency: share of requests slower than the threshold bucket (classic histogram), or 1 - histogram_fraction
 *   up to the threshold (native histogram);
 * - ratio: the user's errors (or total - good) over total, 0 when there is traffic but no bad event;
 * - boolGauge: 1 - mean of the 0/1 gauge.
 */
export function sliErrorRatioExpr(service: ServiceConfig, slo: SloConfig, window: string): string {
  const svc = matcher('service', service.name);
  const by = 'sum by (service, environment)';
  const sli = slo.sli;
  if (sli === 'probe') {
    return `1 - avg by (service, environment) (avg_over_time(${SLI_METRICS.probeSuccess}{${matcher('job', SCRAPE_JOBS.probe)},${svc}}[${window}]))`;
  }
  if (typeof sli === 'object' && 'ratio' in sli) {
    const total = `${by} (${withWindow(sli.ratio.total, window)})`;
    if (sli.ratio.good !== undefined) return `1 - ${by} (${withWindow(sli.ratio.good, window)}) / ${total}`;
    return `(${by} (${withWindow(sli.ratio.errors ?? '', window)}) or 0 * ${total}) / ${total}`;
  }
  if (typeof sli === 'object' && 'boolGauge' in sli) {
    const selector = selectorOf(sli.boolGauge.metric, [svc], sli.boolGauge.matchers);
    return `1 - avg by (service, environment) (avg_over_time(${selector}[${window}]))`;
  }
  const app = `${matcher('job', SCRAPE_JOBS.app)},${svc}`;
  const total = `${by} (rate(${SLI_METRICS.requests}{${app}}[${window}]))`;
  if (sli === 'errors') {
    const bad = `${by} (rate(${SLI_METRICS.requests}{${app},status=~"5.."}[${window}]))`;
    return `(${bad} or 0 * ${total}) / ${total}`;
  }
  const { threshold, metric, native, matchers } = sli.latency;
  // the built-in histogram is the app scrape job's; a user-named one may arrive by any path (scrape or OTLP)
  const base = metric === undefined ? [app] : [svc];
  if (native) {
    return `1 - histogram_fraction(0, ${threshold}, ${by} (rate(${selectorOf(metric ?? BUILT_IN_HISTOGRAM, base, matchers)}[${window}])))`;
  }
  const bucket = metric === undefined ? SLI_METRICS.durationBucket : `${metric}_bucket`;
  const count = metric === undefined ? SLI_METRICS.durationCount : `${metric}_count`;
  const good = `${by} (rate(${selectorOf(bucket, [...base, leMatcher(threshold)], matchers)}[${window}]))`;
  const all = `${by} (rate(${selectorOf(count, base, matchers)}[${window}]))`;
  return `1 - ${good} / ${all}`;
}

/** `metric{a,b,extra}`: a selector from matchers we build and the user's extra ones. */
function selectorOf(metric: string, matchers: readonly string[], extra: string | undefined): string {
  return `${metric}{${[...matchers, ...(extra ? [extra] : [])].join(',')}}`;
}

/**
 * Environments of a service for which an SLO has data: those with a metricsTarget for the built-in app
 * metrics, all of them for probes and for user-named metrics (which may arrive by OTLP as well as by scrape).
 */
export function sloEnvironments(service: ServiceConfig, slo: SloConfig): string[] {
  const scrapedOnly = readsBuiltInMetrics(slo) && sliKind(slo) !== 'probe';
  return service.environments.filter((env) => !scrapedOnly || env.metricsTarget).map((env) => env.name);
}
