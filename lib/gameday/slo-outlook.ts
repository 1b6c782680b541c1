import type { PlatformConfig, ServiceConfig, SloConfig } from '../config/schema';
import { sliKind, sloEnvironments } from '../slo/sli';
import { sloAlertLabels } from '../slo/slo-rules';
import { predictBurnAlerts, type BurnAlert } from './burn-model';
import { diffusedSuccess, forMinutes, type ExpectedAlert } from './scenario';
import { baselineBadShare, worldFeeds } from './world';

/** What the burn-rate alerts of one service/environment will do, given the bad share each SLO sees. */
export interface SloOutlook {
  /** Burn-rate alerts that surely fire, by the minute they surely fire (plus a small margin). */
  readonly fire: ExpectedAlert[];
  /** Per burn-rate alert that may fire: the minute by which it has surely stopped. */
  readonly resolveBy: Partial<Record<BurnAlert, number>>;
  /** Burn-rate alerts that cannot fire at all. */
  readonly quiet: BurnAlert[];
}

/** Minutes of slack added to a predicted minute, for rate() extrapolation and evaluation alignment. */
export const SLACK_MINUTES = 2;

/**
 * `badShare(slo)`: the per-minute bad share the SLO sees (undefined: the healthy baseline), `minutes` long. The
 * burn-rate alerts hold for the `for:` this description renders them with (alertOverrides included).
 */
export function sloOutlook(
  config: Pick<PlatformConfig, 'alerting'>,
  service: ServiceConfig,
  environment: string,
  minutes: number,
  badShare: (slo: SloConfig) => ((minute: number) => number) | undefined,
): SloOutlook {
  const fire: ExpectedAlert[] = [];
  const resolveBy: Partial<Record<BurnAlert, number>> = {};
  const possible = new Set<BurnAlert>();
  for (const slo of service.slos) {
    if (!worldFeeds(service, slo) || !sloEnvironments(service, slo).includes(environment)) continue;
    const baseline = baselineBadShare(service);
    const bad = badShare(slo) ?? (() => baseline);
    // probes fail or succeed: the model sees the same 0/1 samples as the world's probe_success
    const probe = sliKind(slo) === 'probe';
    const samples = probe ? diffusedSuccess(minutes, bad).map((ok) => 1 - ok) : Array.from({ length: minutes }, (_, m) => bad(m));
    const predictions = predictBurnAlerts(slo.objective, samples, probe ? 'samples' : 'increments', slo.window, {
      SLOBurnRateFast: forMinutes('SLOBurnRateFast', config),
      SLOBurnRateSlow: forMinutes('SLOBurnRateSlow', config),
    });
    for (const alert of ['SLOBurnRateFast', 'SLOBurnRateSlow'] as const) {
      const p = predictions[alert];
      if (p.surelyFrom !== undefined) {
        fire.push({
          alertname: alert,
          labels: { service: service.name, environment, ...sloAlertLabels(service, slo, alert) },
          by: p.surelyFrom + SLACK_MINUTES,
        });
      }
      if (p.possiblyUntil !== undefined) {
        possible.add(alert);
        resolveBy[alert] = Math.max(resolveBy[alert] ?? 0, p.possiblyUntil + SLACK_MINUTES);
      }
    }
  }
  const quiet = (['SLOBurnRateFast', 'SLOBurnRateSlow'] as const).filter((a) => !possible.has(a));
  return { fire, resolveBy, quiet };
}

/** The latest `by` of a list of expectations (0 for none). */
export function latest(expectations: readonly { by: number }[]): number {
  return Math.max(0, ...expectations.map((e) => e.by));
}
