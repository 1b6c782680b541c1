import { STATIC_ALERTS } from '../alerting/packs';
import { SERVICE_ALERT_LABELS_SERIES } from '../alerting/service-labels';
import { APP_TARGET_EXPECTED_SERIES } from './app-targets';
import { SLO_RECORDED_SERIES } from '../slo/slo-rules';
import { SLI_METRICS } from '../slo/sli';

/** Every series name the rules of this platform record: the SLO vocabulary of lib/contracts/slo-series.ts, the services' routing labels and the configured app targets. */
export const RECORDED_SERIES: readonly string[] = [...SLO_RECORDED_SERIES, SERVICE_ALERT_LABELS_SERIES, APP_TARGET_EXPECTED_SERIES];

/** Every raw (scraped) metric name the rules read, sorted (the per-SLO alerts read recorded series only). */
export const RULE_INPUT_METRICS: readonly string[] = [
  ...new Set([...STATIC_ALERTS.flatMap((a) => a.reads), ...Object.values(SLI_METRICS)].filter((m) => !RECORDED_SERIES.includes(m))),
].sort();
