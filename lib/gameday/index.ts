/** Game days: scenarios built from a platform config, and the promtool runner that checks them. */
export type { ExpectedAlert, ExpectedResolution, Scenario, ScenarioChart, ScenarioFamily } from './scenario';
export { allGamedayScenarios, gamedayScenarios } from './scenarios';
export { deploymentFailureScenario, deploymentFailureScenarios } from './deployment-failure';
export { serviceOutageScenario, serviceOutageScenarios } from './service-outage';
export { errorSpikeScenario, errorSpikeScenarios } from './error-spike';
export { latencyDegradationScenario, latencyDegradationScenarios } from './latency-degradation';
export { slowBurnScenario, slowBurnScenarios } from './slow-burn';
export { hostCpuScenario, hostDiskScenario, hostPressureScenarios, unitCrashLoopScenario } from './host-pressure';
export {
  componentDownScenario,
  configPushRefusedScenario,
  configSyncStaleScenario,
  notificationsFailingScenario,
  platformSelfFailureScenarios,
  ruleEvaluationFailuresScenario,
} from './platform-self-failure';
export { quietBaselineScenario } from './quiet-baseline';
export { formatResult, runScenarios, scenarioChecks, scenarioTestCase, type ScenarioResult } from './runner';
export { PromtoolMissingError } from './promtool';
export { formatTable, runGameday, type GamedayRow } from './session';
export { renderReport, writeReport } from './report';
