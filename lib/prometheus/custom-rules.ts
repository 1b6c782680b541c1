import type { PlatformConfig } from '../config/schema';
import type { AlertingRule, RecordingRule, RuleFile, RuleGroup } from '../promql/rule-types';

/** The rule file of the user's own rules (`rules` in the platform description). */
export const CUSTOM_RULE_FILE = 'custom.yml';

/**
 * `rules.recording` and `rules.alerts` as one rule file, or none when both are empty. The alerts carry the
 * same labels and annotations as the platform's (`severity`; `summary`, `description`, `runbook_url`,
 * `dashboard_url`), so routing, notifications and the Slack template treat them alike.
 */
export function customRuleFile(config: PlatformConfig): RuleFile | undefined {
  const { alerts, recording } = config.rules;
  const groups: RuleGroup[] = [];
  if (recording.length > 0)
    groups.push({
      name: 'custom-recording',
      rules: recording.map((rule): RecordingRule => ({
        record: rule.record,
        expr: rule.expr,
        ...(Object.keys(rule.labels).length ? { labels: rule.labels } : {}),
      })),
    });
  if (alerts.length > 0)
    groups.push({
      name: 'custom-alerts',
      rules: alerts.map((alert): AlertingRule => ({
        alert: alert.name,
        expr: alert.expr,
        for: alert.for,
        labels: { ...alert.labels, severity: alert.severity },
        annotations: {
          summary: alert.summary,
          description: alert.description ?? alert.summary,
          runbook_url: alert.runbookUrl,
          ...(alert.dashboardUrl ? { dashboard_url: alert.dashboardUrl } : {}),
        },
      })),
    });
  return groups.length > 0 ? { name: CUSTOM_RULE_FILE, groups } : undefined;
}
