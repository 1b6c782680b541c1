import { alertDefinition } from '../alerting/packs';
import type { PlatformConfig, ServiceConfig, SloConfig } from '../config/schema';
import { durationSeconds } from '../config/schema';
import type { HostContext } from '../shared/host-file';
import { PlatformInternalError } from '../config/errors';
import { alertingRule } from '../alerting/annotations';
import { serviceAlertLabels } from '../alerting/service-labels';
import type { AlertingRule, RecordingRule, RuleGroup } from '../promql/rule-types';
import { planBurnRateTiers, type BurnRatePlan } from './burn-rate';
import { errorBudgetMinutes, errorBudgetRatio, sloBudgetPolicy } from './error-budget';
import { SLO_ERROR_RATIO_WINDOWS, SLO_SERIES } from '../contracts/slo-series';
import { matcher, sliErrorRatioExpr, sliKind, sliWindowExprs, sloEnvironments, sloGrouping } from './sli';

/**
 * The SLO engine: for every SLO of every service, recording rules (error ratios over the alert windows and the
 * SLO window, objective, budget, burn rates, budget left) and the multi-window multi-burn-rate alerts.
 * Every series carries `service`, `environment` and `slo`.
 */

/** The longest window recorded straight from raw metrics (the reference alert windows); longer ones average the 5m ratio. */
export const LONGEST_RAW_RATE_WINDOW = '3d';

/** Windows an SLO records its error ratio over: every SLO's (SLO_ERROR_RATIO_WINDOWS) and its plan's burn windows (scaled to its period), shortest first. */
export function sloErrorRatioWindows(plan: BurnRatePlan): string[] {
  const tierWindows = plan.tiers.flatMap((tier) => [tier.longWindow, tier.shortWindow]);
  return [...new Set<string>([...SLO_ERROR_RATIO_WINDOWS, ...tierWindows])].sort((a, b) => durationSeconds(a) - durationSeconds(b));
}

function sloSelector(service: ServiceConfig, slo: SloConfig): string {
  return `{${matcher('service', service.name)},${matcher('slo', slo.name)}}`;
}

/** Recording rules of one SLO, in evaluation order (later rules read earlier ones of the same evaluation). */
export function sloRecordingRules(
  service: ServiceConfig,
  slo: SloConfig,
  plan: BurnRatePlan = planBurnRateTiers(slo.objective, undefined, slo.window),
): RecordingRule[] {
  const labels = { slo: slo.name };
  const sel = sloSelector(service, slo);
  const budget = errorBudgetRatio(slo.objective);
  const rules: RecordingRule[] = [];
  for (const window of sloErrorRatioWindows(plan)) {
    const expr =
      durationSeconds(window) <= durationSeconds(LONGEST_RAW_RATE_WINDOW)
        ? sliErrorRatioExpr(service, slo, window)
        : `avg_over_time(${SLO_SERIES.errorRatio('5m')}${sel}[${window}])`;
    rules.push({ record: SLO_SERIES.errorRatio(window), expr, labels });
  }
  rules.push({ record: SLO_SERIES.errorRatioPeriod, expr: `avg_over_time(${SLO_SERIES.errorRatio('5m')}${sel}[${slo.window}])`, labels });
  for (const environment of sloEnvironments(service, slo)) {
    const constLabels = { service: service.name, environment, slo: slo.name };
    rules.push({ record: SLO_SERIES.objective, expr: `vector(${ratio(slo.objective / 100)})`, labels: constLabels });
    rules.push({ record: SLO_SERIES.errorBudget, expr: `vector(${budget})`, labels: constLabels });
    rules.push({ record: SLO_SERIES.periodDays, expr: `vector(${ratio(durationSeconds(slo.window) / 86400)})`, labels: constLabels });
  }
  rules.push({ record: SLO_SERIES.currentBurnRate, expr: `${SLO_SERIES.errorRatio('1h')}${sel} / ${budget}`, labels });
  rules.push({ record: SLO_SERIES.periodBurnRate, expr: `${SLO_SERIES.errorRatioPeriod}${sel} / ${budget}`, labels });
  rules.push({ record: SLO_SERIES.errorBudgetRemaining, expr: `1 - ${SLO_SERIES.periodBurnRate}${sel}`, labels });
  rules.push({
    record: SLO_SERIES.errorBudgetRemainingMinutes,
    expr: `${SLO_SERIES.errorBudgetRemaining}${sel} * ${errorBudgetMinutes(slo.objective, slo.window)}`,
    labels,
  });
  const periodDays = ratio(durationSeconds(slo.window) / 86400);
  rules.push({ record: SLO_SERIES.errorBudgetSpentDay, expr: `${SLO_SERIES.errorRatio('1d')}${sel} / ${budget} / ${periodDays}`, labels });
  // budget left × window / burn rate: a burn rate of 1 spends one whole budget per window
  rules.push({
    record: SLO_SERIES.errorBudgetExhaustion,
    expr: `time() + (${SLO_SERIES.errorBudgetRemaining}${sel} > 0) * ${durationSeconds(slo.window)} / (${SLO_SERIES.currentBurnRate}${sel} > 0)`,
    labels,
  });
  return rules;
}

/** The burn-rate tier an alert stands for, as `severities` names it. */
const TIER_OF = { SLOBurnRateFast: 'fast', SLOBurnRateSlow: 'slow' } as const;

/** The SLO alerts: the two burn-rate tiers, missing SLI data, a spent budget, and the error budget policy in force. */
export type SloAlertName = keyof typeof TIER_OF | 'SLOSliAbsent' | 'SLOErrorBudgetExhausted' | 'SLOErrorBudgetPolicy';

/** Whether the rules of this SLO include the alert, as its pack entry's `renderedForSlo` says. */
function sloAlertRenderedFor(name: SloAlertName, service: ServiceConfig, slo: SloConfig): boolean {
  const def = alertDefinition(name);
  if (def.kind !== 'per-slo') throw new PlatformInternalError('lib/alerting/packs/slo.ts', [`${name} is not a per-SLO alert`]);
  return def.renderedForSlo.holdsFor({ service, slo });
}

/**
 * Labels an SLO alert carries besides those of its series (service, environment, slo): its severity (per tier
 * and SLO for the burn rates, the catalog's otherwise), `slo` (repeated, so rules of different SLOs stay distinct
 * in one group), `sli` (its kind, which the inhibitions match), the service's `team`, and the service's and the
 * SLO's own labels for routing.
 */
export function sloAlertLabels(service: ServiceConfig, slo: SloConfig, alert: SloAlertName): Record<string, string> {
  const severity = alert === 'SLOBurnRateFast' || alert === 'SLOBurnRateSlow' ? slo.severities[TIER_OF[alert]] : alertDefinition(alert).severity;
  const { team, ...serviceLabels } = serviceAlertLabels(service);
  return {
    ...serviceLabels,
    ...slo.labels,
    ...(team !== undefined ? { team } : {}),
    severity,
    slo: slo.name,
    sli: sliKind(slo),
    ...(alert === 'SLOErrorBudgetPolicy' ? { budget_policy: sloBudgetPolicy(service, slo)?.action ?? '' } : {}),
  };
}

/**
 * The alerts of one SLO. SLOBurnRateFast and SLOBurnRateSlow: the value of a firing alert is the burn rate over
 * the long window of the tier that fired. SLOSliAbsent: no 5m error ratio in an environment the SLO expects data
 * from (pyrra's SLOMetricAbsent). SLOErrorBudgetExhausted: nothing left of the window's budget.
 * SLOErrorBudgetPolicy (info, only with a budgetPolicy): less of the budget left than the policy's threshold.
 */
export function sloAlertRules(config: PlatformConfig, context: HostContext, service: ServiceConfig, slo: SloConfig, plan: BurnRatePlan): AlertingRule[] {
  const sel = sloSelector(service, slo);
  const budget = errorBudgetRatio(slo.objective);
  const { tiers } = plan;
  const burn = (window: string) => `${SLO_SERIES.errorRatio(window)}${sel} / ${budget}`;
  // the low-traffic guard: a tier holds while too few events arrived over its long window
  const enoughTraffic = (window: string) => {
    const rate = slo.minEventRate === undefined ? undefined : sliWindowExprs(service, slo, window).eventRate;
    return rate === undefined ? '' : ` and on (${sloGrouping(slo).join(', ')}) ${rate} >= ${slo.minEventRate}`;
  };
  const rule = (name: SloAlertName, expr: string): AlertingRule => {
    const base = alertingRule(alertDefinition(name), expr, config, context);
    return { ...base, labels: { ...base.labels, ...sloAlertLabels(service, slo, name) } };
  };
  const burnExpr = (name: SloAlertName) =>
    tiers
      .filter((tier) => tier.alert === name)
      .map((tier) => `(${burn(tier.longWindow)} > ${tier.factor} and ${burn(tier.shortWindow)} > ${tier.factor}${enoughTraffic(tier.longWindow)})`)
      .join(' or ');
  // absent() takes its labels from the equality matchers, so each environment names itself
  const absent = sloEnvironments(service, slo)
    .map(
      (environment) =>
        `absent(${SLO_SERIES.errorRatio('5m')}{${matcher('service', service.name)},${matcher('environment', environment)},${matcher('slo', slo.name)}})`,
    )
    .join(' or ');
  // each alert's pack entry says whether this SLO has it (renderedForSlo); the expression is built only if so
  const alerts: [SloAlertName, () => string][] = [
    ['SLOBurnRateFast', () => burnExpr('SLOBurnRateFast')],
    ['SLOBurnRateSlow', () => burnExpr('SLOBurnRateSlow')],
    ['SLOSliAbsent', () => absent],
    ['SLOErrorBudgetExhausted', () => `${SLO_SERIES.errorBudgetRemaining}${sel} <= 0`],
    ['SLOErrorBudgetPolicy', () => `${SLO_SERIES.errorBudgetRemaining}${sel} < ${ratio(sloBudgetPolicy(service, slo)!.remainingBelowPercent / 100)}`],
  ];
  return alerts.filter(([name]) => sloAlertRenderedFor(name, service, slo)).map(([name, expr]) => rule(name, expr()));
}

/**
 * Rule groups of every SLO of every service: per service one recording group and one alert group. `plans` holds
 * each SLO's burn-rate plan, compiled once (PlatformModel.slos).
 */
export function sloRuleGroups(config: PlatformConfig, context: HostContext, plans: ReadonlyMap<SloConfig, BurnRatePlan>): RuleGroup[] {
  return config.services
    .filter((service) => service.slos.length > 0)
    .flatMap((service) => [
      { name: `slo-${service.name}-recording`, rules: service.slos.flatMap((slo) => sloRecordingRules(service, slo, planOf(plans, slo))) },
      { name: `slo-${service.name}-alerts`, rules: service.slos.flatMap((slo) => sloAlertRules(config, context, service, slo, planOf(plans, slo))) },
    ]);
}

/** Every series name the SLO engine records. */
export const SLO_RECORDED_SERIES: readonly string[] = [
  ...SLO_ERROR_RATIO_WINDOWS.map((w) => SLO_SERIES.errorRatio(w)),
  SLO_SERIES.errorRatioPeriod,
  SLO_SERIES.objective,
  SLO_SERIES.errorBudget,
  SLO_SERIES.periodDays,
  SLO_SERIES.currentBurnRate,
  SLO_SERIES.periodBurnRate,
  SLO_SERIES.errorBudgetRemaining,
  SLO_SERIES.errorBudgetRemainingMinutes,
  SLO_SERIES.errorBudgetSpentDay,
  SLO_SERIES.errorBudgetExhaustion,
];

function planOf(plans: ReadonlyMap<SloConfig, BurnRatePlan>, slo: SloConfig): BurnRatePlan {
  const plan = plans.get(slo);
  if (!plan) throw new Error(`no burn-rate plan compiled for SLO ${slo.name}: the plans must come from the same config's PlatformModel`);
  return plan;
}

function ratio(value: number): number {
  return Number(value.toPrecision(12));
}
