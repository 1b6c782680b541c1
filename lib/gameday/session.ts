import type { PlatformConfig } from '../config/schema';
import { chartFor } from './charts';
import { promtoolRuleFiles } from './promtool';
import { runScenarioCases, type RunOptions, type ScenarioResult } from './runner';
import type { Scenario, ScenarioChart } from './scenario';
import { alertSpans, observationTests, timelineFromOutput, type AlertSpan, type ScenarioTimeline } from './timeline';

/**
 * A game-day session: the pass/fail checks of every scenario (runner.ts) plus what the real rules did minute by
 * minute (timeline.ts), for the table and the report.
 */
export interface GamedayRow {
  readonly scenario: Scenario;
  readonly result: ScenarioResult;
  readonly chart?: ScenarioChart;
  readonly timeline: ScenarioTimeline;
  /** Per watched alert: the deadline it had and when it really fired / resolved. */
  readonly alerts: readonly (AlertSpan & { fireBy?: number; resolveBy?: number })[];
}

export function runGameday(config: PlatformConfig, scenarios: readonly Scenario[], options: RunOptions = {}): GamedayRow[] {
  const files = options.files ?? promtoolRuleFiles(config, options.context);
  const charts = scenarios.map((scenario) => chartFor(config, scenario, files));
  const { results, output } = runScenarioCases(config, scenarios, { ...options, files, observe: (s, i) => observationTests(s, charts[i], i) });
  const timelines = scenarios.map((scenario, i) => timelineFromOutput(scenario, i, output));
  return scenarios.map((scenario, i) => ({
    scenario,
    result: results[i],
    chart: charts[i],
    timeline: timelines[i],
    alerts: alertSpans(timelines[i]).map((span) => ({
      ...span,
      fireBy: maxOf(scenario.mustFire.filter((e) => e.alertname === span.alertname).map((e) => e.by)),
      resolveBy: maxOf(scenario.mustResolve.filter((e) => e.alertname === span.alertname).map((e) => e.by)),
    })),
  }));
}

function maxOf(list: number[]): number | undefined {
  return list.length > 0 ? Math.max(...list) : undefined;
}

const HEADERS = ['SCENARIO', 'EXPECTED ALERTS (fire by / resolve by)', 'FIRED AT', 'RESOLVED AT', 'RESULT'];

/**
 * The result table: one line per expected alert of each scenario (times are scenario minutes, `-` for
 * never), then the problems of every failed scenario.
 */
export function formatTable(rows: readonly GamedayRow[]): string {
  const lines: string[][] = [];
  for (const row of rows) {
    const verdict = row.result.passed ? 'PASS' : 'FAIL';
    if (row.alerts.length === 0) {
      lines.push([row.scenario.name, `none (${row.scenario.mustStayQuiet.length} alerts stay quiet)`, '-', '-', verdict]);
      continue;
    }
    row.alerts.forEach((a, i) => {
      const expected = `${a.alertname} (${a.fireBy !== undefined ? `m${a.fireBy}` : '-'} / ${a.resolveBy !== undefined ? `m${a.resolveBy}` : '-'})`;
      lines.push([i === 0 ? row.scenario.name : '', expected, minuteText(a.firedAt), minuteText(a.resolvedAt), i === 0 ? verdict : '']);
    });
  }
  const widths = HEADERS.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const text = [HEADERS, ...lines].map((l) =>
    l
      .map((cell, c) => (c === l.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd(),
  );
  const failed = rows.filter((r) => !r.result.passed);
  for (const row of failed) text.push(`FAIL ${row.scenario.name} (${row.scenario.broken}): ${row.result.problems.join('; ')}`);
  return `${text.join('\n')}\n`;
}

function minuteText(minute: number | undefined): string {
  return minute === undefined ? '-' : `m${minute}`;
}
