import * as common from '@grafana/grafana-foundation-sdk/common';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as table from '@grafana/grafana-foundation-sdk/table';
import type { PlatformConfig } from '../config/schema';
import { dataSourceRef } from '../contracts/data-sources';
import { SLO_SERIES } from '../contracts/slo-series';
import { BURN_RATE_TIERS } from '../slo/burn-rate';
import {
  budgetPolicyAnnotation,
  dashboardLink,
  deploymentAnnotation,
  graph,
  labelVariable,
  newDashboard,
  promQuery,
  row,
  serviceVariables,
  singleStat,
  thresholds,
  type Dashboard,
} from './common';

const TIER_COLORS = ['dark-red', 'red', 'orange', 'yellow'] as const;

/**
 * Burn-rate thresholds of the multi-window alerts, drawn on the burn-rate panel: the factors of lib/slo's
 * tiers (SLOBurnRateFast pages above 14.4 and 6, SLOBurnRateSlow tickets above 3 and 1), hottest first.
 */
export const BURN_RATE_THRESHOLDS = [...BURN_RATE_TIERS]
  .sort((a, b) => b.factor - a.factor)
  .map((tier, index) => ({ burnRate: tier.factor, color: TIER_COLORS[Math.min(index, TIER_COLORS.length - 1)] }))
  .reverse();

/**
 * An overview table of every SLO of the service, then one row per selected SLO (repeated over `slo`): the SLI
 * over its window, the objective, budget remaining (ratio and minutes), current burn rate against the alert
 * thresholds, 7-day and 30-day compliance, budget spent per day and the date the budget runs out at the current
 * rate. Reads only the SLO recording rules; does no arithmetic beyond `1 - error ratio` and seconds to
 * milliseconds. Variables: `service`, `environment`, `slo`.
 */
export function sloDashboard(_config: PlatformConfig): Dashboard {
  const sel = 'service="$service", environment="$environment", slo="$slo"';
  const series = (name: string) => `${name}{${sel}}`;
  const budget = thresholds([
    [null, 'red'],
    [0, 'orange'],
    [0.25, 'green'],
  ]);
  return newDashboard('slo', ['slo', 'error-budget'])
    .description('Service level objectives: compliance, error budget and burn rate, from the slo:* recording rules.')
    .variables([
      ...serviceVariables(SLO_SERIES.objective, false),
      labelVariable('slo', 'slo', `${SLO_SERIES.objective}{service="$service", environment="$environment"}`, { labelText: 'SLO', multi: true, allValue: null }),
    ])
    .annotation(deploymentAnnotation())
    .annotation(budgetPolicyAnnotation('service="$service"', 'environment="$environment"'))
    .link(dashboardLink('service'))
    .link(dashboardLink('uptime'))
    .withRow(row('All SLOs of $service in $environment'))
    .withPanel(
      new table.PanelBuilder()
        .title('SLO overview')
        .description('Every SLO of the service: budget remaining and burn rate.')
        .datasource(dataSourceRef('prometheus'))
        .span(24)
        .height(8)
        .targets([
          promQuery('A', `${SLO_SERIES.objective}{service="$service", environment="$environment"}`, 'objective')
            .instant()
            .format(prometheus.PromQueryFormat.Table),
          promQuery('B', `${SLO_SERIES.errorBudgetRemaining}{service="$service", environment="$environment"}`, 'budget remaining')
            .instant()
            .format(prometheus.PromQueryFormat.Table),
          promQuery('C', `${SLO_SERIES.currentBurnRate}{service="$service", environment="$environment"}`, 'burn rate')
            .instant()
            .format(prometheus.PromQueryFormat.Table),
        ])
        .withTransformation({ id: 'merge', options: {} }),
    )
    .withRow(row('SLO $slo').repeat('slo'))
    .withPanel(
      singleStat(
        'SLI over the window',
        'Share of good events over the SLO window.',
        'percentunit',
        promQuery('A', `1 - ${series(SLO_SERIES.errorRatioPeriod)}`),
      ).decimals(3),
    )
    .withPanel(singleStat('Objective', 'Target share of good events.', 'percentunit', promQuery('A', series(SLO_SERIES.objective))).decimals(3))
    .withPanel(
      singleStat(
        'Error budget remaining',
        "Share of the window's error budget left (below 0: overspent).",
        'percentunit',
        promQuery('A', series(SLO_SERIES.errorBudgetRemaining)),
      ).thresholds(budget),
    )
    .withPanel(
      singleStat(
        'Error budget remaining (time)',
        'Budget left, in minutes of total outage.',
        'm',
        promQuery('A', series(SLO_SERIES.errorBudgetRemainingMinutes)),
      ).thresholds(budget),
    )
    .withPanel(
      singleStat(
        'Compliance, 7 days',
        'Share of good events over the last 7 days.',
        'percentunit',
        promQuery('A', `1 - ${series(SLO_SERIES.errorRatio('7d'))}`),
        6,
      ).decimals(3),
    )
    .withPanel(
      singleStat(
        'Compliance, 30 days',
        'Share of good events over the last 30 days.',
        'percentunit',
        promQuery('A', `1 - ${series(SLO_SERIES.errorRatio('30d'))}`),
        6,
      ).decimals(3),
    )
    .withPanel(
      singleStat(
        'Burn rate now (1h)',
        'How fast the budget burns: 1 spends it exactly over the window.',
        'x',
        promQuery('A', series(SLO_SERIES.currentBurnRate)),
        6,
      ).thresholds(thresholds([[null, 'green'], ...BURN_RATE_THRESHOLDS.map((t): [number, string] => [t.burnRate, t.color])])),
    )
    .withPanel(
      singleStat(
        'Burn rate over the window',
        'Average burn rate over the whole SLO window.',
        'x',
        promQuery('A', series(SLO_SERIES.periodBurnRate)),
        6,
      ).thresholds(
        thresholds([
          [null, 'green'],
          [1, 'red'],
        ]),
      ),
    )
    .withPanel(
      singleStat(
        'Budget spent, last day',
        "Share of the window's error budget spent over the last 24 hours.",
        'percentunit',
        promQuery('A', series(SLO_SERIES.errorBudgetSpentDay)),
        6,
      ),
    )
    .withPanel(
      singleStat(
        'Budget runs out',
        'When the budget left is gone at the current (1h) burn rate; empty while nothing burns.',
        'dateTimeAsIso',
        promQuery('A', `${series(SLO_SERIES.errorBudgetExhaustion)} * 1000`),
        6,
      ),
    )
    .withPanel(
      graph(
        'Budget spent per day',
        "Share of the window's error budget spent over each trailing day.",
        'percentunit',
        [promQuery('A', series(SLO_SERIES.errorBudgetSpentDay), 'spent per day')],
        12,
      ),
    )
    .withPanel(
      graph(
        'Burn rate',
        'Current (1h) burn rate against the page (14.4, 6) and ticket (3, 1) thresholds.',
        'x',
        [promQuery('A', series(SLO_SERIES.currentBurnRate), 'burn rate 1h')],
        12,
      )
        .thresholds(thresholds([[null, 'green'], ...BURN_RATE_THRESHOLDS.map((t): [number, string] => [t.burnRate, t.color])]))
        .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed)),
    )
    .withPanel(
      graph(
        'Error ratio by window',
        'Share of bad events over the alerting windows, against the budget.',
        'percentunit',
        [
          promQuery('A', series(SLO_SERIES.errorRatio('5m')), '5m'),
          promQuery('B', series(SLO_SERIES.errorRatio('1h')), '1h'),
          promQuery('C', series(SLO_SERIES.errorRatio('6h')), '6h'),
          promQuery('D', series(SLO_SERIES.errorRatio('3d')), '3d'),
          promQuery('E', series(SLO_SERIES.errorBudget), 'error budget'),
        ],
        12,
      ),
    )
    .withPanel(
      graph('Error budget remaining', 'Budget left over time.', 'percentunit', [promQuery('A', series(SLO_SERIES.errorBudgetRemaining), 'remaining')], 24),
    )
    .build();
}
