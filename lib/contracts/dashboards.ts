/**
 * Dashboards by fixed UID, so that alerts, runbooks and other dashboards link to them before Grafana exists.
 * `variables` are the template variables the dashboard takes from a link (`var-<name>`).
 */
export const DASHBOARDS = {
  host: { uid: 'lgtm-host', title: 'Host', variables: ['instance'] },
  uptime: { uid: 'lgtm-uptime', title: 'Uptime', variables: ['service', 'environment'] },
  service: { uid: 'lgtm-service', title: 'Service golden signals', variables: ['service', 'environment'] },
  slo: { uid: 'lgtm-slo', title: 'SLO and error budget', variables: ['service', 'environment', 'slo'] },
  dora: { uid: 'lgtm-dora', title: 'DORA', variables: ['repo'] },
  unified: { uid: 'lgtm-unified', title: 'Unified observability', variables: ['service', 'environment'] },
  platform: { uid: 'lgtm-platform', title: 'Platform self-monitoring', variables: [] },
} as const;

export type DashboardKey = keyof typeof DASHBOARDS;

/**
 * The link to a dashboard. Variable values may be Prometheus template expressions (`{{ $labels.service }}`)
 * when the link is an alert annotation.
 */
export function dashboardUrl(grafanaUrl: string, key: DashboardKey, values: Partial<Record<string, string>> = {}): string {
  const dashboard = DASHBOARDS[key];
  const query = (dashboard.variables as readonly string[])
    .filter((name) => values[name] !== undefined)
    .map((name) => `var-${name}=${values[name]}`)
    .join('&');
  const base = `${grafanaUrl.replace(/\/+$/, '')}/d/${dashboard.uid}`;
  return query ? `${base}?${query}` : base;
}
