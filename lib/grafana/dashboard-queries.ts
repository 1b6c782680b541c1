import type { Dashboard } from '../dashboards/common';
import { DASHBOARDS, type DashboardKey } from '../contracts/dashboards';

/** The query language of a dashboard query, from its data source. */
export type QueryLanguage = 'promql' | 'logql' | 'traceql' | 'other';

/** One query on a dashboard, with where it sits, for checks and error messages. */
export interface DashboardQuery {
  readonly dashboard: DashboardKey;
  /** `panel "CPU busy"`, `annotation "Deployments"` or `variable "service"`. */
  readonly location: string;
  /** The target's refId (panels), or '' for annotations and variables. */
  readonly refId: string;
  readonly language: QueryLanguage;
  readonly expr: string;
}

interface TargetLike {
  refId?: string;
  expr?: string;
  query?: string;
  queryType?: string;
  serviceMapQuery?: string | string[];
  datasource?: { type?: string; uid?: string };
}

interface PanelLike {
  title?: string;
  type?: string;
  datasource?: { type?: string };
  targets?: TargetLike[];
  panels?: PanelLike[];
}

function languageOf(type: string | undefined, target: TargetLike): QueryLanguage {
  if (type === 'prometheus') return 'promql';
  if (type === 'loki') return 'logql';
  if (type === 'tempo') return target.queryType === 'traceql' ? 'traceql' : 'other';
  return 'other';
}

/** Built-in Grafana variables a query may use without the dashboard defining them. */
export const BUILTIN_VARIABLES = [
  '__rate_interval',
  '__interval',
  '__interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
  '__from',
  '__to',
  '__dashboard',
  '__org',
  '__user',
] as const;

/** Names of the template variables a dashboard defines. */
export function dashboardVariables(model: Dashboard): string[] {
  return (model.templating?.list ?? []).map((variable) => variable.name);
}

/** `label_values(<selector>, <label>)` → `<selector>` (the PromQL part of a variable query). */
function variableSelector(definition: string): string | undefined {
  const match = /^\s*label_values\(\s*(.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*$/s.exec(definition);
  return match?.[1];
}

/** Every query of a dashboard: panel targets (rows descended into), annotations and query variables. */
export function dashboardQueries(key: DashboardKey, model: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  const visit = (panel: PanelLike) => {
    for (const target of panel.targets ?? []) {
      const type = target.datasource?.type ?? panel.datasource?.type;
      const language = languageOf(type, target);
      const serviceMap = Array.isArray(target.serviceMapQuery) ? target.serviceMapQuery.join(' ') : target.serviceMapQuery;
      const expr = language === 'promql' || language === 'logql' ? target.expr : (target.query ?? serviceMap ?? target.expr);
      out.push({ dashboard: key, location: `panel "${panel.title ?? '(untitled)'}"`, refId: target.refId ?? '', language, expr: expr ?? '' });
    }
    for (const inner of panel.panels ?? []) visit(inner);
  };
  for (const panel of (model.panels ?? []) as PanelLike[]) visit(panel);
  for (const annotation of model.annotations?.list ?? []) {
    if (annotation.datasource?.type !== 'prometheus') continue;
    const expr = (annotation as { expr?: string }).expr ?? '';
    out.push({ dashboard: key, location: `annotation "${annotation.name}"`, refId: '', language: 'promql', expr });
  }
  for (const variable of model.templating?.list ?? []) {
    if (String(variable.type) !== 'query' || variable.datasource?.type !== 'prometheus') continue;
    const definition = typeof variable.query === 'string' ? variable.query : String((variable.query as { query?: string } | undefined)?.query ?? '');
    out.push({ dashboard: key, location: `variable "${variable.name}"`, refId: '', language: 'promql', expr: variableSelector(definition) ?? definition });
  }
  return out;
}

/** Where a query sits, the way error messages name it: `dashboard "Host" (lgtm-host) › panel "CPU busy" › target A`. */
export function describeLocation(query: DashboardQuery): string {
  const ref = DASHBOARDS[query.dashboard];
  return `dashboard "${ref.title}" (${ref.uid}) › ${query.location}${query.refId ? ` › target ${query.refId}` : ''}`;
}

/**
 * Replaces Grafana variables with concrete values: `$name`, `${name}`, `${name:format}` and `[[name]]`. Interval
 * macros default to `1m` (`$__range` to `1h`). Unknown variables are left as they are.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  const all: Record<string, string> = {
    __rate_interval: '1m',
    __interval: '1m',
    __range: '1h',
    __range_s: '3600',
    __range_ms: '3600000',
    __interval_ms: '60000',
    ...values,
  };
  const lookup = (name: string, original: string) => (Object.prototype.hasOwnProperty.call(all, name) ? all[name] : original);
  return expr
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}/g, (original, name: string) => lookup(name, original))
    .replace(/\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]/g, (original, name: string) => lookup(name, original))
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (original, name: string) => lookup(name, original));
}

/** Names of every variable a query references (`$x`, `${x}`, `${x:fmt}`, `[[x]]`). */
export function referencedVariables(expr: string): string[] {
  const names = new Set<string>();
  for (const match of expr.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}|\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]|\$([A-Za-z_][A-Za-z0-9_]*)/g))
    names.add(match[1] ?? match[2] ?? match[3]);
  return [...names];
}
