import type { DashboardKey } from '../contracts/dashboards';

/** Grafana folders, one per area, with fixed UIDs. */
export const FOLDERS = {
  infrastructure: { uid: 'lgtm-infrastructure', title: 'Infrastructure' },
  services: { uid: 'lgtm-services', title: 'Services' },
  delivery: { uid: 'lgtm-delivery', title: 'Delivery' },
  platform: { uid: 'lgtm-platform-folder', title: 'Observability platform' },
} as const;

export type FolderKey = keyof typeof FOLDERS;

/** The folder each dashboard lives in. */
export const DASHBOARD_FOLDERS: Record<DashboardKey, FolderKey> = {
  host: 'infrastructure',
  uptime: 'infrastructure',
  service: 'services',
  slo: 'services',
  unified: 'services',
  dora: 'delivery',
  platform: 'platform',
};
