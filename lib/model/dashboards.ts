import { DASHBOARD_BUILDERS, buildDashboard, type Dashboard } from '../dashboards';
import { doraExporter, hostServicesOf } from '../host/services';
import type { AlertDefinition } from '../alerting/alert-definition';
import type { PlatformConfig } from '../config/schema';
import { DASHBOARDS, type DashboardKey } from '../contracts/dashboards';
import { DASHBOARD_FOLDERS, type FolderKey } from '../grafana/folders';

/** One dashboard this platform renders, where it is placed, and the JSON Grafana receives. */
export interface DashboardModel {
  readonly key: DashboardKey;
  readonly uid: string;
  readonly title: string;
  readonly folder: FolderKey;
  /** The built dashboard, panels numbered. */
  readonly json: Dashboard;
}

/**
 * When a dashboard is rendered, for those that have data only with part of the description: the DORA board reads
 * the DORA exporter, so it is rendered when the host runs that program (its descriptor's runsWhen). The others
 * are rendered always.
 */
export const DASHBOARD_RENDERED_WHEN: Partial<Record<DashboardKey, (config: PlatformConfig) => boolean>> = {
  dora: (config) => hostServicesOf(config).includes(doraExporter),
};

/**
 * The dashboards of this platform, in DASHBOARDS order: those it has data for (DASHBOARD_RENDERED_WHEN), each
 * built once. The links below are checked against this set, not against DASHBOARDS, so a dashboard left out
 * cannot leave an alert or another dashboard linking nowhere.
 */
export function compileDashboards(config: PlatformConfig): DashboardModel[] {
  return (Object.keys(DASHBOARD_BUILDERS) as DashboardKey[])
    .filter((key) => DASHBOARD_RENDERED_WHEN[key]?.(config) ?? true)
    .map((key) => {
      const json = buildDashboard(key, config);
      return { key, uid: json.uid ?? '', title: json.title ?? '', folder: DASHBOARD_FOLDERS[key], json };
    });
}

/**
 * What links nowhere, by the library's file it is in: an alert whose `dashboard` this platform does not render,
 * a dashboard linking a uid outside the set, a dashboard whose uid or title is not the one links were made with
 * (lib/contracts/dashboards.ts). Empty when every link resolves.
 */
export function dashboardLinkProblems(
  alerts: readonly Pick<AlertDefinition, 'name' | 'dashboard'>[],
  dashboards: readonly DashboardModel[],
): { source: string; problems: string[] }[] {
  const rendered = new Set(dashboards.map((d) => d.key));
  const uids = new Set(dashboards.map((d) => d.uid));
  const renderedList = [...rendered].join(', ');
  const alertProblems = alerts
    .filter((alert) => !rendered.has(alert.dashboard))
    .map((alert) => `alert ${alert.name} links dashboard ${alert.dashboard}, which this platform does not render (it renders ${renderedList})`);
  const dashboardProblems = dashboards.flatMap((d) => [
    ...(d.uid !== DASHBOARDS[d.key].uid ? [`dashboard ${d.key} is built with uid ${JSON.stringify(d.uid)}, but links use ${DASHBOARDS[d.key].uid}`] : []),
    ...(d.title !== DASHBOARDS[d.key].title
      ? [`dashboard ${d.key} is built with title ${JSON.stringify(d.title)}, but links use ${DASHBOARDS[d.key].title}`]
      : []),
    ...(d.json.links ?? [])
      .map((link) => /^\/d\/([^/?#]+)/.exec(link.url ?? '')?.[1])
      .filter((uid): uid is string => uid !== undefined && !uids.has(uid))
      .map((uid) => `dashboard ${d.key} links /d/${uid}, which this platform does not render`),
  ]);
  return [
    { source: 'lib/alerting/packs', problems: alertProblems },
    { source: 'lib/dashboards/', problems: dashboardProblems },
  ].filter((group) => group.problems.length > 0);
}
