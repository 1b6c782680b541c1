import type { PlatformConfig } from '../config/schema';
import type { HostContext, HostFile } from '../shared/host-file';
import { PATHS, dataDir } from '../shared/host-paths';
import { scaleSettings, usesAmp } from '../contracts/scale-endpoints';
import { GRAFANA_TLS_CERTIFICATE, GRAFANA_TLS_KEY, credentialPath } from './secrets';

/**
 * grafana.ini: listens on `host.grafanaPort` (the only port open to `grafanaAllowedCidrs`), serves under
 * `context.grafanaUrl`, reads the admin password from its systemd credential (filled from
 * `host.grafanaAdminPasswordParameter`), keeps its state on the data volume, shares nothing without a sign-in
 * (snapshots and public dashboards off), and phones nobody.
 */
export function renderGrafanaIni(config: PlatformConfig, context: HostContext): string {
  const data = dataDir('grafana');
  const tls = config.host.grafanaTls;
  const https = Boolean(tls) || context.grafanaUrl.startsWith('https://');
  const sections: Record<string, Record<string, string | number | boolean>> = {
    paths: { data, logs: `${data}/log`, plugins: `${data}/plugins`, provisioning: PATHS.grafanaProvisioningDir },
    server: {
      protocol: tls ? 'https' : 'http',
      http_addr: '0.0.0.0',
      http_port: config.host.grafanaPort,
      root_url: context.grafanaUrl,
      enforce_domain: false,
      ...(tls
        ? {
            cert_file: credentialPath('grafana-server', GRAFANA_TLS_CERTIFICATE),
            cert_key: credentialPath('grafana-server', GRAFANA_TLS_KEY),
            min_tls_version: 'TLS1.2',
            ...(tls.domain ? { domain: tls.domain } : {}),
          }
        : {}),
    },
    database: { type: 'sqlite3', path: 'grafana.db', wal: true },
    security: {
      admin_user: 'admin',
      admin_password: `$__file{${credentialPath('grafana-server', 'grafana-admin-password')}}`,
      disable_gravatar: true,
      cookie_secure: https,
      cookie_samesite: 'lax',
      content_security_policy: true,
      strict_transport_security: https,
    },
    users: { allow_sign_up: false, allow_org_create: false },
    'auth.anonymous': { enabled: false },
    // A snapshot is readable by anyone with its key, without signing in; a public dashboard runs its queries for
    // anyone with the link; the external snapshot service would copy the data off the host.
    snapshots: { enabled: false, external_enabled: false },
    public_dashboards: { enabled: false },
    // The Prometheus data source signs its queries to an AMP workspace with the instance role (scale: distributed).
    ...(usesAmpStore(config) ? { auth: { sigv4_auth_enabled: true } } : {}),
    analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false, feedback_links_enabled: false },
    log: { mode: 'console', level: 'info' },
  };
  const body = Object.entries(sections)
    .map(
      ([name, entries]) =>
        `[${name}]\n${Object.entries(entries)
          .map(([k, v]) => `${k} = ${v}`)
          .join('\n')}\n`,
    )
    .join('\n');
  return `; Rendered by the LGTM platform from config/platform.yaml; do not edit on the host.\n${body}`;
}

function usesAmpStore(config: PlatformConfig): boolean {
  const settings = scaleSettings(config);
  return settings !== undefined && usesAmp(settings.metricsStore);
}

export function renderGrafanaFiles(config: PlatformConfig, context: HostContext): HostFile[] {
  return [{ path: PATHS.grafanaIni, content: renderGrafanaIni(config, context) }];
}
