import type { ServiceConfig, SloConfig } from '../config/schema';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { conventionSelector, isScrapedConvention, serverErrorMatcher, serviceConvention } from './conventions';

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

/** True when the SLI reads the Blackbox exporter's or the service convention's classic metrics, not ones the SLO names. */
export function readsConventionMetrics(slo: SloConfig): boolean {
  const sli = slo.sli;
  return typeof sli === 'string' || ('latency' in sli && sli.latency.metric === undefined && !sli.latency.native);
}

/** A user query with its `{{window}}` placeholders replaced by `window`. */
export function withWindow(query: string, window: string): string {
  return query.split(SLI_WINDOW_PLACEHOLDER).join(window);
}

/** The labels an SLO's series are aggregated by: service, environment and the SLO's `expandBy` labels. */
export function sloGrouping(slo: SloConfig): string[] {
  return ['service', 'environment', ...slo.expandBy];
}

/** What an SLI records over one window: the share of bad events, and the rate of all events where it counts events. */
export interface SliWindowExprs {
  readonly errorRatio: string;
  /** Events per second; undefined for probes and gauges, whose samples are not events. */
  readonly eventRate?: string;
}

/**
 * The SLI of an SLO over `window`, aggregated by its grouping (service, environment and any `expandBy` labels).
 * - probe: share of failed probes (1 - mean of probe_success);
 * - errors: share of requests answered with a 5xx status (0, not nothing, when there is traffic but no 5xx);
 * - latency: share of requests slower than the threshold bucket (classic histogram), or 1 - histogram_fraction
 *   up to the threshold (native histogram);
 * - ratio: the user's errors (or total - good) over total, 0 when there is traffic but no bad event;
 * - boolGauge: 1 - mean of the 0/1 gauge.
 */
export function sliWindowExprs(service: ServiceConfig, slo: SloConfig, window: string): SliWindowExprs {
  const svc = matcher('service', service.name);
  const grouping = sloGrouping(slo).join(', ');
  const by = `sum by (${grouping})`;
  const sli = slo.sli;
  if (sli === 'probe') {
    return { errorRatio: `1 - avg by (${grouping}) (avg_over_time(${SLI_METRICS.probeSuccess}{${matcher('job', SCRAPE_JOBS.probe)},${svc}}[${window}]))` };
  }
  if (typeof sli === 'object' && 'ratio' in sli) {
    const total = `${by} (${withWindow(sli.ratio.total, window)})`;
    if (sli.ratio.good !== undefined) return { errorRatio: `1 - ${by} (${withWindow(sli.ratio.good, window)}) / ${total}`, eventRate: total };
    return { errorRatio: `(${by} (${withWindow(sli.ratio.errors ?? '', window)}) or 0 * ${total}) / ${total}`, eventRate: total };
  }
  if (typeof sli === 'object' && 'boolGauge' in sli) {
    const selector = selectorOf(sli.boolGauge.metric, [svc], sli.boolGauge.matchers);
    return { errorRatio: `1 - avg by (${grouping}) (avg_over_time(${selector}[${window}]))` };
  }
  const convention = serviceConvention(service);
  const app = (...extra: string[]) => conventionSelector(convention, svc, ...extra);
  if (sli === 'errors') {
    const { bad, total } = errorsSliRates(service, slo, window);
    return { errorRatio: `(${bad} or 0 * ${total}) / ${total}`, eventRate: total };
  }
  const { threshold, metric, native, matchers } = sli.latency;
  const extra = matchers ? [matchers] : [];
  // the convention's histogram is selected as the convention says; a user-named one by service (scrape or OTLP)
  const histogram = metric ?? convention.durationHistogram;
  const selector = (name: string, ...more: string[]) =>
    metric === undefined ? `${name}${app(...more, ...extra)}` : selectorOf(name, [svc, ...more], matchers);
  if (native) {
    const rates = `${by} (rate(${selector(histogram)}[${window}]))`;
    return { errorRatio: `1 - histogram_fraction(0, ${threshold}, ${rates})`, eventRate: `histogram_count(${rates})` };
  }
  const good = `${by} (rate(${selector(`${histogram}_bucket`, leMatcher(threshold))}[${window}]))`;
  const all = `${by} (rate(${selector(`${histogram}_count`)}[${window}]))`;
  return { errorRatio: `1 - ${good} / ${all}`, eventRate: all };
}

/**
 * The `errors` SLI's two rates over `window`, aggregated by the SLO's grouping: 5xx answers and all requests, in
 * the service's metric convention. Also what the sloth comparison (bench/sloth-comparison.ts) gives sloth.
 */
export function errorsSliRates(service: ServiceConfig, slo: SloConfig, window: string): { bad: string; total: string } {
  const convention = serviceConvention(service);
  const app = (...extra: string[]) => conventionSelector(convention, matcher('service', service.name), ...extra);
  const by = `sum by (${sloGrouping(slo).join(', ')})`;
  return {
    bad: `${by} (rate(${convention.requests}${app(serverErrorMatcher(convention))}[${window}]))`,
    total: `${by} (rate(${convention.requests}${app()}[${window}]))`,
  };
}

/** The share of bad events of an SLO over `window` (see sliWindowExprs). */
export function sliErrorRatioExpr(service: ServiceConfig, slo: SloConfig, window: string): string {
  return sliWindowExprs(service, slo, window).errorRatio;
}

/** `metric{a,b,extra}`: a selector from matchers we build and the user's extra ones. */
function selectorOf(metric: string, matchers: readonly string[], extra: string | undefined): string {
  return `${metric}{${[...matchers, ...(extra ? [extra] : [])].join(',')}}`;
}

/**
 * Environments of a service for which an SLO has data: those with a metricsTarget for app metrics scraped by
 * the prometheus-client convention, all of them for probes and for metrics that may arrive by OTLP.
 */
export function sloEnvironments(service: ServiceConfig, slo: SloConfig): string[] {
  const scrapedOnly = readsConventionMetrics(slo) && sliKind(slo) !== 'probe' && isScrapedConvention(service);
  return service.environments.filter((env) => !scrapedOnly || env.metricsTarget).map((env) => env.name);
}
