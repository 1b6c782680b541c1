import type { PlatformConfig } from '../config/schema';
import { placeholderScaleEndpoints, scaleSettings, usesAmp } from '../contracts/scale-endpoints';
import type { HostContext } from '../shared/host-file';
import { REMOTE_WRITE_PASSWORD, REMOTE_WRITE_TOKEN, credentialPath } from '../host/secrets';

/**
 * Queue of the remote write, sized for bursts: up to `capacity` samples buffered per shard while the store is
 * slow, at most `max_shards` parallel senders of `max_samples_per_send` each (100k samples per round at full
 * width), and a backoff that backs off to 10 s instead of hammering a throttling store. Prometheus keeps its
 * own WAL, so a longer outage replays from disk rather than dropping. Keys as documented for
 * `remote_write.queue_config` (accepted by promtool 2.42 and Prometheus 3.5).
 */
export const REMOTE_WRITE_QUEUE = {
  capacity: 10000,
  max_shards: 50,
  min_shards: 2,
  max_samples_per_send: 2000,
  batch_send_deadline: '5s',
  min_backoff: '100ms',
  max_backoff: '10s',
} as const;

/** Name of the remote write in Prometheus' own metrics (`prometheus_remote_storage_*{remote_name=...}`). */
export const REMOTE_WRITE_NAME = 'long-term';

/**
 * `remote_write` of `scale: distributed`: every sample Prometheus ingests (scraped, received, recorded) also
 * goes to the long-term store. Rules and alerts are still evaluated locally, so alerting never depends on the
 * remote store. AMP is signed with SigV4 from the instance role; other stores take basic auth or a bearer
 * token from systemd credentials filled from SSM. Empty for `scale: single`.
 */
export function remoteWriteConfig(config: PlatformConfig, context?: HostContext): Record<string, unknown>[] {
  const settings = scaleSettings(config);
  const endpoints = context?.scale ?? placeholderScaleEndpoints(config);
  if (!settings || !endpoints) return [];
  const store = settings.metricsStore;
  const auth: Record<string, unknown> = {};
  if (usesAmp(store)) auth.sigv4 = { region: endpoints.sigv4Region ?? endpoints.region };
  else {
    if (store.basicAuthUsername) auth.basic_auth = { username: store.basicAuthUsername, password_file: credentialPath('prometheus', REMOTE_WRITE_PASSWORD) };
    if (store.bearerTokenParameter) auth.authorization = { type: 'Bearer', credentials_file: credentialPath('prometheus', REMOTE_WRITE_TOKEN) };
    if (store.tenant) auth.headers = { 'X-Scope-OrgID': store.tenant };
  }
  return [
    {
      url: endpoints.remoteWriteUrl,
      name: REMOTE_WRITE_NAME,
      remote_timeout: '30s',
      ...auth,
      queue_config: { ...REMOTE_WRITE_QUEUE },
      metadata_config: { send: true, send_interval: '1m' },
    },
  ];
}
