import { join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import type { ScaleEndpoints } from '../../lib/contracts/scale-endpoints';
import type { HostContext } from '../../lib/shared/host-file';
import { platformConfig } from '../helpers/platform-fixtures';

export const DISTRIBUTED_EXAMPLE = join(__dirname, '../../examples/distributed.yaml');
export const REMOTE_WRITE_FIXTURE = join(__dirname, '../fixtures/distributed-remote-write.yaml');

/** examples/distributed.yaml: AMP, ingest fleet, longer retention. */
export const distributedConfig = (): PlatformConfig => loadPlatformConfig(DISTRIBUTED_EXAMPLE);
/** A Mimir-style remote-write store with basic auth from SSM and a tenant, no ingest fleet. */
export const remoteWriteConfig = (): PlatformConfig => loadPlatformConfig(REMOTE_WRITE_FIXTURE);

/** The default config switched to `scale: distributed` and nothing else: the mode-invariance baseline. */
export function switchedConfig(): PlatformConfig {
  return platformConfig((raw) => {
    raw.scale = 'distributed';
    raw.distributed = { metricsStore: { amp: {} }, ingest: { nodes: { min: 2, max: 4 } } };
  });
}

/** Endpoints as the infra stack would hand them over, with plain values. */
export const ENDPOINTS: ScaleEndpoints = {
  lokiBucket: 'anvila-logs-20261125',
  tempoBucket: 'anvila-traces-20261125',
  region: 'us-east-1',
  remoteWriteUrl: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-12345678-aaaa-bbbb-cccc-123456789012/api/v1/remote_write',
  queryUrl: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-12345678-aaaa-bbbb-cccc-123456789012/',
  sigv4Region: 'us-east-1',
};

export const CONTEXT: HostContext = { grafanaUrl: 'http://203.0.113.10:3000', scale: ENDPOINTS };
export const SINGLE_CONTEXT: HostContext = { grafanaUrl: 'http://203.0.113.10:3000' };
