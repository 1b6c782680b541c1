import { grafanaIniOf, isTrue } from '../grafana-ini-values';
import type { PolicyRule } from '../types';

/** Every Grafana user logs in. */
export const grafanaNoAnonymous: PolicyRule = {
  id: 'LGTM-GRAFANA-NO-ANONYMOUS',
  rationale: 'Dashboards show service names, hosts, URLs and logs: nobody sees them without logging in.',
  checkov: [],
  tfsec: [],
  check: (element) => {
    const ini = grafanaIniOf(element);
    if (!ini || !isTrue(ini['auth.anonymous']?.enabled)) return [];
    return [{ found: 'grafana.ini [auth.anonymous] enabled = true', fix: 'set [auth.anonymous] enabled = false (renderGrafanaIni does)' }];
  },
};
