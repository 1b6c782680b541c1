import { CONFIG_SYNC_METRICS, CONFIG_SYNC_STALE_AFTER_SECONDS, CONFIG_SYNC_STATE_DIR } from '../../contracts/config-sync';
import { PLATFORM_COMPONENT_JOBS, SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { jobMatcher, monitoringHostSelector } from '../../contracts/selectors';
import { staticAlert } from '../alert-definition';

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
    expr: () => `up{job=~"${PLATFORM_COMPONENT_JOBS.join('|')}"} == 0`,
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
];
