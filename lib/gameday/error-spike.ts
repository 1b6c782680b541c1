import { serviceAlertLabels } from '../alerting/service-labels';
import type { PlatformConfig, ServiceConfig, SloConfig } from '../config/schema';
import { tierThresholds } from './burn-model';
import { forMinutes, quietExcept, severityOf, SLO_BUDGET_SPENT_ALERTS, type ExpectedResolution, type Scenario } from './scenario';
import { HISTORY_MINUTES } from './service-outage';
import { latest, sloOutlook } from './slo-outlook';
import { worldAppEnvironments, worldSeries } from './world';

const SEARCH_MINUTES = 1500;

/**
 * Share of bad events that surely trips the fast tiers of `slos`: 1.5 × the highest fast threshold (the 1h/5m
 * tier, lowered where the objective cannot reach it), and at least `floor`; at most 1.
 */
export function fastBurnShare(slos: readonly SloConfig[], floor: number): number {
  const needed = slos.map((slo) => 1.5 * Math.max(...tierThresholds(slo.objective, 'SLOBurnRateFast', slo.window)));
  return Math.min(1, Math.max(floor, ...needed));
}

/**
 * Error spike: a burst of 5xx answers from one service/environment (enough for App5xxRatioHigh and the fast
 * burn tiers of every errors SLO), then recovery.
 */
export function errorSpikeScenario(config: PlatformConfig, service: ServiceConfig, environment: string): Scenario {
  const start = HISTORY_MINUTES;
  const thresholdShare = config.alerting.thresholds.app5xxPercent / 100;
  const share = fastBurnShare(
    service.slos.filter((slo) => slo.sli === 'errors'),
    Math.min(1, 2 * thresholdShare),
  );
  const spike = (recovery: number) => (m: number) => (m >= start && m < recovery ? share : undefined);
  const errorsOf = (recovery: number) => (slo: SloConfig) => {
    if (slo.sli !== 'errors') return undefined;
    const s = spike(recovery);
    return (m: number) => s(m) ?? 0;
  };
  const app5xx = {
    alertname: 'App5xxRatioHigh',
    labels: { service: service.name, environment, ...serviceAlertLabels(service), severity: severityOf('App5xxRatioHigh') },
    by: start + 5 + forMinutes('App5xxRatioHigh', config) + 1,
  };
  const sustained = sloOutlook(config, service, environment, start + SEARCH_MINUTES, errorsOf(Infinity));
  const mustFire = [app5xx, ...sustained.fire.filter((e) => e.alertname === 'SLOBurnRateFast')];
  const recovery = latest(mustFire) + 5;
  const after = sloOutlook(config, service, environment, recovery + SEARCH_MINUTES, errorsOf(recovery));
  const mustResolve: ExpectedResolution[] = [{ alertname: 'App5xxRatioHigh', by: recovery + 6 }];
  if (after.resolveBy.SLOBurnRateFast !== undefined) mustResolve.push({ alertname: 'SLOBurnRateFast', by: after.resolveBy.SLOBurnRateFast });
  const minutes = latest(mustResolve) + 5;
  return {
    name: `error-spike/${service.name}/${environment}`,
    family: 'error-spike',
    broken: `${round(share * 100)}% of ${service.name}'s requests in ${environment} answer 5xx from minute ${start} to ${recovery}`,
    minutes,
    input: worldSeries(config, minutes, { app: { service: service.name, environment, errors: (m) => spike(recovery)(m) ?? 0 } }),
    mustFire,
    mustResolve,
    mustStayQuiet: quietExcept('App5xxRatioHigh', 'SLOBurnRateFast', 'SLOBurnRateSlow', ...SLO_BUDGET_SPENT_ALERTS),
  };
}

export function errorSpikeScenarios(config: PlatformConfig): Scenario[] {
  return config.services.flatMap((service) =>
    // the world writes the 5xx in the names of the service's convention, where it writes app metrics at all
    worldAppEnvironments(service).map((environment) => errorSpikeScenario(config, service, environment)),
  );
}

export function round(value: number): number {
  return Number(value.toPrecision(3));
}
