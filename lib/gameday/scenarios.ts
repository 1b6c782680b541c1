import type { PlatformConfig } from '../config/schema';
import { deploymentFailureScenarios } from './deployment-failure';
import { errorSpikeScenarios } from './error-spike';
import { hostPressureScenarios } from './host-pressure';
import { latencyDegradationScenarios } from './latency-degradation';
import { platformSelfFailureScenarios } from './platform-self-failure';
import { quietBaselineScenario } from './quiet-baseline';
import type { Scenario } from './scenario';
import { serviceOutageScenarios } from './service-outage';
import { slowBurnScenarios } from './slow-burn';

/** Every game day of a config: each family for every service, environment and SLO it has. */
export function gamedayScenarios(config: PlatformConfig): Scenario[] {
  return [
    quietBaselineScenario(config),
    ...serviceOutageScenarios(config),
    ...errorSpikeScenarios(config),
    ...latencyDegradationScenarios(config),
    ...slowBurnScenarios(config),
    ...hostPressureScenarios(config),
    ...platformSelfFailureScenarios(config),
  ];
}

/**
 * Every game day of a config including those that need a running program: the deployment failures, driven
 * through the real DORA exporter against a local fake GitHub.
 */
export async function allGamedayScenarios(config: PlatformConfig): Promise<Scenario[]> {
  return [...gamedayScenarios(config), ...(await deploymentFailureScenarios(config))];
}
