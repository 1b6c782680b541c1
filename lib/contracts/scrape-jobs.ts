/** Scrape job names: rules, relabeling and dashboards select by them. */
export const SCRAPE_JOBS = {
  prometheus: 'prometheus',
  node: 'node',
  /** Blackbox HTTP probes of every environment's probeUrl. */
  probe: 'blackbox-http',
  /** The blackbox exporter's own metrics. */
  blackbox: 'blackbox-exporter',
  /** Every app metrics target; series carry `service` and `environment`. */
  app: 'app',
  dora: 'dora-exporter',
  alertmanager: 'alertmanager',
  loki: 'loki',
  tempo: 'tempo',
  grafana: 'grafana',
  otelcol: 'otelcol',
} as const;

/** Jobs of the platform's own components, watched by PlatformComponentDown (node and DORA have their own alerts). */
export const PLATFORM_COMPONENT_JOBS = [
  SCRAPE_JOBS.prometheus,
  SCRAPE_JOBS.alertmanager,
  SCRAPE_JOBS.blackbox,
  SCRAPE_JOBS.loki,
  SCRAPE_JOBS.tempo,
  SCRAPE_JOBS.grafana,
  SCRAPE_JOBS.otelcol,
] as const;
