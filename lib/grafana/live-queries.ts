import { buildDashboards } from '../dashboards';
import type { PlatformConfig } from '../config/schema';
import { sampleVariableValues } from './dashboard-checks';
import { dashboardQueries, substituteVariables } from './dashboard-queries';
import { DASHBOARDS, type DashboardKey } from '../contracts/dashboards';

/** Dashboards whose Prometheus panel queries the live host test runs against a real Prometheus. */
export const LIVE_QUERY_DASHBOARDS = ['host', 'uptime', 'slo'] as const satisfies readonly DashboardKey[];

/** One Prometheus panel query, ready to send to `/api/v1/query` (no Grafana variables left). */
export interface LivePrometheusQuery {
  readonly dashboard: DashboardKey;
  readonly dashboardUid: string;
  /** Panel title. */
  readonly panel: string;
  readonly refId: string;
  /** PromQL with every variable replaced (`$service` → a service name, `$__rate_interval` → `1m`). */
  readonly expr: string;
}

/**
 * The Prometheus panel queries of the Host, Uptime and SLO dashboards (or `keys`), with variables substituted:
 * dashboard variables from `values` (default: the config's first service, environment and SLO, instance
 * `127.0.0.1:9100`), `$__rate_interval` and `$__interval` → `1m`, `$__range` → `1h`. A live test sends each
 * `expr` to Prometheus and expects `status: success`.
 */
export function livePrometheusQueries(
  config: PlatformConfig,
  values: Readonly<Record<string, string>> = {},
  keys: readonly DashboardKey[] = LIVE_QUERY_DASHBOARDS,
): LivePrometheusQuery[] {
  const dashboards = buildDashboards(config);
  const all = { ...sampleVariableValues(config), ...values };
  return keys.flatMap((key) =>
    dashboardQueries(key, dashboards[key])
      .filter((query) => query.language === 'promql' && query.location.startsWith('panel '))
      .map((query) => ({
        dashboard: key,
        dashboardUid: DASHBOARDS[key].uid,
        panel: query.location.replace(/^panel "(.*)"$/, '$1'),
        refId: query.refId,
        expr: substituteVariables(query.expr, all),
      })),
  );
}
