import type { PlatformConfig } from '../config/schema';
import { hostInstanceName } from '../prometheus/scrape-config';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { platformComponentJobs } from '../host/services';
import { forMinutes, singleAlertScenario, type Scenario } from './scenario';
import { CONFIG_SYNC_METRICS, CONFIG_SYNC_STALE_AFTER_SECONDS } from '../contracts/config-sync';
import { BROKEN_RULE_GROUP, NOTIFICATION_INTEGRATION, REFUSED_CONFIG_GROUP, worldSeries } from './world';

/** Alertmanager cannot deliver: its Slack notifications fail for a while, then get through again. */
export function notificationsFailingScenario(config: PlatformConfig): Scenario {
  return singleAlertScenario({
    name: 'platform-self-failure/alertmanager-notifications',
    family: 'platform-self-failure',
    alertname: 'AlertmanagerNotificationsFailing',
    labels: { job: SCRAPE_JOBS.alertmanager, instance: hostInstanceName(config), integration: NOTIFICATION_INTEGRATION },
    detect: 2 + forMinutes('AlertmanagerNotificationsFailing', config) + 1,
    settle: 6,
    broken: (start, recovery) => `Alertmanager's ${NOTIFICATION_INTEGRATION} notifications fail (3 a minute) from minute ${start} to ${recovery}`,
    input: (minutes, active) => worldSeries(config, minutes, { notificationFailures: (m) => (active(m) ? 3 : 0) }),
  });
}

/**
 * A rule file that passed `promtool check rules` fails at evaluation time (say, a many-to-many match after a
 * label change): one rule group's evaluations fail every minute for a while, then succeed again.
 */
export function ruleEvaluationFailuresScenario(config: PlatformConfig): Scenario {
  return singleAlertScenario({
    name: 'platform-self-failure/rule-evaluation-failures',
    family: 'platform-self-failure',
    alertname: 'PrometheusRuleEvaluationFailures',
    labels: { job: SCRAPE_JOBS.prometheus, instance: hostInstanceName(config), rule_group: BROKEN_RULE_GROUP },
    detect: 5 + forMinutes('PrometheusRuleEvaluationFailures', config) + 1,
    settle: 6,
    broken: (start, recovery) => `every evaluation of the rule group ${BROKEN_RULE_GROUP} fails from minute ${start} to ${recovery}`,
    input: (minutes, active) => worldSeries(config, minutes, { ruleEvaluationFailures: (m) => (active(m) ? 4 : 0) }),
  });
}

/** One platform component stops answering its scrapes, then comes back. */
export function componentDownScenario(config: PlatformConfig, job: string): Scenario {
  return singleAlertScenario({
    name: `platform-self-failure/${job}-down`,
    family: 'platform-self-failure',
    alertname: 'PlatformComponentDown',
    labels: { job, instance: hostInstanceName(config) },
    detect: forMinutes('PlatformComponentDown', config) + 2,
    settle: 2,
    broken: (start, recovery) => `the ${job} scrape target on the host is down from minute ${start} to ${recovery}`,
    input: (minutes, active) => worldSeries(config, minutes, { jobDown: { job, down: active } }),
  });
}

/**
 * A bad config push: a deploy uploads Prometheus rule files that fail `promtool check rules`. The host's sync
 * refuses them at its next run (a minute later) and keeps the last good rules running; its refusal marker makes
 * ConfigSyncRefused fire. The correcting push is applied at the following run, the marker goes away and the
 * alert resolves. (__tests__/gameday/bad-config-push-live.test.ts runs the real sync script and feeds its textfile
 * to the same rule.)
 */
export function configPushRefusedScenario(config: PlatformConfig): Scenario {
  const host = hostInstanceName(config);
  const scenario = singleAlertScenario({
    name: 'platform-self-failure/config-push-refused',
    family: 'platform-self-failure',
    alertname: 'ConfigSyncRefused',
    labels: { job: SCRAPE_JOBS.node, instance: host, group: REFUSED_CONFIG_GROUP },
    detect: 1 + forMinutes('ConfigSyncRefused', config) + 1,
    settle: 3,
    broken: (start, recovery) =>
      `a config push with a broken ${REFUSED_CONFIG_GROUP} rule file at minute ${start}: the host's sync refuses it and keeps the last good rules until the correcting push at minute ${recovery}`,
    // the sync sees each push at its next run, a minute later
    input: (minutes, active) => worldSeries(config, minutes, { configSyncRefused: { group: REFUSED_CONFIG_GROUP, refused: (m) => active(m - 1) } }),
  });
  const refused = `${CONFIG_SYNC_METRICS.refused}{job="${SCRAPE_JOBS.node}",instance="${host}"} == 1`;
  return {
    ...scenario,
    chart: {
      title: 'config groups the host refuses',
      expr: `count(${refused}) or vector(0)`,
      unit: '',
      thresholds: [{ label: 'ConfigSyncRefused (== 1)', value: 1 }],
    },
  };
}

/** The config sync stops running (its timer stopped, or every run dies before it finishes), then runs again. */
export function configSyncStaleScenario(config: PlatformConfig): Scenario {
  return singleAlertScenario({
    name: 'platform-self-failure/config-sync-stopped',
    family: 'platform-self-failure',
    alertname: 'ConfigSyncStale',
    labels: { job: SCRAPE_JOBS.node, instance: hostInstanceName(config) },
    detect: CONFIG_SYNC_STALE_AFTER_SECONDS / 60 + forMinutes('ConfigSyncStale', config) + 2,
    settle: 2,
    broken: (start, recovery) => `the config sync does not finish a run from minute ${start} to ${recovery}`,
    input: (minutes, active) => worldSeries(config, minutes, { configSyncStopped: active }),
  });
}

export function platformSelfFailureScenarios(config: PlatformConfig): Scenario[] {
  return [
    notificationsFailingScenario(config),
    ruleEvaluationFailuresScenario(config),
    configPushRefusedScenario(config),
    configSyncStaleScenario(config),
    ...platformComponentJobs().map((job) => componentDownScenario(config, job)),
  ];
}
