import { DORA_METRICS } from '../../dora/exporter/metric-names';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { jobMatcher } from '../../contracts/selectors';
import { staticAlert, type RenderCondition } from '../alert-definition';
import { EXAMPLE_HOST, dora, fires, input, quiet } from './example-series';

/** The DORA pack: the GitHub Actions DORA exporter's metrics and its own health (rendered only with `dora`). */

const DORA = jobMatcher(SCRAPE_JOBS.dora);
/** Without `dora` there is no exporter on the host, so nothing for these alerts to read. */
const DORA_CONFIGURED: RenderCondition = { when: '`dora` is configured', holds: (model) => model.config.dora !== undefined };

export const DORA_ALERTS = [
  staticAlert({
    name: 'DoraChangeFailureRateHigh',
    severity: 'warning',
    group: 'dora',
    renderedWhen: DORA_CONFIGURED,
    scope: 'dora',
    labels: ['repo', 'environment'],
    for: '30m',
    summary: 'Change failure rate of {{ $labels.repo }} is above the threshold',
    description: '{{ $value | humanize }}% of the deploys of {{ $labels.repo }} to {{ $labels.environment }} over the last 30 days caused a failure.',
    value: '{{ $value | humanize }}% of deploys failed (30d)',
    dashboard: 'dora',
    promtoolCases: [
      {
        name: '50% change failure rate over 30d (and 90% over 7d, which is not what the alert reads)',
        interval: '5m',
        input_series: [
          input('dora_change_failure_rate_ratio', { ...dora, window: '30d' }, '0.5x20'),
          input('dora_change_failure_rate_ratio', { ...dora, window: '7d' }, '0.9x20'),
        ],
        alert_rule_test: [fires('DoraChangeFailureRateHigh', '40m', { ...dora, window: '30d', severity: 'warning' })],
      },
      {
        name: '10% change failure rate over 30d',
        interval: '5m',
        input_series: [
          input('dora_change_failure_rate_ratio', { ...dora, window: '30d' }, '0.1x20'),
          input('dora_change_failure_rate_ratio', { ...dora, window: '7d' }, '0.9x20'),
        ],
        alert_rule_test: [quiet('DoraChangeFailureRateHigh', '40m')],
      },
    ],
    expr: (c) => `100 * ${DORA_METRICS.changeFailureRate}{window="30d"} > ${c.t.doraChangeFailureRatePercent}`,
  }),
  staticAlert({
    name: 'DoraTimeToRestoreHigh',
    severity: 'warning',
    group: 'dora',
    renderedWhen: DORA_CONFIGURED,
    scope: 'dora',
    labels: ['repo', 'environment'],
    for: '30m',
    summary: 'Time to restore of {{ $labels.repo }} is above the threshold',
    description:
      'The median time to restore service of {{ $labels.repo }} in {{ $labels.environment }} over the last 30 days is {{ $value | humanize }} hours.',
    value: '{{ $value | humanize }} h median time to restore (30d)',
    dashboard: 'dora',
    promtoolCases: [
      {
        name: 'median time to restore 48h',
        interval: '5m',
        input_series: [input('dora_time_to_restore_median_seconds', { ...dora, window: '30d' }, '172800x20')],
        alert_rule_test: [fires('DoraTimeToRestoreHigh', '40m', { ...dora, window: '30d', severity: 'warning' })],
      },
      {
        name: 'median time to restore 1h',
        interval: '5m',
        input_series: [input('dora_time_to_restore_median_seconds', { ...dora, window: '30d' }, '3600x20')],
        alert_rule_test: [quiet('DoraTimeToRestoreHigh', '40m')],
      },
    ],
    expr: (c) => `${DORA_METRICS.timeToRestoreMedian}{window="30d"} / 3600 > ${c.t.doraTimeToRestoreHours}`,
  }),
  staticAlert({
    name: 'DoraExporterDown',
    severity: 'warning',
    group: 'dora',
    renderedWhen: DORA_CONFIGURED,
    scope: 'platform',
    labels: ['job', 'instance'],
    for: '10m',
    summary: 'The DORA exporter is down',
    description: 'Prometheus has not scraped the DORA exporter on {{ $labels.instance }}{for} (up is 0 or absent); DORA metrics are stale.',
    dashboard: 'dora',
    promtoolCases: [
      {
        name: 'exporter down',
        interval: '1m',
        input_series: [input('up', { job: 'dora-exporter', instance: EXAMPLE_HOST }, '0x20')],
        alert_rule_test: [fires('DoraExporterDown', '15m', { job: 'dora-exporter', instance: EXAMPLE_HOST, severity: 'warning' })],
      },
      {
        name: 'exporter up',
        interval: '1m',
        input_series: [input('up', { job: 'dora-exporter', instance: EXAMPLE_HOST }, '1x20')],
        alert_rule_test: [quiet('DoraExporterDown', '15m')],
      },
    ],
    expr: (c) => `up{${DORA}} == 0 or absent(up{${DORA},instance="${c.instance}"})`,
  }),
  staticAlert({
    name: 'DoraPollStale',
    severity: 'warning',
    group: 'dora',
    renderedWhen: DORA_CONFIGURED,
    scope: 'platform',
    labels: ['job', 'instance', 'repo'],
    for: '10m',
    summary: 'The DORA exporter cannot read {{ $labels.repo }}',
    description:
      'The DORA exporter on {{ $labels.instance }} has not read all of {{ $labels.repo }} for {{ $value | humanizeDuration }} (0s: not once since it started, ' +
      'its polls fail); its DORA metrics are frozen or absent while the exporter itself is up.',
    value: '{{ $value | humanizeDuration }} since the last successful poll',
    dashboard: 'dora',
    promtoolCases: [
      {
        // the default poll interval is 300 s: stale after 900 s, firing 10 min later
        name: 'a repository last read 20 minutes ago, its polls failing since',
        interval: '1m',
        input_series: [
          input('dora_exporter_repository_last_successful_poll_timestamp_seconds', { job: 'dora-exporter', instance: EXAMPLE_HOST, repo: 'acme/api' }, '0x60'),
          input('dora_exporter_repository_poll_ok', { job: 'dora-exporter', instance: EXAMPLE_HOST, repo: 'acme/api' }, '0x60'),
        ],
        alert_rule_test: [
          quiet('DoraPollStale', '20m'),
          fires('DoraPollStale', '30m', { job: 'dora-exporter', instance: EXAMPLE_HOST, repo: 'acme/api', severity: 'warning' }),
        ],
      },
      {
        name: 'a misspelt repository, never read',
        interval: '1m',
        input_series: [input('dora_exporter_repository_poll_ok', { job: 'dora-exporter', instance: EXAMPLE_HOST, repo: 'acme/apl' }, '0x30')],
        alert_rule_test: [fires('DoraPollStale', '15m', { job: 'dora-exporter', instance: EXAMPLE_HOST, repo: 'acme/apl', severity: 'warning' })],
      },
      {
        name: 'a repository read every 5 minutes',
        interval: '1m',
        input_series: [
          input(
            'dora_exporter_repository_last_successful_poll_timestamp_seconds',
            { job: 'dora-exporter', instance: EXAMPLE_HOST, repo: 'acme/api' },
            '0x4 300x4 600x4 900x4 1200x4 1500x4 1800x4 2100x4 2400x4 2700x4',
          ),
          input('dora_exporter_repository_poll_ok', { job: 'dora-exporter', instance: EXAMPLE_HOST, repo: 'acme/api' }, '1x50'),
        ],
        alert_rule_test: [quiet('DoraPollStale', '45m')],
      },
    ],
    // The second branch is a repository never read since the exporter started (misspelt, not visible to the
    // token): it has no last-success series, only failing polls.
    expr: (c) =>
      `time() - ${DORA_METRICS.repositoryLastSuccessfulPoll}{${DORA}} > ${c.doraStaleSeconds}` +
      ` or (${DORA_METRICS.repositoryPollOk}{${DORA}} == 0 unless on (job, instance, repo) ${DORA_METRICS.repositoryLastSuccessfulPoll}{${DORA}})`,
  }),
];
