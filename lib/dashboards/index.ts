/**
 * Every dashboard of the platform, one builder per file. Keys are those of lib/contracts/dashboards.ts, so a
 * dashboard added there without a builder here fails to compile.
 */
import type { PlatformConfig } from '../config/schema';
import type { DashboardKey } from '../contracts/dashboards';
import type { Dashboard } from './common';
import { doraDashboard } from './dora';
import { hostDashboard } from './host';
import { platformDashboard } from './platform';
import { serviceDashboard } from './service';
import { sloDashboard } from './slo';
import { unifiedDashboard } from './unified';
import { uptimeDashboard } from './uptime';

export type { Dashboard } from './common';

export const DASHBOARD_BUILDERS: Record<DashboardKey, (config: PlatformConfig) => Dashboard> = {
  host: hostDashboard,
  uptime: uptimeDashboard,
  service: serviceDashboard,
  slo: sloDashboard,
  dora: doraDashboard,
  unified: unifiedDashboard,
  platform: platformDashboard,
};

/** Gives every panel (rows included) a stable id, 1..n in layout order, so panel links and diffs are stable. */
function numberPanels(model: Dashboard): Dashboard {
  let id = 0;
  const panels = (model.panels ?? []).map((panel) => ({ ...panel, id: ++id }));
  return { ...model, panels };
}

/** One dashboard built from a config, panels numbered. */
export function buildDashboard(key: DashboardKey, config: PlatformConfig): Dashboard {
  return numberPanels(DASHBOARD_BUILDERS[key](config));
}

/** All dashboards built from one config, keyed like DASHBOARDS. */
export function buildDashboards(config: PlatformConfig): Record<DashboardKey, Dashboard> {
  return Object.fromEntries((Object.keys(DASHBOARD_BUILDERS) as DashboardKey[]).map((key) => [key, buildDashboard(key, config)])) as Record<
    DashboardKey,
    Dashboard
  >;
}
