import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import type { PlatformConfig } from '../config/schema';
import type { HostContext } from '../shared/host-file';
import { compilePlatform } from '../model/compile';
import { renderRuleFile, ruleFiles } from '../prometheus/rule-files';
import type { RuleFile } from '../promql/rule-types';
import { isAlertingRule } from '../promql/rule-types';
import type { PromtoolTestCase } from '../promql/promtool-test-file';

/**
 * `promtool test rules` as a library: writing the rule files rendered from a config next to one or more test
 * files (their shapes: lib/promql/promtool-test-file.ts), and running promtool on them. Shared by the game-day
 * runner and the promtool-based unit tests.
 */

export type { AlertRuleTest, ExpAlert, InputSeries, PromqlExprTest, PromtoolTestCase } from '../promql/promtool-test-file';
export { series } from '../promql/promtool-test-file';

/** The Grafana address used in annotations when rules are rendered for a test (annotations are dropped anyway). */
export const PROMTOOL_CONTEXT: HostContext = { grafanaUrl: 'http://203.0.113.10:3000' };

export interface PromtoolResult {
  status: number | null;
  output: string;
  testFile: string;
}

/** One failed check as promtool reports it: the test case, and the alert and time of an alert_rule_test. */
export interface PromtoolFailure {
  /** `name` of the test case. */
  test: string;
  alertname?: string;
  /** eval_time as promtool prints it, e.g. `12m`. */
  time?: string;
  /** promtool's own text of the failure (expected and got). */
  text: string;
}

/** Thrown when promtool is not on PATH. */
export class PromtoolMissingError extends Error {
  constructor() {
    super('promtool was not found on PATH: install Prometheus (Debian/Ubuntu: apt-get install prometheus) or put its promtool binary on PATH');
    this.name = 'PromtoolMissingError';
  }
}

/**
 * The rule files of a config as promtool will load them. With `keepAnnotations: false` (the default) the
 * annotations are dropped, because promtool compares annotations verbatim and behaviour tests are about when
 * alerts fire and with which labels.
 */
export function promtoolRuleFiles(config: PlatformConfig, context: HostContext = PROMTOOL_CONTEXT): RuleFile[] {
  return ruleFiles(compilePlatform(config), context);
}

export function withoutAnnotations(file: RuleFile): RuleFile {
  return {
    ...file,
    groups: file.groups.map((group) => ({
      ...group,
      rules: group.rules.map((rule) => (isAlertingRule(rule) ? { ...rule, annotations: {} } : rule)),
    })),
  };
}

/** Group evaluation order: recording groups first, so that alerts read the series recorded in the same evaluation. */
export function groupEvalOrder(files: readonly RuleFile[]): string[] {
  const groups = files.flatMap((f) => f.groups.map((g) => g.name));
  return [...groups.filter((g) => g.endsWith('-recording')), ...groups.filter((g) => !g.endsWith('-recording'))];
}

/** The YAML of one promtool test file over `files`. */
export function promtoolTestFile(files: readonly RuleFile[], tests: PromtoolTestCase[], evaluationInterval = '1m'): string {
  return yaml.dump(
    { rule_files: files.map((f) => f.name), evaluation_interval: evaluationInterval, group_eval_order: groupEvalOrder(files), tests },
    { lineWidth: -1, noRefs: true },
  );
}

/**
 * Writes `files` (annotations dropped unless `keepAnnotations`) and every test file of `testFiles` (name →
 * YAML) into a temporary directory and runs `promtool test rules` once on all test files. Throws
 * PromtoolMissingError when promtool is not on PATH.
 */
export function runPromtool(
  files: readonly RuleFile[],
  testFiles: Record<string, string>,
  options: { keepAnnotations?: boolean; timeoutMs?: number } = {},
): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'promtool-test-'));
  try {
    for (const file of files) {
      writeFileSync(join(dir, file.name), renderRuleFile(options.keepAnnotations ? file : withoutAnnotations(file)));
    }
    const names = Object.keys(testFiles);
    for (const name of names) writeFileSync(join(dir, name), testFiles[name]);
    const result = spawnSync('promtool', ['test', 'rules', ...names], { cwd: dir, encoding: 'utf8', timeout: options.timeoutMs ?? 120000 });
    if (result.error) {
      if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') throw new PromtoolMissingError();
      throw result.error;
    }
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The failed checks in promtool's output. promtool (2.42) reports each failed check as an indented block
 * `name: TEST,` / `alertname: A, time: T,` followed by what it expected and what it got; other errors
 * (a test file it cannot load, a query error) come without a test name.
 */
export function parsePromtoolFailures(output: string): PromtoolFailure[] {
  const failures: PromtoolFailure[] = [];
  let current: PromtoolFailure | undefined;
  for (const line of output.split('\n')) {
    const name = /^\s*name: (.*),\s*$/.exec(line);
    if (name) {
      current = { test: name[1], text: '' };
      failures.push(current);
      continue;
    }
    const alert = /^\s*alertname: ([^,]+), time: ([^,]+),/.exec(line);
    if (alert && current) {
      current.alertname = alert[1];
      current.time = alert[2];
      continue;
    }
    // a promql_expr_test failure (no test name) ends the block before it
    if (/^\s*FAILED:?\s*$/.test(line) || /^Unit Testing:/.test(line) || /^\s*expr: /.test(line)) {
      current = undefined;
      continue;
    }
    if (current) current.text += `${line}\n`;
  }
  return failures;
}

/**
 * Renders the rule files of `config` and runs the promtool test cases `tests` against them (one test file).
 * `files` replaces the rendered rule files (e.g. a deliberately broken copy).
 */
export function runPromtoolTests(
  tests: PromtoolTestCase[],
  options: { config: PlatformConfig; context?: HostContext; files?: readonly RuleFile[]; keepAnnotations?: boolean; evaluationInterval?: string },
): PromtoolResult {
  const files = options.files ?? promtoolRuleFiles(options.config, options.context);
  const testFile = promtoolTestFile(files, tests, options.evaluationInterval);
  // runPromtool's own bound (2 minutes): the host rules alone are 27 alerts, and the machines the tests share are busy
  const result = runPromtool(files, { 'test.yml': testFile }, { keepAnnotations: options.keepAnnotations });
  return { status: result.status, output: result.output, testFile };
}

/** Values of a series, one per input interval, written out explicitly. */
export function values(list: readonly number[]): string {
  return list.map((v) => String(v)).join(' ');
}

/** Values of a series, one per input interval, in promtool's compact `start+stepxN` notation. */
export function compactValues(list: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < list.length) {
    const start = list[i];
    if (i + 1 >= list.length) {
      parts.push(num(start));
      break;
    }
    const step = round(list[i + 1] - start);
    let n = 1;
    while (i + n + 1 < list.length && round(list[i + n + 1] - list[i + n]) === step) n++;
    if (n === 1 && i + 2 < list.length) {
      // a lone step: write the single value and start the next run from the following one
      parts.push(num(start));
      i += 1;
      continue;
    }
    parts.push(`${num(start)}${step < 0 ? '-' : '+'}${num(Math.abs(step))}x${n}`);
    i += n + 1;
  }
  return parts.join(' ');
}

function round(v: number): number {
  return Number(v.toPrecision(10));
}
function num(v: number): string {
  return String(round(v));
}

/** Minutes as a promtool duration. */
export function minutes(m: number): string {
  return `${m}m`;
}
