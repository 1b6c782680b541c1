import { CONFIG_SYNC_METRICS, CONFIG_SYNC_STALE_AFTER_SECONDS, CONFIG_SYNC_STATE_DIR } from '../../contracts/config-sync';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { platformComponentJobs } from '../../host/services';
import { jobMatcher, monitoringHostSelector } from '../../contracts/selectors';
import { staticAlert } from '../alert-definition';
import { EXAMPLE_HOST, EXAMPLE_PUSHED_SERIES_BUDGET, fires, input, node, pushedSeries, quiet } from './example-series';
import { PUSHED_LABEL } from '../../contracts/pushed-label';

/** The platform pack: the platform watching itself (rule evaluation, notification delivery, components, config sync). */

const HOST = ['instance'];

export const PLATFORM_ALERTS = [
  staticAlert({
    name: 'PrometheusRuleEvaluationFailures',
    severity: 'critical',
    group: 'platform',
    scope: 'platform',
    labels: ['job', 'instance', 'rule_group'],
    for: '5m',
    summary: 'Prometheus fails to evaluate rules of group {{ $labels.rule_group }}',
    description:
      'Prometheus failed {{ $value | humanize }} rule evaluations in group {{ $labels.rule_group }} over 5 minutes; alerts of that group may not fire.',
    value: '{{ $value | humanize }} failed evaluations (5m)',
    dashboard: 'platform',
    promtoolCases: [
      {
        name: 'a rule group fails every minute',
        interval: '1m',
        input_series: [
          input(
            'prometheus_rule_evaluation_failures_total',
            { job: 'prometheus', instance: EXAMPLE_HOST, rule_group: '/etc/prometheus/rules/slo.yml;slo-anvila-api-recording' },
            '0+1x30',
          ),
        ],
        alert_rule_test: [
          fires('PrometheusRuleEvaluationFailures', '10m', {
            job: 'prometheus',
            instance: EXAMPLE_HOST,
            rule_group: '/etc/prometheus/rules/slo.yml;slo-anvila-api-recording',
            severity: 'critical',
          }),
        ],
      },
      {
        name: 'no failures',
        interval: '1m',
        input_series: [input('prometheus_rule_evaluation_failures_total', { job: 'prometheus', instance: EXAMPLE_HOST, rule_group: 'host' }, '0x30')],
        alert_rule_test: [quiet('PrometheusRuleEvaluationFailures', '10m')],
      },
    ],
    expr: () => `sum by (job, instance, rule_group) (increase(prometheus_rule_evaluation_failures_total{${jobMatcher(SCRAPE_JOBS.prometheus)}}[5m])) > 0`,
  }),
  staticAlert({
    name: 'AlertmanagerNotificationsFailing',
    severity: 'critical',
    group: 'platform',
    scope: 'platform',
    labels: ['job', 'instance', 'integration'],
    for: '10m',
    summary: 'Alertmanager fails to deliver notifications via {{ $labels.integration }}',
    description:
      'Alertmanager failed {{ $value | humanize }} notifications per second via {{ $labels.integration }} over 5 minutes; alerts may not reach anyone.',
    value: '{{ $value | humanize }} failed notifications/s (5m)',
    dashboard: 'platform',
    promtoolCases: [
      {
        name: 'slack notifications fail',
        interval: '1m',
        input_series: [input('alertmanager_notifications_failed_total', { job: 'alertmanager', instance: EXAMPLE_HOST, integration: 'slack' }, '0+1x30')],
        alert_rule_test: [
          fires('AlertmanagerNotificationsFailing', '15m', { job: 'alertmanager', instance: EXAMPLE_HOST, integration: 'slack', severity: 'critical' }),
        ],
      },
      {
        name: 'notifications succeed',
        interval: '1m',
        input_series: [input('alertmanager_notifications_failed_total', { job: 'alertmanager', instance: EXAMPLE_HOST, integration: 'slack' }, '0x30')],
        alert_rule_test: [quiet('AlertmanagerNotificationsFailing', '15m')],
      },
    ],
    expr: () => `sum by (job, instance, integration) (rate(alertmanager_notifications_failed_total{${jobMatcher(SCRAPE_JOBS.alertmanager)}}[5m])) > 0`,
  }),
  staticAlert({
    name: 'PlatformComponentDown',
    severity: 'warning',
    group: 'platform',
    scope: 'platform',
    labels: ['job', 'instance'],
    for: '5m',
    summary: 'Platform component {{ $labels.job }} is down',
    description:
      'Prometheus has failed to scrape {{ $labels.job }} on {{ $labels.instance }}{for} (up = {{ $value }}); that part of the platform is blind or down.',
    value: 'up = {{ $value }}',
    dashboard: 'platform',
    promtoolCases: [
      {
        name: 'loki down (and node down, which HostDown covers, not this alert)',
        interval: '1m',
        input_series: [input('up', { job: 'loki', instance: EXAMPLE_HOST }, '0x20'), input('up', node, '0x20')],
        alert_rule_test: [fires('PlatformComponentDown', '10m', { job: 'loki', instance: EXAMPLE_HOST, severity: 'warning' })],
      },
      {
        name: 'everything up',
        interval: '1m',
        input_series: [input('up', { job: 'loki', instance: EXAMPLE_HOST }, '1x20'), input('up', { job: 'grafana', instance: EXAMPLE_HOST }, '1x20')],
        alert_rule_test: [quiet('PlatformComponentDown', '10m')],
      },
    ],
    expr: () => `up{job=~"${platformComponentJobs().join('|')}"} == 0`,
  }),
  staticAlert({
    name: 'ConfigSyncRefused',
    severity: 'warning',
    group: 'platform',
    scope: 'host',
    labels: [...HOST, 'group'],
    for: '5m',
    summary: 'The host {{ $labels.instance }} refuses the pushed {{ $labels.group }} configuration',
    description:
      'The config sync on {{ $labels.instance }} has refused the {{ $labels.group }} files in the config bucket{for} (lgtm_config_sync_refused = {{ $value }}): ' +
      'they failed their checker, so {{ $labels.group }} keeps running the last good files and the pushed change is not live. ' +
      `Why: journalctl -u lgtm-sync on the host, and the checker output in ${CONFIG_SYNC_STATE_DIR}/rejected/{{ $labels.group }}/reason.txt.`,
    dashboard: 'platform',
    promtoolCases: [
      {
        name: 'a bad push of the prometheus files, refused until the fix is pushed at minute 20',
        interval: '1m',
        // the marker is only present while the bucket holds the refused files; node exporter drops it after the fix
        input_series: [
          input('lgtm_config_sync_refused', { ...node, group: 'prometheus' }, '_x2 1x18 stale'),
          input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x30'),
        ],
        alert_rule_test: [
          quiet('ConfigSyncRefused', '5m'), // pending: refused for 3 minutes only
          fires('ConfigSyncRefused', '10m', { ...node, group: 'prometheus', severity: 'warning' }),
          quiet('ConfigSyncRefused', '22m'), // the correcting push was applied
        ],
      },
      {
        name: 'a push refused for one run only (a half-uploaded deploy), then applied: no ticket',
        interval: '1m',
        input_series: [input('lgtm_config_sync_refused', { ...node, group: 'alertmanager' }, '_x2 1x1 stale')],
        alert_rule_test: [quiet('ConfigSyncRefused', '4m'), quiet('ConfigSyncRefused', '8m')],
      },
    ],
    expr: (c) => `${CONFIG_SYNC_METRICS.refused}{${monitoringHostSelector(c.instance)}} == 1`,
  }),
  staticAlert({
    name: 'ConfigSyncStale',
    severity: 'warning',
    group: 'platform',
    scope: 'host',
    labels: HOST,
    for: '5m',
    summary: 'The config sync on {{ $labels.instance }} has stopped running',
    description:
      'The config sync on {{ $labels.instance }} has not recorded a finished run for {{ $value | humanizeDuration }} (it runs {syncEvery}; with no record at all, counted from boot): ' +
      'pushed configuration no longer reaches the host. See systemctl status lgtm-sync.timer lgtm-sync.service and journalctl -u lgtm-sync.',
    value: '{{ $value | humanizeDuration }} since the last sync run',
    dashboard: 'platform',
    promtoolCases: [
      {
        name: 'the sync stops at minute 5; node exporter keeps exporting the last timestamp',
        interval: '1m',
        input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x5 300x40'), input('node_boot_time_seconds', node, '-86400x45')],
        alert_rule_test: [
          quiet('ConfigSyncStale', '20m'), // 15 minutes without a run: at the threshold, not above it
          quiet('ConfigSyncStale', '24m'), // pending
          fires('ConfigSyncStale', '27m', { ...node, severity: 'warning' }),
        ],
      },
      {
        name: 'the sync series disappears (textfile gone) on a host that has been up for a day',
        interval: '1m',
        // runs every minute until minute 3, then the series vanishes (stale marker): only the absent branch can fire
        input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x3 stale'), input('node_boot_time_seconds', node, '-86400x20')],
        alert_rule_test: [quiet('ConfigSyncStale', '3m'), quiet('ConfigSyncStale', '8m'), fires('ConfigSyncStale', '10m', { ...node, severity: 'warning' })],
      },
      {
        name: 'a fresh host: no sync recorded during the first 14 minutes after boot, then runs every minute',
        interval: '1m',
        input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '_x14 840+60x30'), input('node_boot_time_seconds', node, '0x45')],
        alert_rule_test: [quiet('ConfigSyncStale', '10m'), quiet('ConfigSyncStale', '14m'), quiet('ConfigSyncStale', '40m')],
      },
      {
        name: 'the sync runs every minute',
        interval: '1m',
        input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x60'), input('node_boot_time_seconds', node, '-86400x60')],
        alert_rule_test: [quiet('ConfigSyncStale', '30m'), quiet('ConfigSyncStale', '60m')],
      },
      {
        name: 'node exporter not scraped at all: HostDown, not this alert',
        interval: '1m',
        input_series: [input('up', node, '0x40')],
        alert_rule_test: [quiet('ConfigSyncStale', '30m')],
      },
    ],
    // The second branch is the absent() case: node exporter is scraped (its boot time is fresh) but the sync's
    // series is gone. It fires only once the host has been up longer than the threshold, so a fresh host does not
    // alert before its first sync has run; its value (the uptime) is a lower bound of the time without a record.
    expr: (c) => {
      const host = monitoringHostSelector(c.instance);
      const after = CONFIG_SYNC_STALE_AFTER_SECONDS;
      return (
        `time() - ${CONFIG_SYNC_METRICS.lastRun}{${host}} > ${after}` +
        ` or (time() - node_boot_time_seconds{${host}} > ${after} unless on (job, instance) ${CONFIG_SYNC_METRICS.lastRun}{${host}})`
      );
    },
  }),
  staticAlert({
    name: 'PushedSeriesOverBudget',
    severity: 'critical',
    group: 'platform',
    scope: 'source',
    labels: ['environment'],
    for: '10m',
    summary: 'Environment {{ $labels.environment }} holds more pushed series than its budget',
    description:
      'Telemetry pushed with the {{ $labels.environment }} token holds {{ $value | humanize }} series in Prometheus, over the budget of ' +
      'alerting.thresholds.pushedSeriesPerEnvironment{for}. Nothing refuses new series per source: left alone, one environment can grow ' +
      "Prometheus's head until the host runs out of memory and every alert stops.",
    value: '{{ $value | humanize }} pushed series',
    dashboard: 'platform',
    // Counts every pushed series at each evaluation: bounded by what the budget allows, and the price of seeing it.
    expr: (c) => `count by (environment) ({${PUSHED_LABEL.label}="${PUSHED_LABEL.value}"}) > ${c.t.pushedSeriesPerEnvironment}`,
    promtoolCases: [
      {
        name: 'staging pushes one series over the default budget for 15 minutes; production stays under it',
        interval: '1m',
        input_series: [...pushedSeries('staging', EXAMPLE_PUSHED_SERIES_BUDGET + 1), ...pushedSeries('production', 10)],
        alert_rule_test: [
          quiet('PushedSeriesOverBudget', '5m'), // pending
          fires('PushedSeriesOverBudget', '12m', { environment: 'staging', severity: 'critical' }),
        ],
      },
      {
        name: 'exactly the budget: at it, not over it',
        interval: '1m',
        input_series: pushedSeries('staging', EXAMPLE_PUSHED_SERIES_BUDGET),
        alert_rule_test: [quiet('PushedSeriesOverBudget', '12m')],
      },
    ],
  }),
];
