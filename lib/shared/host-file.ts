import type { ScaleEndpoints } from '../contracts/scale-endpoints';

/** One file the monitoring host receives, at its absolute path on the host. */
export interface HostFile {
  /** Absolute path on the host, e.g. `/etc/prometheus/prometheus.yml`. */
  readonly path: string;
  readonly content: string;
  /**
   * Octal permission bits, as `npm run render` writes the file and as the infra stack labels its bucket object
   * (metadata `mode`). The config sync does not read them: it installs `/usr/local/sbin/*` 0755 and every other
   * file 0644 (`swap_in` in lib/host/config-sync.ts). @default '0644'
   */
  readonly mode?: string;
}

/**
 * Values that exist only once the infra stack is deployed. At synth they are Terraform tokens that resolve at
 * apply time; `npm run render` and the tests pass plain strings.
 */
export interface HostContext {
  /** Base URL under which users open Grafana, e.g. `http://203.0.113.10:3000`. */
  readonly grafanaUrl: string;
  /** Buckets and metrics-store URLs of `scale: distributed`. @default placeholders (see placeholderScaleEndpoints) */
  readonly scale?: ScaleEndpoints;
}
