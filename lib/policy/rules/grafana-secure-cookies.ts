import { grafanaIniOf, isTrue } from '../grafana-ini-values';
import type { Finding, PolicyRule } from '../types';

/** Session cookies are Secure whenever Grafana is served over HTTPS, and never SameSite=None. */
export const grafanaSecureCookies: PolicyRule = {
  id: 'LGTM-GRAFANA-SECURE-COOKIES',
  rationale: 'Session cookies travel only over HTTPS when Grafana has it (Secure) and never to other sites (SameSite lax/strict).',
  checkov: [],
  tfsec: [],
  check: (element) => {
    const ini = grafanaIniOf(element);
    if (!ini) return [];
    const findings: Finding[] = [];
    const https = ini.server?.protocol === 'https' || /^https:\/\//.test(ini.server?.root_url ?? '');
    if (https && !isTrue(ini.security?.cookie_secure))
      findings.push({
        found: 'grafana.ini [security] cookie_secure is not true although Grafana is served over https',
        fix: 'set [security] cookie_secure = true (renderGrafanaIni does for https)',
      });
    const sameSite = (ini.security?.cookie_samesite ?? 'lax').toLowerCase();
    if (sameSite === 'none' || sameSite === 'disabled')
      findings.push({ found: `grafana.ini [security] cookie_samesite = ${sameSite}`, fix: 'set [security] cookie_samesite = lax or strict' });
    return findings;
  },
};
