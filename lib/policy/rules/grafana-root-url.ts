import { quote } from '../elements';
import { grafanaIniOf } from '../grafana-ini-values';
import type { PolicyRule } from '../types';

const PLACEHOLDER_HOSTS = /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|.*\.localhost|.*\.invalid)$/i;

/** Whether a root URL is where users really open Grafana (Terraform references resolve at apply time). */
export function isRealRootUrl(value: string | undefined): boolean {
  if (!value || value.includes('%(')) return false;
  let url: URL;
  try {
    url = new URL(value.replace(/\$\{[^}]*\}/g, 'resolved-at-apply.example'));
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !PLACEHOLDER_HOSTS.test(url.hostname);
}

/** Grafana knows the URL users open it under: links in alerts, redirects and cookies depend on it. */
export const grafanaRootUrl: PolicyRule = {
  id: 'LGTM-GRAFANA-ROOT-URL',
  rationale: 'A real root_url makes login redirects, cookies and alert links point at the Grafana users actually open.',
  checkov: [],
  tfsec: [],
  check: (element) => {
    const ini = grafanaIniOf(element);
    if (!ini) return [];
    const rootUrl = ini.server?.root_url;
    if (isRealRootUrl(rootUrl)) return [];
    return [
      {
        found: `grafana.ini [server] root_url ${quote(rootUrl)}`,
        fix: "set alerting.grafanaBaseUrl to the URL users open, or leave it unset to use the Elastic IP's address",
      },
    ];
  },
};
