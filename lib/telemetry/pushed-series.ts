import { PUSHED_LABEL } from '../contracts/pushed-label';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { CONFIG_SYNC_METRICS } from '../contracts/config-sync';
import { RULE_INPUT_METRICS } from '../prometheus/rule-series';
import { SLI_METRICS } from '../slo/sli';

/**
 * What stops pushed telemetry from impersonating the platform's own series. Remote write turns the OTLP resource
 * attribute `service.name` (with `service.namespace`, `<namespace>/<name>`) into `job`, so without these
 * processors any sender could write `up{job="node"}` and silence HostDown, or write the config sync's timestamps.
 * On the host's collector, in every metrics pipeline:
 * - `filter/reserved-series` drops metrics whose `job` would be one of the scrape jobs (SCRAPE_JOBS) or whose
 *   name is one the alert rules read (RULE_INPUT_METRICS; the app's request metrics excepted, which the SLIs
 *   only read from `job="app"`, a reserved job), a recorded series (`level:metric:operations`), or a platform
 *   component's own family;
 * - `attributes/strip-reserved` and `resource/pushed` remove any `job`/`instance` attribute a sender set, and
 *   mark every pushed series with `lgtm_pushed="true"`, so a query can always tell pushed from scraped.
 */
export { PUSHED_LABEL };

/** Values `job` may never take on a pushed series: every scrape job, and the app-server node jobs' prefix. */
export const RESERVED_JOBS: readonly string[] = Object.values(SCRAPE_JOBS).filter((job) => job !== SCRAPE_JOBS.appNodes);

/** Metric-name prefixes of the platform's own programs (their scraped self-metrics). */
export const RESERVED_METRIC_PREFIXES = [
  'node_',
  'prometheus_',
  'alertmanager_',
  'probe_',
  'blackbox_',
  'loki_',
  'tempo_',
  'otelcol_',
  'grafana_',
  'dora_',
  'lgtm_',
  'scrape_',
] as const;

/** Names the exporter may produce for a pushed metric that a rule reads: the name, or its base before remote write's suffixes. */
const SUFFIXES = /_(total|bucket|count|sum|created)$/;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Exact metric names (and their pre-suffix bases) a pushed series may not have. */
export function reservedMetricNames(): string[] {
  const appSli = new Set<string>([SLI_METRICS.requests, SLI_METRICS.durationBucket, SLI_METRICS.durationCount]);
  const names = ['up', 'ALERTS', 'ALERTS_FOR_STATE', ...Object.values(CONFIG_SYNC_METRICS), ...RULE_INPUT_METRICS.filter((m) => !appSli.has(m))];
  return [...new Set(names.flatMap((name) => [name, name.replace(SUFFIXES, '')]))].sort();
}

/** OTTL string literal (double-quoted, backslashes and quotes escaped). */
function ottlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The filter/attributes/resource processors above, by id, in the order a metrics pipeline runs them. */
export function pushedSeriesProcessors(): Record<string, unknown> {
  const jobs = `^(${RESERVED_JOBS.map(escapeRegex).join('|')})$`;
  const names = `^(${reservedMetricNames().map(escapeRegex).join('|')})$`;
  const prefixes = `^(${RESERVED_METRIC_PREFIXES.map(escapeRegex).join('|')})`;
  return {
    'filter/reserved-series': {
      // A condition that cannot be evaluated (e.g. a missing attribute) counts as not matching.
      error_mode: 'ignore',
      metrics: {
        metric: [
          `IsMatch(resource.attributes["service.name"], ${ottlString(jobs)})`,
          `IsMatch(resource.attributes["service.namespace"], ${ottlString(`^${escapeRegex(SCRAPE_JOBS.appNodes)}(/|$)`)})`,
          `IsMatch(name, ${ottlString(names)})`,
          `IsMatch(name, ${ottlString(prefixes)})`,
          'IsMatch(name, ":")',
        ],
      },
    },
    'attributes/strip-reserved': {
      actions: [
        { key: 'job', action: 'delete' },
        { key: 'instance', action: 'delete' },
      ],
    },
    'resource/pushed': {
      attributes: [
        { key: 'job', action: 'delete' },
        { key: 'instance', action: 'delete' },
        { key: PUSHED_LABEL.attribute, value: PUSHED_LABEL.value, action: 'upsert' },
      ],
    },
  };
}

/** Processor ids of pushedSeriesProcessors, in pipeline order. */
export const PUSHED_SERIES_PROCESSORS = ['filter/reserved-series', 'attributes/strip-reserved', 'resource/pushed'] as const;
