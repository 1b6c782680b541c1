import { serviceAlertLabels } from '../alerting/service-labels';
import type { PlatformConfig, ServiceConfig } from '../config/schema';
import { quietExcept, forMinutes, severityOf, SLO_BUDGET_SPENT_ALERTS, type ExpectedResolution, type Scenario } from './scenario';
import { latest, sloOutlook } from './slo-outlook';
import { probeLabels, worldSeries } from './world';

/** Healthy minutes before the breakage. */
export const HISTORY_MINUTES = 60;
/** How far ahead the model looks for the first firing while the breakage lasts. */
const SEARCH_MINUTES = 1500;

/**
 * Service outage: every probe of one service/environment fails from minute 60 until the alerts have fired,
 * then recovers. ProbeFailing and SLOBurnRateFast of every probe SLO must fire, and both must resolve.
 */
export function serviceOutageScenario(config: PlatformConfig, service: ServiceConfig, environment: string): Scenario {
  const start = HISTORY_MINUTES;
  const probeSlo = (recovery: number) => (slo: ServiceConfig['slos'][number]) =>
    slo.sli === 'probe' ? (m: number) => (m >= start && m < recovery ? 1 : 0) : undefined;
  // ProbeFailing: half of the 5m window failing, then `for`
  const probeFailing = {
    alertname: 'ProbeFailing',
    labels: { ...probeLabels(service, environment), ...serviceAlertLabels(service), severity: severityOf('ProbeFailing') },
    by: start + 5 + forMinutes('ProbeFailing', config) + 1,
  };
  const sustained = sloOutlook(config, service, environment, start + SEARCH_MINUTES, probeSlo(Infinity));
  const mustFire = [probeFailing, ...sustained.fire.filter((e) => e.alertname === 'SLOBurnRateFast')];
  const recovery = latest(mustFire) + 5;
  const after = sloOutlook(config, service, environment, recovery + SEARCH_MINUTES, probeSlo(recovery));
  const mustResolve: ExpectedResolution[] = [{ alertname: 'ProbeFailing', by: recovery + 6 }];
  if (after.resolveBy.SLOBurnRateFast !== undefined) mustResolve.push({ alertname: 'SLOBurnRateFast', by: after.resolveBy.SLOBurnRateFast });
  const minutes = latest(mustResolve) + 5;
  return {
    name: `service-outage/${service.name}/${environment}`,
    family: 'service-outage',
    broken: `every probe of ${service.name} in ${environment} fails from minute ${start} to ${recovery}`,
    minutes,
    input: worldSeries(config, minutes, { probeBad: { service: service.name, environment, bad: (m) => (m >= start && m < recovery ? 1 : 0) } }),
    mustFire,
    mustResolve,
    mustStayQuiet: quietExcept('ProbeFailing', 'SLOBurnRateFast', 'SLOBurnRateSlow', ...SLO_BUDGET_SPENT_ALERTS),
  };
}

export function serviceOutageScenarios(config: PlatformConfig): Scenario[] {
  return config.services.flatMap((service) => service.environments.map((env) => serviceOutageScenario(config, service, env.name)));
}
