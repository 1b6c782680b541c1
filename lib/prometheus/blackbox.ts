import * as yaml from 'js-yaml';
import type { PlatformConfig } from '../config/schema';

export const BLACKBOX_CONFIG_PATH = '/etc/blackbox_exporter/blackbox.yml';
/** Module probing every environment's probeUrl: status 2xx, latency, TLS certificate expiry. */
export const BLACKBOX_HTTP_MODULE = 'http_2xx';

/** /etc/blackbox_exporter/blackbox.yml. Pure; the modules are the same for every config today. */
export function renderBlackboxConfig(_config?: PlatformConfig): string {
  const document = {
    modules: {
      [BLACKBOX_HTTP_MODULE]: {
        prober: 'http',
        // below the 10s scrape timeout, so a slow target yields probe_success 0 rather than a failed scrape
        timeout: '8s',
        http: {
          method: 'GET',
          valid_status_codes: [],
          follow_redirects: true,
          preferred_ip_protocol: 'ip4',
          ip_protocol_fallback: true,
          fail_if_not_ssl: false,
          tls_config: { insecure_skip_verify: false },
        },
      },
    },
  };
  return `# Rendered by lib/prometheus/blackbox.ts; do not edit on the host.\n${yaml.dump(document, { lineWidth: -1, noRefs: true })}`;
}
