/**
 * Synth-time checks of every dashboard query. Pure functions: each returns the problems it finds; the
 * GrafanaStack throws them all as one PlatformInternalError naming dashboard, panel and target.
 *
 * - PromQL parses with the official grammar (@prometheus-io/lezer-promql) with no error node, after Grafana
 *   variables are replaced by sample values; every metric it names is in the metric catalog.
 * - LogQL has a stream selector that uses only labels the pipeline attaches (LOG_LABELS).
 * - TraceQL is a non-empty, balanced `{ ... }` filter on known attributes (TRACE_ATTRIBUTES).
 * - Every variable a query references is defined on the dashboard or built into Grafana.
 */
import { PlatformInternalError } from '../config/errors';
import type { PlatformConfig } from '../config/schema';
import type { Dashboard } from '../dashboards/common';
import type { DashboardKey } from '../contracts/dashboards';
import {
  BUILTIN_VARIABLES,
  dashboardQueries,
  dashboardVariables,
  describeLocation,
  referencedVariables,
  substituteVariables,
  type DashboardQuery,
} from './dashboard-queries';
import { LOG_LABELS, TRACE_ATTRIBUTES } from '../contracts/data-sources';
import type { DataSourceSpec } from './data-sources';
import { isKnownMetric, METRIC_CATALOG } from './metric-catalog';
import { promqlMetricNames } from '../promql/expression-metrics';
import { promqlProblems } from '../promql/validate';

/** One thing wrong with one query. */
export interface DashboardProblem {
  readonly query: DashboardQuery;
  /** What is wrong and what is allowed. */
  readonly reason: string;
}

/** Values that stand in for the variables while checking (any syntactically valid value would do). */
export function sampleVariableValues(config: PlatformConfig): Record<string, string> {
  const service = config.services[0];
  return {
    service: service.name,
    environment: service.environments[0].name,
    slo: service.slos[0]?.name ?? 'availability',
    instance: '127.0.0.1:9100',
    repo: config.dora?.repositories[0].repo ?? 'owner/repo',
  };
}

/** The catalog name closest to a misspelt one, to suggest in the error (edit distance ≤ 3). */
function closestMetric(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of Object.values(METRIC_CATALOG).flat()) {
    const distance = editDistance(name, candidate);
    if (distance <= 3 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/**
 * Problems of one PromQL query (already free of Grafana variables): grammar, types, then unknown metrics.
 * `declared`: metric names the config says its apps expose (explicit metric conventions).
 */
export function checkPromql(expr: string, declared: readonly string[] = []): string[] {
  const invalid = promqlProblems(expr);
  if (invalid.length > 0) return invalid.map((problem) => `PromQL is invalid: ${problem}`);
  const names = promqlMetricNames(expr);
  if (names.length === 0) return [];
  return names
    .filter((name) => !isKnownMetric(name) && !declared.includes(name))
    .map((name) => {
      const suggestion = closestMetric(name);
      return `metric ${name} is produced by nothing on the platform${suggestion ? ` (did you mean ${suggestion}?)` : ''}; allowed: the metrics in lib/grafana/metric-catalog.ts (${Object.keys(METRIC_CATALOG).join(', ')})`;
    });
}

/** Problems of one LogQL query: a stream selector on known labels. */
export function checkLogql(expr: string): string[] {
  const selector = /^\s*\{([^}]*)\}/.exec(expr);
  if (!selector) return ['LogQL needs a stream selector such as {service_name="$service"}'];
  const matchers = selector[1]
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (matchers.length === 0) return ['the LogQL stream selector is empty'];
  const problems: string[] = [];
  for (const matcher of matchers) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)$/.exec(matcher);
    if (!match) problems.push(`LogQL matcher ${JSON.stringify(matcher)} is not label op "value"`);
    else if (!(LOG_LABELS as readonly string[]).includes(match[1]))
      problems.push(`Loki label ${match[1]} is not attached by the pipeline; allowed: ${LOG_LABELS.join(', ')}`);
  }
  return problems;
}

/** Problems of one TraceQL query: non-empty, balanced braces, only known attributes. */
export function checkTraceql(expr: string): string[] {
  if (!/\{[^}]*\S[^}]*\}/.test(expr)) return ['TraceQL needs a non-empty span filter such as { resource.service.name = "$service" }'];
  let depth = 0;
  for (const char of expr) {
    depth += char === '{' ? 1 : char === '}' ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) return ['TraceQL braces are not balanced'];
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const problems: string[] = [];
  for (const match of withoutStrings.matchAll(/([A-Za-z_][A-Za-z0-9_.]*)\s*(?:=~|!~|!=|>=|<=|=|>|<)/g)) {
    if (!(TRACE_ATTRIBUTES as readonly string[]).includes(match[1]))
      problems.push(`TraceQL attribute ${match[1]} is not one we record; allowed: ${TRACE_ATTRIBUTES.join(', ')}`);
  }
  return problems;
}

/** Every problem of one dashboard's queries. */
export function findDashboardProblems(
  key: DashboardKey,
  model: Dashboard,
  values: Readonly<Record<string, string>>,
  declared: readonly string[] = [],
): DashboardProblem[] {
  const defined = new Set<string>([...dashboardVariables(model), ...BUILTIN_VARIABLES]);
  const problems: DashboardProblem[] = [];
  for (const query of dashboardQueries(key, model)) {
    const undefinedVars = referencedVariables(query.expr).filter((name) => !defined.has(name));
    if (undefinedVars.length > 0) {
      problems.push({
        query,
        reason: `variable ${undefinedVars.map((n) => `$${n}`).join(', ')} is not defined on this dashboard; defined: ${[...dashboardVariables(model)].map((n) => `$${n}`).join(', ') || 'none'}`,
      });
      continue;
    }
    const expr = substituteVariables(query.expr, values);
    const reasons =
      query.language === 'promql'
        ? checkPromql(expr, declared)
        : query.language === 'logql'
          ? checkLogql(expr)
          : query.language === 'traceql'
            ? checkTraceql(expr)
            : query.expr.trim() === ''
              ? ['the query is empty']
              : [];
    problems.push(...reasons.map((reason) => ({ query, reason })));
  }
  return problems;
}

/**
 * Checks every dashboard (`declared`: metric names the config's explicit conventions name). The dashboards are the
 * library's, so problems are its bug: one PlatformInternalError lists every one, naming the dashboard's source
 * file, dashboard, panel and target.
 */
export function validateDashboards(
  dashboards: Readonly<Partial<Record<DashboardKey, Dashboard>>>,
  values: Readonly<Record<string, string>>,
  declared: readonly string[] = [],
): void {
  const problems = (Object.entries(dashboards) as Array<[DashboardKey, Dashboard]>).flatMap(([key, model]) =>
    findDashboardProblems(key, model, values, declared),
  );
  if (problems.length === 0) return;
  const sourceOf = (problem: (typeof problems)[number]) => `lib/dashboards/${problem.query.dashboard}.ts`;
  throw new PlatformInternalError(
    [...new Set(problems.map(sourceOf))].join(', '),
    problems.map((problem) => `${sourceOf(problem)}: ${describeLocation(problem.query)}: found ${JSON.stringify(problem.query.expr)}; ${problem.reason}`),
  );
}

/**
 * Checks the PromQL that data sources carry (Tempo's traces-to-metrics queries, with `$__tags` standing for a
 * span's mapped tags) like dashboard queries; one PlatformInternalError lists every problem, naming data source and query.
 */
export function validateDataSourceQueries(specs: readonly DataSourceSpec[]): void {
  const problems: string[] = [];
  for (const spec of specs) {
    const queries = (spec.jsonData.tracesToMetrics as { queries?: Array<{ name: string; query: string }> } | undefined)?.queries ?? [];
    for (const { name, query } of queries) {
      const [reason] = checkPromql(substituteVariables(query, { __tags: 'service="sample"' }));
      if (reason) problems.push(`data source "${spec.name}" (${spec.uid}) › tracesToMetrics › query "${name}": found ${JSON.stringify(query)}; ${reason}`);
    }
  }
  if (problems.length > 0) throw new PlatformInternalError('lib/grafana/data-sources.ts', problems);
}
