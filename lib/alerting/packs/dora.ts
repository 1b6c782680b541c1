import { DORA_METRICS } from '../../../dora-exporter/metric-names';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { jobMatcher } from '../../contracts/selectors';
import { staticAlert } from '../alert-definition';

/** The DORA pack: the GitHub Actions DORA exporter's metrics and its own health (rendered only with `dora`). */

const DORA = jobMatcher(SCRAPE_JOBS.dora);

export const DORA_ALERTS = [
  staticAlert({
    name: 'DoraChangeFailureRateHigh',
    severity: 'warning',
    group: 'dora',
    scope: 'dora',
    labels: ['repo', 'environment'],
    for: '30m',
    summary: 'Change failure rate of {{ $labels.repo }} is above the threshold',
    description: '{{ $value | humanize }}% of the deploys of {{ $labels.repo }} to {{ $labels.environment }} over the last 30 days caused a failure.',
    value: '{{ $value | humanize }}% of deploys failed (30d)',
    dashboard: 'dora',
    expr: (c) => `100 * ${DORA_METRICS.changeFailureRate}{window="30d"} > ${c.t.doraChangeFailureRatePercent}`,
  }),
  staticAlert({
    name: 'DoraTimeToRestoreHigh',
    severity: 'warning',
    group: 'dora',
    scope: 'dora',
    labels: ['repo', 'environment'],
    for: '30m',
    summary: 'Time to restore of {{ $labels.repo }} is above the threshold',
    description:
      'The median time to restore service of {{ $labels.repo }} in {{ $labels.environment }} over the last 30 days is {{ $value | humanize }} hours.',
    value: '{{ $value | humanize }} h median time to restore (30d)',
    dashboard: 'dora',
    expr: (c) => `${DORA_METRICS.timeToRestoreMedian}{window="30d"} / 3600 > ${c.t.doraTimeToRestoreHours}`,
  }),
  staticAlert({
    name: 'DoraExporterDown',
    severity: 'warning',
    group: 'dora',
    scope: 'platform',
    labels: ['job', 'instance'],
    for: '10m',
    summary: 'The DORA exporter is down',
    description: 'Prometheus has not scraped the DORA exporter on {{ $labels.instance }}{for} (up is 0 or absent); DORA metrics are stale.',
    dashboard: 'dora',
    expr: (c) => `up{${DORA}} == 0 or absent(up{${DORA},instance="${c.instance}"})`,
  }),
  staticAlert({
    name: 'DoraPollStale',
    severity: 'warning',
    group: 'dora',
    scope: 'platform',
    labels: ['job', 'instance', 'repo'],
    for: '10m',
    summary: 'The DORA exporter cannot read {{ $labels.repo }}',
    description:
      'The DORA exporter on {{ $labels.instance }} has not read all of {{ $labels.repo }} for {{ $value | humanizeDuration }} (0s: not once since it started, ' +
      'its polls fail); its DORA metrics are frozen or absent while the exporter itself is up.',
    value: '{{ $value | humanizeDuration }} since the last successful poll',
    dashboard: 'dora',
    // The second branch is a repository never read since the exporter started (misspelt, not visible to the
    // token): it has no last-success series, only failing polls.
    expr: (c) =>
      `time() - ${DORA_METRICS.repositoryLastSuccessfulPoll}{${DORA}} > ${c.doraStaleSeconds}` +
      ` or (${DORA_METRICS.repositoryPollOk}{${DORA}} == 0 unless on (job, instance, repo) ${DORA_METRICS.repositoryLastSuccessfulPoll}{${DORA}})`,
  }),
];
