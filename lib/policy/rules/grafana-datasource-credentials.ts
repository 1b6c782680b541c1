import { isReference, quote } from '../elements';
import type { Finding, PolicyRule } from '../types';

const SECRET_KEY = /(password|secret|token|api[_-]?key|credential)/i;

/** Data sources keep credentials server-side and out of URLs and plain settings. */
export const grafanaDatasourceCredentials: PolicyRule = {
  id: 'LGTM-GRAFANA-DATASOURCE-CREDENTIALS',
  rationale: "Data sources go through Grafana's proxy and keep credentials in secure settings, never in URLs, plain JSON or the browser.",
  checkov: [],
  tfsec: [],
  check: (element) => {
    if (element.kind !== 'resource' || element.type !== 'grafana_data_source') return [];
    const a = element.attributes;
    const findings: Finding[] = [];
    if (a.access_mode === 'direct')
      findings.push({ found: 'access_mode "direct" (the browser calls the data source itself)', fix: 'use access_mode "proxy" (GrafanaStack does)' });
    if (typeof a.url === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(a.url))
      findings.push({
        found: `url with credentials (${quote(a.url.replace(/\/\/[^/@]*@/, '//…@'))})`,
        fix: 'remove user:password@ from the URL; put credentials in secure_json_data_encoded from SSM',
      });
    if (typeof a.basic_auth_password === 'string' && !isReference(a.basic_auth_password))
      findings.push({ found: 'basic_auth_password is a literal', fix: 'read it from SSM (an ephemeral aws_ssm_parameter) into secure_json_data_encoded' });
    if (typeof a.json_data_encoded === 'string') {
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(a.json_data_encoded.replace(/\$\$\{/g, '${'));
      } catch {
        /* not JSON: nothing to read */
      }
      for (const [key, value] of Object.entries(json))
        if (SECRET_KEY.test(key) && typeof value === 'string' && value !== '')
          findings.push({ found: `json_data_encoded.${key} holds a value in plain settings`, fix: 'move it to secure_json_data_encoded, read from SSM' });
    }
    for (const key of ['secure_json_data_encoded', 'http_headers']) {
      const value = a[key];
      if (value === undefined) continue;
      const texts = typeof value === 'string' ? [value] : Object.values(value as Record<string, unknown>).map(String);
      if (texts.some((t) => t.trim() !== '' && !isReference(t)))
        findings.push({ found: `${key} holds a literal`, fix: 'read the value from SSM (an ephemeral aws_ssm_parameter), never from config or code' });
    }
    return findings;
  },
};
