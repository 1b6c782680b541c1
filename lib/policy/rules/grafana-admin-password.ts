import { isReference, quote } from '../elements';
import { grafanaIniOf } from '../grafana-ini-values';
import type { Finding, PolicyRule } from '../types';

/** Grafana's admin password is read from a file or the environment on the host, and from SSM by Terraform. */
export const grafanaAdminPassword: PolicyRule = {
  id: 'LGTM-GRAFANA-ADMIN-PASSWORD',
  rationale: "Grafana's admin password is never a literal: the host reads it from its systemd credential, Terraform from SSM.",
  checkov: [],
  tfsec: [],
  check: (element) => {
    const findings: Finding[] = [];
    const ini = grafanaIniOf(element);
    const password = ini?.security?.admin_password;
    if (password !== undefined && !/^\$__(file|env|vault)\{[^}]+\}$/.test(password))
      findings.push({
        found: `grafana.ini [security] admin_password is a literal`,
        fix: 'read it from host.grafanaAdminPasswordParameter: admin_password = $__file{/run/credentials/grafana-server.service/grafana-admin-password}',
      });
    if (element.kind === 'provider' && element.type === 'grafana') {
      const auth = element.attributes.auth;
      if (auth !== undefined && !isReference(auth))
        findings.push({
          found: `provider auth ${quote(String(auth).replace(/:.*/, ':…'))} is a literal`,
          fix: 'read it from SSM as an ephemeral resource (GrafanaStack does, from grafana.authParameter or host.grafanaAdminPasswordParameter)',
        });
    }
    return findings;
  },
};
