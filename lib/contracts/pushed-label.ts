/**
 * The label every series pushed over OTLP carries in Prometheus (set by the host collector's `resource/pushed`,
 * lib/telemetry/pushed-series.ts), so rules and queries can always tell pushed from scraped series.
 */
export const PUSHED_LABEL = { attribute: 'lgtm.pushed', label: 'lgtm_pushed', value: 'true' } as const;
