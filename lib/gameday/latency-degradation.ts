import type { PlatformConfig, ServiceConfig, SloConfig } from '../config/schema';
import { fastBurnShare, round } from './error-spike';
import { quietExcept, SLO_BUDGET_SPENT_ALERTS, type ExpectedResolution, type Scenario } from './scenario';
import { HISTORY_MINUTES } from './service-outage';
import { latest, sloOutlook } from './slo-outlook';
import { latencyThresholds, simulatedLatencyThreshold, worldAppEnvironments, worldSeries } from './world';

const SEARCH_MINUTES = 1500;

/**
 * Latency degradation: a share of one service/environment's requests becomes slower than every latency
 * threshold (enough for the fast tiers of every latency SLO), then recovers. Errors and probes stay healthy.
 */
export function latencyDegradationScenario(config: PlatformConfig, service: ServiceConfig, environment: string): Scenario {
  const start = HISTORY_MINUTES;
  const latencySlos = service.slos.filter((slo) => simulatedLatencyThreshold(service, slo) !== undefined);
  const share = fastBurnShare(latencySlos, 0);
  const slowOf = (recovery: number) => (slo: SloConfig) =>
    simulatedLatencyThreshold(service, slo) !== undefined ? (m: number) => (m >= start && m < recovery ? share : 0) : undefined;
  const sustained = sloOutlook(config, service, environment, start + SEARCH_MINUTES, slowOf(Infinity));
  const mustFire = sustained.fire.filter((e) => e.alertname === 'SLOBurnRateFast');
  const recovery = latest(mustFire) + 5;
  const after = sloOutlook(config, service, environment, recovery + SEARCH_MINUTES, slowOf(recovery));
  const mustResolve: ExpectedResolution[] = [];
  if (after.resolveBy.SLOBurnRateFast !== undefined) mustResolve.push({ alertname: 'SLOBurnRateFast', by: after.resolveBy.SLOBurnRateFast });
  const minutes = Math.max(latest(mustResolve), recovery) + 5;
  const slowest = Math.max(...latencyThresholds(service));
  return {
    name: `latency-degradation/${service.name}/${environment}`,
    family: 'latency-degradation',
    broken: `${round(share * 100)}% of ${service.name}'s requests in ${environment} take longer than ${slowest}s from minute ${start} to ${recovery}`,
    minutes,
    input: worldSeries(config, minutes, { app: { service: service.name, environment, slow: (m) => (m >= start && m < recovery ? share : 0) } }),
    mustFire,
    mustResolve,
    mustStayQuiet: quietExcept('SLOBurnRateFast', 'SLOBurnRateSlow', ...SLO_BUDGET_SPENT_ALERTS),
  };
}

/** One per environment the world writes app metrics in, of every service with a latency SLO. */
export function latencyDegradationScenarios(config: PlatformConfig): Scenario[] {
  return config.services
    .filter((service) => service.slos.some((slo) => simulatedLatencyThreshold(service, slo) !== undefined))
    .flatMap((service) => worldAppEnvironments(service).map((environment) => latencyDegradationScenario(config, service, environment)));
}
