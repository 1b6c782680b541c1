import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PlatformConfig } from '../config/schema';
import { DORA_METRICS } from '../dora/exporter/metric-names';
import { budgetPolicyAnnotation, graph, labelVariable, newDashboard, promQuery, row, singleStat, thresholds, type Dashboard } from './common';

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

/** What the time-to-restore panels measure, by `dora.timeToRestoreFrom`. */
const RESTORE_FROM = {
  deployed: 'from the failed deployment reaching production',
  incident_opened: 'from the incident issue opening (rollbacks and hotfixes: from the failed deployment reaching production)',
} as const;

/** The four DORA keys and rework rate per repository, their sub-intervals, the performance band and the exporter's health. Variable: `repo`. */
export function doraDashboard(config: PlatformConfig): Dashboard {
  const t = config.alerting.thresholds;
  const restoreFrom = RESTORE_FROM[config.dora?.timeToRestoreFrom ?? 'deployed'];
  const restoreText = `Median per change failure, ${restoreFrom} to the rollback/hotfix deploy reaching production or the incident issue closing.`;
  const sel = 'repo="$repo"';
  const win = `${sel}, window="30d"`;
  const median = (histogramName: string) => `histogram_quantile(0.5, sum by (le) (rate(${histogramName}_bucket{${sel}}[$__range])))`;
  return newDashboard('dora', ['dora', 'delivery'])
    .description('DORA metrics from the deploy workflow runs and incident issues on GitHub.')
    .time({ from: 'now-30d', to: 'now' })
    .withVariable(labelVariable('repo', 'repo', DORA_METRICS.deployments, { labelText: 'Repository' }))
    .annotation(budgetPolicyAnnotation())
    .withRow(row('The four keys (30 days)'))
    .withPanel(
      singleStat(
        'Deployment frequency',
        'Successful deploy runs (every attempt) on the deploy ref per day.',
        'short',
        promQuery('A', `${DORA_METRICS.deploymentFrequency}{${win}}`),
      ).decimals(2),
    )
    .withPanel(
      singleStat(
        'Lead time for changes',
        "Median per commit, from its author date to the deploy that first shipped it reaching production (GitHub deployment success, else the run's end).",
        's',
        promQuery('A', `${DORA_METRICS.leadTimeMedian}{${win}}`),
      ),
    )
    .withPanel(
      singleStat(
        'Change failure rate',
        'Share of the deployments that reached production and were then blamed by a rollback/hotfix deploy or an incident issue. Red pipeline runs are not counted here (see Pipeline failure rate).',
        'percentunit',
        promQuery('A', `${DORA_METRICS.changeFailureRate}{${win}}`),
      ).thresholds(
        thresholds([
          [null, 'green'],
          [t.doraChangeFailureRatePercent / 100, 'red'],
        ]),
      ),
    )
    .withPanel(
      singleStat('Time to restore', restoreText, 's', promQuery('A', `${DORA_METRICS.timeToRestoreMedian}{${win}}`)).thresholds(
        thresholds([
          [null, 'green'],
          [t.doraTimeToRestoreHours * 3600, 'red'],
        ]),
      ),
    )
    .withPanel(
      singleStat(
        'Deployment rework rate',
        'Share of the deployments that were a rollback or hotfix of the deployment before them.',
        'percentunit',
        promQuery('A', `${DORA_METRICS.reworkRate}{${win}}`),
      ).decimals(2),
    )
    .withPanel(
      singleStat(
        'Pipeline failure rate',
        'Failed deploy run attempts (never reached production) over all deploy run attempts.',
        'percentunit',
        promQuery('A', `${DORA_METRICS.pipelineFailureRate}{${win}}`),
      ).decimals(2),
    )
    .withPanel(
      singleStat(
        'Incidents tied to a deploy',
        'Share of the incident issues that named their deploy (commit SHA or run link); the rest are blamed on the latest deploy before them.',
        'percentunit',
        promQuery('A', `sum(${DORA_METRICS.incidents}{${sel}, attribution="linked"}) / sum(${DORA_METRICS.incidents}{${sel}})`),
      ).decimals(2),
    )
    .withPanel(
      singleStat(
        'Since the last successful poll',
        'Age of the DORA data of this repository (DoraPollStale fires after three poll intervals).',
        's',
        promQuery('A', `time() - ${DORA_METRICS.repositoryLastSuccessfulPoll}{${sel}}`),
      ),
    )
    .withPanel(
      singleStat(
        'Performance band',
        'Band per key: elite, high, medium, low.',
        'none',
        promQuery('A', `${DORA_METRICS.performanceBand}{${sel}}`, '{{metric}}'),
        24,
      ).mappings(BANDS),
    )
    .withRow(row('Trends'))
    .withPanel(
      graph('Deployments per day', 'Deployments, deployments later blamed (change failures), rework deployments, and failed pipeline runs per day.', 'short', [
        promQuery('A', `sum by (environment) (increase(${DORA_METRICS.deployments}{${sel}}[1d]))`, 'deployments {{environment}}'),
        promQuery('B', `sum by (environment) (increase(${DORA_METRICS.changeFailures}{${sel}}[1d]))`, 'change failures {{environment}}'),
        promQuery('C', `sum by (environment) (increase(${DORA_METRICS.reworkDeployments}{${sel}}[1d]))`, 'rework {{environment}}'),
        promQuery('D', `sum by (environment) (increase(${DORA_METRICS.failedDeployments}{${sel}}[1d]))`, 'failed pipeline runs {{environment}}'),
      ]),
    )
    .withPanel(
      graph('Lead time and its parts', 'Median over the range: total, queued, in the pipeline, waiting for confirmation.', 's', [
        promQuery('A', median(DORA_METRICS.leadTime), 'total'),
        promQuery('B', median(DORA_METRICS.leadTimeQueue), 'queue'),
        promQuery('C', median(DORA_METRICS.leadTimePipeline), 'pipeline'),
        promQuery('D', median(DORA_METRICS.leadTimeConfirmation), 'confirmation'),
      ]),
    )
    .withPanel(
      graph('Change failure rate (7d and 30d)', 'Rolling change failure rate: blamed deployments over deployments.', 'percentunit', [
        promQuery('A', `${DORA_METRICS.changeFailureRate}{${sel}}`, '{{window}}'),
      ]),
    )
    .withPanel(
      graph('Time to restore (7d and 30d)', `Rolling median time to restore: ${restoreFrom} to the restore.`, 's', [
        promQuery('A', `${DORA_METRICS.timeToRestoreMedian}{${sel}}`, '{{window}}'),
      ]),
    )
    .withRow(row('Exporter'))
    .withPanel(
      singleStat(
        'Since last successful poll',
        'Age of the DORA data: the last poll that read every repository.',
        's',
        promQuery('A', `time() - ${DORA_METRICS.lastSuccessfulPoll}`),
        8,
      ),
    )
    .withPanel(
      graph(
        'Failed polls by repository and reason',
        'not_found: misspelt or not visible to the token; unauthorized: token revoked; rate_limited; server_error/network: GitHub outage or no egress.',
        'short',
        [promQuery('A', `sum by (repo, reason) (increase(${DORA_METRICS.repositoryPollErrors}[1h]))`, '{{repo}} {{reason}}')],
        8,
      ),
    )
    .withPanel(
      graph(
        'GitHub rate limit remaining',
        'Requests left in the current rate-limit window.',
        'short',
        [promQuery('A', DORA_METRICS.rateLimitRemaining, 'remaining')],
        8,
      ),
    )
    .build();
}
