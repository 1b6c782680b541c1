/** The shapes of a Prometheus rule file, as rendered to YAML (field names as Prometheus spells them). */

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval of the group. @default the global evaluation_interval */
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** One file under /etc/prometheus/rules/. */
export interface RuleFile {
  /** File name without directory, e.g. `host.yml`. */
  readonly name: string;
  readonly groups: readonly RuleGroup[];
  /** Lines written as YAML comments at the top (what synth decided and why). */
  readonly notes?: readonly string[];
}

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}
