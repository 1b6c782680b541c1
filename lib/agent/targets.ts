import type { AgentConfig, EnvironmentConfig, PlatformConfig, ServiceConfig } from '../config/schema';

/** One environment whose app servers run the telemetry agent. */
export interface AgentTarget {
  readonly service: ServiceConfig;
  readonly environment: EnvironmentConfig;
  readonly agent: AgentConfig;
  /** `<service>-<environment>`: names the SSM document, the association and Terraform ids. */
  readonly id: string;
  /** Where it sits in config, for messages. */
  readonly configPath: string;
}

/** Every environment with `agent` set, in config order. */
export function agentTargets(config: PlatformConfig): AgentTarget[] {
  return config.services.flatMap((service, s) =>
    service.environments.flatMap((environment, e) =>
      environment.agent
        ? [{ service, environment, agent: environment.agent, id: `${service.name}-${environment.name}`, configPath: `services[${s}].environments[${e}].agent` }]
        : [],
    ),
  );
}

/** The selector's tags as sorted `[key, value]` pairs: the same order in the association, EC2 filters and tests. */
export function selectorTags(agent: AgentConfig): [string, string][] {
  return Object.entries(agent.selector.tag).sort(([a], [b]) => a.localeCompare(b));
}
