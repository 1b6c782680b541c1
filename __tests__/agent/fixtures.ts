import { join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { agentTargets, type AgentTarget } from '../../lib/agent/targets';
import { platformConfig } from '../helpers/platform-fixtures';

export const APP_SG = 'sg-0123456789abcdef0';
export const MONITORING_IP = '10.0.3.17';

/** The default config with agents: production with journald, files and an app security group; staging journald only. */
export function agentConfig(edit?: (raw: any) => void): PlatformConfig {
  return platformConfig((raw) => {
    raw.services[0].environments[1].agent = {
      selector: { tag: { Role: 'anvila-api', Env: 'production' } },
      logs: { journald: ['anvila-api.service'], files: ['/var/log/anvila/*.log'] },
      appSecurityGroupId: APP_SG,
    };
    raw.services[0].environments[0].agent = { selector: { tag: { Role: 'anvila-api', Env: 'staging' } }, logs: { journald: ['anvila-api.service'] } };
    edit?.(raw);
  });
}

/** The two-services example, which enables agents in config only. */
export const TWO_SERVICES: PlatformConfig = loadPlatformConfig(join(__dirname, '..', 'fixtures', 'two-services.yaml'));

export function targetOf(config: PlatformConfig, id: string): AgentTarget {
  const target = agentTargets(config).find((t) => t.id === id);
  if (!target) throw new Error(`no agent ${id}`);
  return target;
}
