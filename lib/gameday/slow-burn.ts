import type { PlatformConfig, ServiceConfig, SloConfig } from '../config/schema';
import { sliKind, sloEnvironments } from '../slo/sli';
import { errorBudgetRatio, tierFactors } from './burn-model';
import { round } from './error-spike';
import { quietExcept, SLO_BUDGET_SPENT_ALERTS, type Scenario } from './scenario';
import { HISTORY_MINUTES } from './service-outage';
import { latest, sloOutlook } from './slo-outlook';
import { worldFeeds, worldSeries, type Breakage } from './world';

const SEARCH_MINUTES = 1500;

/**
 * The sustained burn factor of a slow-burn game day: about 4x, kept well under the lowest fast factor
 * (which may have been lowered for a loose objective) and above the lowest slow one.
 */
export function slowBurnFactor(objective: number): number {
  const fastest = Math.min(...tierFactors(objective, 'SLOBurnRateFast'));
  const slowest = Math.min(...tierFactors(objective, 'SLOBurnRateSlow'));
  const factor = Math.min(4, 0.6 * fastest);
  return factor > 1.2 * slowest ? factor : (fastest + slowest) / 2;
}

/**
 * Slow burn: one SLO of one service/environment burns its budget at a sustained ~4x from minute 60 on.
 * SLOBurnRateSlow must open a ticket; SLOBurnRateFast must never page.
 */
export function slowBurnScenario(config: PlatformConfig, service: ServiceConfig, environment: string, slo: SloConfig): Scenario {
  const start = HISTORY_MINUTES;
  const factor = slowBurnFactor(slo.objective);
  const share = factor * errorBudgetRatio(slo.objective);
  const kind = sliKind(slo);
  const bad = (m: number) => (m >= start ? share : 0);
  // siblings of the same SLI kind read the same series, so they see the same bad share
  const outlookOf = (minutes: number) => sloOutlook(config, service, environment, minutes, (other) => (sliKind(other) === kind ? bad : undefined));
  const mustFire = outlookOf(start + SEARCH_MINUTES).fire.filter((e) => e.alertname === 'SLOBurnRateSlow');
  const minutes = latest(mustFire) + 10;
  const outlook = outlookOf(minutes);
  const target = { service: service.name, environment };
  const breakage: Breakage =
    kind === 'probe' ? { probeBad: { ...target, bad } } : kind === 'errors' ? { app: { ...target, errors: bad } } : { app: { ...target, slow: bad } };
  const mayFire = ['SLOBurnRateSlow', ...(outlook.quiet.includes('SLOBurnRateFast') ? [] : ['SLOBurnRateFast'])];
  // a loose objective's 4x may be a lot of 5xx or failed probes: those alerts are then not this game day's business
  if (kind === 'errors' && share > 0.9 * (config.alerting.thresholds.app5xxPercent / 100)) mayFire.push('App5xxRatioHigh');
  if (kind === 'probe' && share > 0.3) mayFire.push('ProbeFailing');
  const what = kind === 'probe' ? 'of its probes fail' : kind === 'errors' ? 'of its requests answer 5xx' : 'of its requests are too slow';
  return {
    name: `slow-burn/${service.name}/${environment}/${slo.name}`,
    family: 'slow-burn',
    broken: `${round(share * 100)}% ${what} (${round(factor)}x the ${slo.objective}% SLO "${slo.name}" can sustain) for ${service.name} in ${environment}, from minute ${start} on`,
    minutes,
    input: worldSeries(config, minutes, breakage),
    mustFire,
    mustResolve: [],
    mustStayQuiet: quietExcept(...mayFire, ...SLO_BUDGET_SPENT_ALERTS),
  };
}

export function slowBurnScenarios(config: PlatformConfig): Scenario[] {
  return config.services.flatMap((service) =>
    service.slos
      .filter((slo) => worldFeeds(service, slo))
      .flatMap((slo) => sloEnvironments(service, slo).map((environment) => slowBurnScenario(config, service, environment, slo))),
  );
}
