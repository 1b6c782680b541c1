import type { PlatformConfig } from '../lib/config/schema';
import { hostInstanceName } from '../lib/prometheus/scrape-config';
import { PLATFORM_COMPONENT_JOBS, SCRAPE_JOBS } from '../lib/contracts/scrape-jobs';
import { forMinutes, quietExcept, severityOf, type Scenario } from './scenario';
import { BROKEN_RULE_GROUP, NOTIFICATION_INTEGRATION, worldSeries } from './world';

const START = 30;

/** Alertmanager cannot deliver: its Slack notifications fail for a while, then get through again. */
export function notificationsFailingScenario(config: PlatformConfig): Scenario {
  const by = START + 2 + forMinutes('AlertmanagerNotificationsFailing') + 1;
  const recovery = by + 5;
  const resolveBy = recovery + 6;
  const minutes = resolveBy + 5;
  return {
    name: 'platform-self-failure/alertmanager-notifications',
    family: 'platform-self-failure',
    broken: `Alertmanager's ${NOTIFICATION_INTEGRATION} notifications fail (3 a minute) from minute ${START} to ${recovery}`,
    minutes,
    input: worldSeries(config, minutes, { notificationFailures: (m) => (m >= START && m < recovery ? 3 : 0) }),
    mustFire: [
      {
        alertname: 'AlertmanagerNotificationsFailing',
        labels: { job: SCRAPE_JOBS.alertmanager, instance: hostInstanceName(config), integration: NOTIFICATION_INTEGRATION, severity: severityOf('AlertmanagerNotificationsFailing') },
        by,
      },
    ],
    mustResolve: [{ alertname: 'AlertmanagerNotificationsFailing', by: resolveBy }],
    mustStayQuiet: quietExcept('AlertmanagerNotificationsFailing'),
  };
}

/** One platform component stops answering its scrapes, then comes back. */
export function componentDownScenario(config: PlatformConfig, job: string): Scenario {
  const by = START + forMinutes('PlatformComponentDown') + 2;
  const recovery = by + 5;
  const resolveBy = recovery + 2;
  const minutes = resolveBy + 5;
  return {
    name: `platform-self-failure/${job}-down`,
    family: 'platform-self-failure',
    broken: `the ${job} scrape target on the host is down from minute ${START} to ${recovery}`,
    minutes,
    input: worldSeries(config, minutes, { jobDown: { job, down: (m) => m >= START && m < recovery } }),
    mustFire: [{ alertname: 'PlatformComponentDown', labels: { job, instance: hostInstanceName(config), severity: severityOf('PlatformComponentDown') }, by }],
    mustResolve: [{ alertname: 'PlatformComponentDown', by: resolveBy }],
    mustStayQuiet: quietExcept('PlatformComponentDown'),
  };
}

/**
 * A rule file that passed `promtool check rules` fails at evaluation time (say, a many-to-many match after a
 * label change): one rule group's evaluations fail every minute for a while, then succeed again.
 */
export function ruleEvaluationFailuresScenario(config: PlatformConfig): Scenario {
  const by = START + 5 + forMinutes('PrometheusRuleEvaluationFailures') + 1;
  const recovery = by + 5;
  const resolveBy = recovery + 6;
  const minutes = resolveBy + 5;
  return {
    name: 'platform-self-failure/rule-evaluation-failures',
    family: 'platform-self-failure',
    broken: `every evaluation of the rule group ${BROKEN_RULE_GROUP} fails from minute ${START} to ${recovery}`,
    minutes,
    input: worldSeries(config, minutes, { ruleEvaluationFailures: (m) => (m >= START && m < recovery ? 4 : 0) }),
    mustFire: [
      {
        alertname: 'PrometheusRuleEvaluationFailures',
        labels: { job: SCRAPE_JOBS.prometheus, instance: hostInstanceName(config), rule_group: BROKEN_RULE_GROUP, severity: severityOf('PrometheusRuleEvaluationFailures') },
        by,
      },
    ],
    mustResolve: [{ alertname: 'PrometheusRuleEvaluationFailures', by: resolveBy }],
    mustStayQuiet: quietExcept('PrometheusRuleEvaluationFailures'),
  };
}

export function platformSelfFailureScenarios(config: PlatformConfig): Scenario[] {
  return [
    notificationsFailingScenario(config),
    ruleEvaluationFailuresScenario(config),
    ...PLATFORM_COMPONENT_JOBS.map((job) => componentDownScenario(config, job)),
  ];
}
