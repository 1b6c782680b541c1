import type { PlatformConfig } from '../config/schema';
import type { HostContext } from '../shared/host-file';
import type { RuleFile } from '../promql/rule-types';
import {
  minutes,
  parsePromtoolFailures,
  promtoolRuleFiles,
  promtoolTestFile,
  runPromtool,
  type AlertRuleTest,
  type PromqlExprTest,
  type PromtoolTestCase,
} from './promtool';
import type { Scenario } from './scenario';

/**
 * Turns scenarios into `promtool test rules` cases against the real rule files of a config and reports, per
 * scenario, what did not fire, resolve or stay quiet.
 *
 * Mapping onto promtool's alert_rule_test (which compares the complete set of FIRING alerts of one name at
 * one eval_time):
 * - mustFire: at the latest `by` of the alert's expectations, exactly the expected label sets fire (the
 *   breakage is still going on then, so an alert that fired earlier still fires);
 * - mustResolve: at `by`, no alert of that name fires;
 * - mustStayQuiet: every 5 minutes and at the last minute, no alert of that name fires.
 */
export interface ScenarioCheck {
  readonly alertname: string;
  readonly minute: number;
  readonly test: AlertRuleTest;
  /** What the check proves, in words. */
  readonly description: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly broken: string;
  readonly passed: boolean;
  /** One line per failed check. */
  readonly problems: readonly string[];
}

export const QUIET_CHECK_EVERY_MINUTES = 5;

export function scenarioChecks(scenario: Scenario): ScenarioCheck[] {
  const checks: ScenarioCheck[] = [];
  const byName = new Map<string, Scenario['mustFire'][number][]>();
  for (const expectation of scenario.mustFire) byName.set(expectation.alertname, [...(byName.get(expectation.alertname) ?? []), expectation]);
  for (const [alertname, expectations] of byName) {
    const minute = Math.max(...expectations.map((e) => e.by));
    const labels = expectations.map((e) => labelText(e.labels)).join(', ');
    checks.push({
      alertname,
      minute,
      test: { eval_time: minutes(minute), alertname, exp_alerts: expectations.map((e) => ({ exp_labels: { ...e.labels } })) },
      description: `${alertname} did not fire as expected by minute ${minute} (expected exactly ${labels})`,
    });
  }
  for (const resolution of scenario.mustResolve) {
    checks.push({
      alertname: resolution.alertname,
      minute: resolution.by,
      test: { eval_time: minutes(resolution.by), alertname: resolution.alertname, exp_alerts: [] },
      description: `${resolution.alertname} did not resolve by minute ${resolution.by}`,
    });
  }
  const quietMinutes = new Set<number>();
  for (let m = 0; m < scenario.minutes; m += QUIET_CHECK_EVERY_MINUTES) quietMinutes.add(m);
  quietMinutes.add(scenario.minutes - 1);
  for (const alertname of scenario.mustStayQuiet) {
    for (const minute of [...quietMinutes].sort((a, b) => a - b)) {
      checks.push({
        alertname,
        minute,
        test: { eval_time: minutes(minute), alertname, exp_alerts: [] },
        description: `${alertname} fired at minute ${minute} but must stay quiet`,
      });
    }
  }
  return checks;
}

/** Extra tests that only observe (their failures are not problems): see timeline.ts. */
export interface Observations {
  readonly alerts: readonly AlertRuleTest[];
  readonly exprs: readonly PromqlExprTest[];
}

export function scenarioTestCase(scenario: Scenario, observations?: Observations): PromtoolTestCase {
  const checks = scenarioChecks(scenario).map((c) => c.test);
  const checked = new Set(checks.map((t) => `${t.alertname}@${t.eval_time}`));
  const observed = (observations?.alerts ?? []).filter((t) => !checked.has(`${t.alertname}@${t.eval_time}`));
  return {
    name: scenario.name,
    interval: '1m',
    input_series: [...scenario.input],
    alert_rule_test: [...checks, ...observed],
    ...(observations && observations.exprs.length > 0 ? { promql_expr_test: [...observations.exprs] } : {}),
  };
}

export interface RunOptions {
  /** Rule files to test instead of those rendered from the config (e.g. a deliberately broken copy). */
  readonly files?: readonly RuleFile[];
  readonly context?: HostContext;
  /** Observation tests to run along with each scenario's checks (same promtool evaluation). */
  readonly observe?: (scenario: Scenario, index: number) => Observations;
}

/**
 * Runs `scenarios` against the rule files of `config` in one promtool invocation. Throws
 * PromtoolMissingError when promtool is not on PATH.
 */
export function runScenarios(config: PlatformConfig, scenarios: readonly Scenario[], options: RunOptions = {}): ScenarioResult[] {
  return runScenarioCases(config, scenarios, options).results;
}

/** runScenarios, also returning promtool's output (for the observations). */
export function runScenarioCases(
  config: PlatformConfig,
  scenarios: readonly Scenario[],
  options: RunOptions = {},
): { results: ScenarioResult[]; output: string } {
  const names = new Set<string>();
  for (const s of scenarios) {
    if (names.has(s.name)) throw new Error(`two scenarios are named ${s.name}`);
    names.add(s.name);
  }
  const files = options.files ?? promtoolRuleFiles(config, options.context);
  const testFile = promtoolTestFile(
    files,
    scenarios.map((s, i) => scenarioTestCase(s, options.observe?.(s, i))),
  );
  const { status, output } = runPromtool(files, { 'gameday.yml': testFile }, { timeoutMs: 300000 });
  const failures = parsePromtoolFailures(output);
  // failed observations of an expression carry no test name; they alone do not make promtool's failure unattributed
  const unattributed = status !== 0 && failures.length === 0 && !/^\s*expr: /m.test(output);
  const results = scenarios.map((scenario): ScenarioResult => {
    if (unattributed)
      return {
        name: scenario.name,
        broken: scenario.broken,
        passed: false,
        problems: [`promtool failed: ${output.trim().split('\n').slice(0, 5).join(' | ')}`],
      };
    const checks = scenarioChecks(scenario);
    const problems = failures
      .filter((f) => f.test === scenario.name)
      .flatMap((f) => {
        const check = checks.find((c) => c.alertname === f.alertname && f.time !== undefined && c.minute === goDurationMinutes(f.time));
        // a failed observation is no problem (it only says what fired)
        if (!check && options.observe && f.alertname !== undefined) return [];
        const got = gotLabels(f.text);
        return [
          `${check?.description ?? `${f.alertname ?? 'a check'} failed at ${f.time ?? '?'}`}; got: ${got.length > 0 ? got.join(', ') : 'nothing firing'}`,
        ];
      });
    return { name: scenario.name, broken: scenario.broken, passed: problems.length === 0, problems };
  });
  return { results, output };
}

/** One line per scenario: `PASS name` or `FAIL name: problem; problem`. */
export function formatResult(result: ScenarioResult): string {
  return result.passed ? `PASS ${result.name}` : `FAIL ${result.name} (${result.broken}): ${result.problems.join('; ')}`;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
}

/** The label sets promtool says it got. */
function gotLabels(text: string): string[] {
  const got = text.split(/got:/)[1] ?? '';
  return [...got.matchAll(/Labels:(\{[^}]*\})/g)].map((m) => m[1]);
}

/** Minutes of a Go duration as promtool prints eval times (`1h28m`, `45m`, `0s`). */
export function goDurationMinutes(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) + Number(match[3] ?? 0) / 60;
}
