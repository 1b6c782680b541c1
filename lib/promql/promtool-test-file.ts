/**
 * Shapes of a `promtool test rules` file (field names as promtool spells them), shared by the alert packs'
 * cases (lib/alerting/packs/), the game-day runner and the promtool harness (lib/gameday/promtool.ts).
 */

export interface InputSeries {
  series: string;
  values: string;
}
export interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations?: Record<string, string>;
}
export interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}
export interface PromqlExprTest {
  expr: string;
  eval_time: string;
  exp_samples: { labels: string; value: number }[];
}
export interface PromtoolTestCase {
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test?: AlertRuleTest[];
  promql_expr_test?: PromqlExprTest[];
}

/** `{a="b",c="d"}` series notation. */
export function series(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}
