import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PlatformConfig } from '../lib/config/schema';
import { DORA_METRICS } from '../dora-exporter/metric-names';
import { graph, labelVariable, newDashboard, promQuery, row, singleStat, thresholds, type Dashboard } from './common';

/** Value mapping of `dora_performance_band` (4 elite, 3 high, 2 medium, 1 low). */
const BANDS: dashboard.ValueMapping[] = [
  {
    type: dashboard.MappingType.ValueToText,
    options: {
      '4': { text: 'Elite', color: 'green' },
      '3': { text: 'High', color: 'blue' },
      '2': { text: 'Medium', color: 'orange' },
      '1': { text: 'Low', color: 'red' },
    },
  },
];

/** The four DORA keys per repository, their sub-intervals, the performance band and the exporter's health. Variable: `repo`. */
export function doraDashboard(config: PlatformConfig): Dashboard {
  const t = config.alerting.thresholds;
  const sel = 'repo="$repo"';
  const win = `${sel}, window="30d"`;
  const median = (histogramName: string) =>
    `histogram_quantile(0.5, sum by (le) (rate(${histogramName}_bucket{${sel}}[$__range])))`;
  return newDashboard('dora', ['dora', 'delivery'])
    .description('DORA metrics from the deploy workflow runs and incident issues on GitHub.')
    .time({ from: 'now-30d', to: 'now' })
    .withVariable(labelVariable('repo', 'repo', DORA_METRICS.deployments, { labelText: 'Repository' }))
    .withRow(row('The four keys (30 days)'))
    .withPanel(singleStat('Deployment frequency', 'Successful production deploys per day.', 'short', promQuery('A', `${DORA_METRICS.deploymentFrequency}{${win}}`)).decimals(2))
    .withPanel(singleStat('Lead time for changes', 'Median time from commit to running in production.', 's', promQuery('A', `${DORA_METRICS.leadTimeMedian}{${win}}`)))
    .withPanel(
      singleStat('Change failure rate', 'Share of deploys that led to a failure (rollback, hotfix or incident).', 'percentunit', promQuery('A', `${DORA_METRICS.changeFailureRate}{${win}}`))
        .thresholds(thresholds([[null, 'green'], [t.doraChangeFailureRatePercent / 100, 'red']])),
    )
    .withPanel(
      singleStat('Time to restore', 'Median time from incident opened to resolved.', 's', promQuery('A', `${DORA_METRICS.timeToRestoreMedian}{${win}}`))
        .thresholds(thresholds([[null, 'green'], [t.doraTimeToRestoreHours * 3600, 'red']])),
    )
    .withPanel(
      singleStat('Performance band', 'Band per key: elite, high, medium, low.', 'none', promQuery('A', `${DORA_METRICS.performanceBand}{${sel}}`, '{{metric}}'), 24)
        .mappings(BANDS),
    )
    .withRow(row('Trends'))
    .withPanel(graph('Deployments per day', 'Successful and failed deploys per day.', 'short', [
      promQuery('A', `sum by (environment) (increase(${DORA_METRICS.deployments}{${sel}}[1d]))`, 'deploys {{environment}}'),
      promQuery('B', `sum by (environment) (increase(${DORA_METRICS.failedDeployments}{${sel}}[1d]))`, 'failed {{environment}}'),
    ]))
    .withPanel(graph('Lead time and its parts', 'Median over the range: total, queued, in the pipeline, waiting for confirmation.', 's', [
      promQuery('A', median(DORA_METRICS.leadTime), 'total'),
      promQuery('B', median(DORA_METRICS.leadTimeQueue), 'queue'),
      promQuery('C', median(DORA_METRICS.leadTimePipeline), 'pipeline'),
      promQuery('D', median(DORA_METRICS.leadTimeConfirmation), 'confirmation'),
    ]))
    .withPanel(graph('Change failure rate (7d and 30d)', 'Rolling change failure rate.', 'percentunit', [
      promQuery('A', `${DORA_METRICS.changeFailureRate}{${sel}}`, '{{window}}'),
    ]))
    .withPanel(graph('Time to restore (7d and 30d)', 'Rolling median time to restore.', 's', [
      promQuery('A', `${DORA_METRICS.timeToRestoreMedian}{${sel}}`, '{{window}}'),
    ]))
    .withRow(row('Exporter'))
    .withPanel(singleStat('Since last successful poll', 'Age of the DORA data.', 's', promQuery('A', `time() - ${DORA_METRICS.lastSuccessfulPoll}`), 8))
    .withPanel(graph('GitHub API errors', 'Failed GitHub API calls per second.', 'short', [
      promQuery('A', `sum(rate(${DORA_METRICS.apiErrors}[$__rate_interval]))`, 'errors'),
    ], 8))
    .withPanel(graph('GitHub rate limit remaining', 'Requests left in the current rate-limit window.', 'short', [
      promQuery('A', DORA_METRICS.rateLimitRemaining, 'remaining'),
    ], 8))
    .build();
}
