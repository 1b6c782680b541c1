import { grafanaIniOf, isTrue } from '../grafana-ini-values';
import type { Finding, PolicyRule } from '../types';

/** Nobody creates their own Grafana account or organisation. */
export const grafanaNoSignUp: PolicyRule = {
  id: 'LGTM-GRAFANA-NO-SIGN-UP',
  rationale: 'Accounts are created by an admin; open sign-up would let anyone who reaches the port in.',
  checkov: [],
  tfsec: [],
  check: (element) => {
    const ini = grafanaIniOf(element);
    if (!ini) return [];
    const findings: Finding[] = [];
    for (const key of ['allow_sign_up', 'allow_org_create'])
      if (isTrue(ini.users?.[key])) findings.push({ found: `grafana.ini [users] ${key} = true`, fix: `set [users] ${key} = false (renderGrafanaIni does)` });
    return findings;
  },
};
