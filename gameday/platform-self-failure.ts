import type { PlatformConfig } from '../lib/config/schema';
import { hostInstanceName } from '../lib/prometheus/scrape-config';
import { PLATFORM_COMPONENT_JOBS, SCRAPE_JOBS } from '../lib/contracts/scrape-jobs';
import { forMinutes, singleAlertScenario, type Scenario } from './scenario';
import { BROKEN_RULE_GROUP, NOTIFICATION_INTEGRATION, worldSeries } from './world';

/** Alertmanager cannot deliver: its Slack notifications fail for a while, then get through again. */
export function notificationsFailingScenario(config: PlatformConfig): Scenario {
  return singleAlertScenario({
    name: 'platform-self-failure/alertmanager-notifications',
    family: 'platform-self-failure',
    alertname: 'AlertmanagerNotificationsFailing',
    labels: { job: SCRAPE_JOBS.alertmanager, instance: hostInstanceName(config), integration: NOTIFICATION_INTEGRATION },
    detect: 2 + forMinutes('AlertmanagerNotificationsFailing') + 1,
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
    detect: 5 + forMinutes('PrometheusRuleEvaluationFailures') + 1,
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
    detect: forMinutes('PlatformComponentDown') + 2,
    settle: 2,
    broken: (start, recovery) => `the ${job} scrape target on the host is down from minute ${start} to ${recovery}`,
    input: (minutes, active) => worldSeries(config, minutes, { jobDown: { job, down: active } }),
  });
}

export function platformSelfFailureScenarios(config: PlatformConfig): Scenario[] {
  return [
    notificationsFailingScenario(config),
    ruleEvaluationFailuresScenario(config),
    ...PLATFORM_COMPONENT_JOBS.map((job) => componentDownScenario(config, job)),
  ];
}
