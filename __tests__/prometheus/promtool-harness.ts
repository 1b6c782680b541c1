import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import type { HostContext } from '../../lib/host/host-file';
import { renderRuleFile, ruleFiles } from '../../lib/prometheus/rule-files';
import type { RuleFile } from '../../lib/promql/rule-types';
import { isAlertingRule } from '../../lib/promql/rule-types';

/** Shapes of a `promtool test rules` file (field names as promtool spells them). */
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

export const CONTEXT: HostContext = { grafanaUrl: 'http://203.0.113.10:3000' };
export const DEFAULT_CONFIG: PlatformConfig = loadPlatformConfig(join(__dirname, '..', '..', 'config', 'platform.yaml'));

export interface PromtoolResult {
  status: number | null;
  output: string;
  testFile: string;
}

/**
 * Writes the rule files rendered from `config` and a promtool test file into a temporary directory and runs
 * `promtool test rules` on it. With `keepAnnotations: false` (the default) the annotations are dropped from the
 * copies under test, because promtool compares annotations verbatim and the scenario tests are about when
 * alerts fire and with which labels; one test keeps them and checks their exact text.
 */
export function runPromtoolTests(
  tests: PromtoolTestCase[],
  options: { config?: PlatformConfig; keepAnnotations?: boolean; evaluationInterval?: string } = {},
): PromtoolResult {
  const config = options.config ?? DEFAULT_CONFIG;
  const files = ruleFiles(config, CONTEXT);
  const dir = mkdtempSync(join(tmpdir(), 'promtool-test-'));
  try {
    for (const file of files) {
      const content = options.keepAnnotations ? renderRuleFile(file) : renderRuleFile(withoutAnnotations(file));
      writeFileSync(join(dir, file.name), content);
    }
    const groups = files.flatMap((f) => f.groups.map((g) => g.name));
    // recording groups first, so that alerts read the series recorded in the same evaluation
    const ordered = [...groups.filter((g) => g.endsWith('-recording')), ...groups.filter((g) => !g.endsWith('-recording'))];
    const testFile = yaml.dump(
      {
        rule_files: files.map((f) => f.name),
        evaluation_interval: options.evaluationInterval ?? '1m',
        group_eval_order: ordered,
        tests,
      },
      { lineWidth: -1, noRefs: true },
    );
    writeFileSync(join(dir, 'test.yml'), testFile);
    const result = spawnSync('promtool', ['test', 'rules', 'test.yml'], { cwd: dir, encoding: 'utf8', timeout: 50000 });
    if (result.error) throw result.error;
    return { status: result.status, output: `${result.stdout}\n${result.stderr}`, testFile };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function withoutAnnotations(file: RuleFile): RuleFile {
  return {
    ...file,
    groups: file.groups.map((group) => ({
      ...group,
      rules: group.rules.map((rule) => (isAlertingRule(rule) ? { ...rule, annotations: {} } : rule)),
    })),
  };
}

/** `{a="b",c="d"}` series notation. */
export function series(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}

/** Values of a series, one per input interval, written out explicitly. */
export function values(list: readonly number[]): string {
  return list.map((v) => String(v)).join(' ');
}

/** Minutes as a promtool duration. */
export function minutes(m: number): string {
  return `${m}m`;
}
