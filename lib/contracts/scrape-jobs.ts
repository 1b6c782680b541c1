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
  /**
   * Prefix of the app servers' Node Exporter scrape jobs, one per environment with an agent
   * (`app-nodes/<service>/<environment>`, found by EC2 discovery). Their series carry `job="node"`, like the
   * monitoring host's, so host alerts and the host dashboard cover app servers unchanged.
   */
  appNodes: 'app-nodes',
} as const;

/** The scrape job of one environment's app servers (its series are relabeled to `job="node"`). */
export function appNodesJobName(service: string, environment: string): string {
  return `${SCRAPE_JOBS.appNodes}/${service}/${environment}`;
}
