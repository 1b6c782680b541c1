import * as yaml from 'js-yaml';
import { PlatformConfigError, describeValue, formatPath } from '../config/errors';
import { SLI_WINDOW_PLACEHOLDER } from './sli';

/**
 * OpenSLO v1 import: `SLO` documents (with an inline `indicator` or an `indicatorRef` to an `SLI` document of the
 * same file) whose indicator is a ratio or threshold metric with Prometheus sources become entries of the
 * platform description's `services[].slos`. What the platform cannot express is refused with the document and
 * path, not approximated. The platform schema then validates the result like any hand-written SLO.
 */

/** One imported SLO: the service it belongs to and the platform's SLO entry (input shape, defaults unfilled). */
export interface ImportedSlo {
  readonly service: string;
  readonly slo: { name: string; objective: number; window: string; sli: unknown; description?: string };
  /** Where it came from, for messages: `documents[2]` of the file. */
  readonly source: string;
}

/** Sloth writes the range as `{{.window}}`; OpenSLO leaves it to the tool. Both spellings are read as ours. */
const WINDOW_SPELLINGS = [SLI_WINDOW_PLACEHOLDER, '{{.window}}', '{{ .window }}'];

/** Kinds that configure alerting, which the platform's burn-rate alerts and routing already do. */
const ALERTING_KINDS = ['AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'];

type Doc = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; displayName?: unknown }; spec?: Record<string, unknown> };

interface Problem {
  readonly path: (string | number)[];
  readonly found: unknown;
  readonly allowed: string;
}

/** Parses an OpenSLO file (one or more YAML documents) into platform SLOs; throws PlatformConfigError naming the file. */
export function importOpenSlo(text: string, file: string): ImportedSlo[] {
  let docs: Doc[];
  try {
    docs = yaml.loadAll(text, undefined, { filename: file, schema: yaml.CORE_SCHEMA }).filter((d) => d !== null && d !== undefined);
  } catch (error) {
    throw new PlatformConfigError(file, '', `malformed YAML (${(error as yaml.YAMLException).reason ?? 'parse error'})`, 'fix the YAML syntax there');
  }
  const problems: Problem[] = [];
  const slis = new Map<string, { index: number; spec: Record<string, unknown> }>();
  docs.forEach((doc, index) => {
    if (doc.kind === 'SLI' && typeof doc.metadata?.name === 'string' && doc.spec) slis.set(doc.metadata.name, { index, spec: doc.spec });
  });
  const imported: ImportedSlo[] = [];
  docs.forEach((doc, index) => {
    const at = (...path: (string | number)[]) => [`documents[${index}]`, ...path];
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      problems.push({ path: at(), found: doc, allowed: 'expected an OpenSLO document (a mapping with apiVersion, kind, metadata, spec)' });
      return;
    }
    if (doc.apiVersion !== 'openslo/v1') {
      problems.push({ path: at('apiVersion'), found: doc.apiVersion, allowed: 'expected openslo/v1 (v1alpha and v2 documents are not read)' });
      return;
    }
    if (doc.kind === 'SLI' || doc.kind === 'Service') return;
    if (ALERTING_KINDS.includes(String(doc.kind))) {
      problems.push({
        path: at('kind'),
        found: doc.kind,
        allowed:
          'expected SLO, SLI or Service: alerting comes from the platform (multi-window burn-rate alerts, alerting.* routing), so alert documents are not imported; remove them',
      });
      return;
    }
    if (doc.kind !== 'SLO') {
      problems.push({ path: at('kind'), found: doc.kind, allowed: 'expected SLO, SLI or Service' });
      return;
    }
    const result = sloOf(doc, at, slis, problems);
    if (result) imported.push({ ...result, source: `documents[${index}]` });
  });
  if (problems.length > 0) {
    const [first] = problems;
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}: ${problems
            .slice(1)
            .map((p) => formatPath(p.path))
            .join(', ')})`
        : '';
    throw new PlatformConfigError(file, formatPath(first.path), describeValue(first.found), `${first.allowed}${more}`);
  }
  return imported;
}

function sloOf(
  doc: Doc,
  at: (...path: (string | number)[]) => (string | number)[],
  slis: ReadonlyMap<string, { index: number; spec: Record<string, unknown> }>,
  problems: Problem[],
): Omit<ImportedSlo, 'source'> | undefined {
  const spec = doc.spec ?? {};
  const start = problems.length;
  const name = doc.metadata?.name;
  if (typeof name !== 'string') problems.push({ path: at('metadata', 'name'), found: name, allowed: 'expected the SLO name' });
  const service = spec.service;
  if (typeof service !== 'string')
    problems.push({ path: at('spec', 'service'), found: service, allowed: 'expected the name of the platform service this SLO belongs to' });
  if (spec.budgetingMethod !== undefined && spec.budgetingMethod !== 'Occurrences')
    problems.push({
      path: at('spec', 'budgetingMethod'),
      found: spec.budgetingMethod,
      allowed: 'expected Occurrences: the platform budgets events, not time slices',
    });
  const windows = spec.timeWindow;
  const window = Array.isArray(windows) && windows.length === 1 ? (windows[0] as Record<string, unknown>) : undefined;
  if (!window)
    problems.push({ path: at('spec', 'timeWindow'), found: windows, allowed: 'expected one rolling time window, e.g. [{ duration: 28d, isRolling: true }]' });
  else if (window.isRolling !== true)
    problems.push({
      path: at('spec', 'timeWindow', 0, 'isRolling'),
      found: window.isRolling,
      allowed: 'expected true: the platform keeps rolling windows only (no calendar windows)',
    });
  const objectives = spec.objectives;
  const objective = Array.isArray(objectives) && objectives.length === 1 ? (objectives[0] as Record<string, unknown>) : undefined;
  if (!objective)
    problems.push({ path: at('spec', 'objectives'), found: objectives, allowed: 'expected exactly one objective (write one SLO document per objective)' });
  const target = objective ? targetPercent(objective) : undefined;
  if (objective && target === undefined)
    problems.push({ path: at('spec', 'objectives', 0), found: objective, allowed: 'expected target (a ratio such as 0.995) or targetPercent (such as 99.5)' });
  const indicator = indicatorOf(spec, at, slis, problems);
  const sli = indicator ? sliOf(indicator.spec, indicator.path, objective, at, problems) : undefined;
  if (problems.length > start || typeof name !== 'string' || typeof service !== 'string' || !window || target === undefined || sli === undefined)
    return undefined;
  const description =
    typeof spec.description === 'string' ? spec.description : typeof doc.metadata?.displayName === 'string' ? doc.metadata.displayName : undefined;
  return { service, slo: { name, objective: target, window: String(window.duration), sli, ...(description ? { description } : {}) } };
}

function targetPercent(objective: Record<string, unknown>): number | undefined {
  if (typeof objective.targetPercent === 'number') return objective.targetPercent;
  if (typeof objective.target === 'number') return Number((objective.target * 100).toPrecision(12));
  return undefined;
}

function indicatorOf(
  spec: Record<string, unknown>,
  at: (...path: (string | number)[]) => (string | number)[],
  slis: ReadonlyMap<string, { index: number; spec: Record<string, unknown> }>,
  problems: Problem[],
): { spec: Record<string, unknown>; path: (string | number)[] } | undefined {
  if (typeof spec.indicatorRef === 'string') {
    const found = slis.get(spec.indicatorRef);
    if (!found) {
      problems.push({
        path: at('spec', 'indicatorRef'),
        found: spec.indicatorRef,
        allowed: `expected the name of an SLI document in the same file${slis.size ? `: ${[...slis.keys()].join(', ')}` : ' (there is none)'}`,
      });
      return undefined;
    }
    return { spec: found.spec, path: [`documents[${found.index}]`, 'spec'] };
  }
  const inline = spec.indicator as { spec?: Record<string, unknown> } | undefined;
  if (inline && typeof inline.spec === 'object') return { spec: inline.spec, path: at('spec', 'indicator', 'spec') };
  problems.push({ path: at('spec'), found: spec, allowed: 'expected indicator (an inline SLI) or indicatorRef (the name of an SLI document)' });
  return undefined;
}

/** The platform SLI of an OpenSLO indicator: a ratio SLI, from a ratio metric or a threshold metric. */
function sliOf(
  indicator: Record<string, unknown>,
  path: (string | number)[],
  objective: Record<string, unknown> | undefined,
  at: (...p: (string | number)[]) => (string | number)[],
  problems: Problem[],
): unknown {
  const ratio = indicator.ratioMetric as Record<string, unknown> | undefined;
  if (ratio) {
    if (ratio.raw !== undefined || ratio.rawType !== undefined) {
      problems.push({
        path: [...path, 'ratioMetric', 'raw'],
        found: ratio.raw,
        allowed: 'expected good or bad over total: a precomputed ratio (raw) is not supported',
      });
      return undefined;
    }
    const total = prometheusQuery(ratio.total, [...path, 'ratioMetric', 'total'], problems);
    const side = ratio.good !== undefined ? 'good' : 'bad';
    if ((ratio.good === undefined) === (ratio.bad === undefined)) {
      problems.push({ path: [...path, 'ratioMetric'], found: ratio, allowed: 'expected exactly one of good or bad, and total' });
      return undefined;
    }
    const events = prometheusQuery(ratio[side], [...path, 'ratioMetric', side], problems);
    if (total === undefined || events === undefined) return undefined;
    return { ratio: side === 'good' ? { good: events, total } : { errors: events, total } };
  }
  const threshold = indicator.thresholdMetric;
  if (threshold) {
    const query = prometheusQuery(threshold, [...path, 'thresholdMetric'], problems, false);
    const op = objective?.op;
    const value = objective?.value;
    const comparison = typeof op === 'string' ? { lt: '<', lte: '<=', gt: '>', gte: '>=' }[op] : undefined;
    if (!comparison || typeof value !== 'number') {
      problems.push({
        path: at('spec', 'objectives', 0),
        found: objective,
        allowed: 'a threshold metric needs op (lt, lte, gt, gte) and a numeric value in its objective',
      });
      return undefined;
    }
    if (query === undefined) return undefined;
    // good events are the minutes in which the query met the threshold (a subquery at a 1-minute resolution)
    const met = `((${query}) ${comparison} bool ${value})`;
    return { ratio: { good: `sum_over_time(${met}[${SLI_WINDOW_PLACEHOLDER}:1m])`, total: `count_over_time(${met}[${SLI_WINDOW_PLACEHOLDER}:1m])` } };
  }
  problems.push({ path, found: indicator, allowed: 'expected ratioMetric or thresholdMetric (other indicator kinds are not supported)' });
  return undefined;
}

/** The query of a `metricSource` of type Prometheus, with its range placeholder in our spelling. */
function prometheusQuery(metric: unknown, path: (string | number)[], problems: Problem[], needsWindow = true): string | undefined {
  const source = (metric as { metricSource?: { type?: unknown; spec?: { query?: unknown } } } | undefined)?.metricSource;
  if (!source) {
    problems.push({ path: [...path, 'metricSource'], found: source, allowed: 'expected a metricSource with type Prometheus and spec.query' });
    return undefined;
  }
  if (source.type !== 'Prometheus') {
    problems.push({
      path: [...path, 'metricSource', 'type'],
      found: source.type,
      allowed: 'expected Prometheus: the platform evaluates SLIs in its own Prometheus',
    });
    return undefined;
  }
  const query = source.spec?.query;
  if (typeof query !== 'string') {
    problems.push({ path: [...path, 'metricSource', 'spec', 'query'], found: query, allowed: 'expected a PromQL query' });
    return undefined;
  }
  const normalized = WINDOW_SPELLINGS.reduce((text, spelling) => text.split(spelling).join(SLI_WINDOW_PLACEHOLDER), query);
  if (needsWindow && !normalized.includes(SLI_WINDOW_PLACEHOLDER)) {
    problems.push({
      path: [...path, 'metricSource', 'spec', 'query'],
      found: query,
      allowed: `expected ${SLI_WINDOW_PLACEHOLDER} (or sloth's {{.window}}) as the range, so that each burn-rate window reads its own range`,
    });
    return undefined;
  }
  return normalized;
}

/**
 * Adds imported SLOs to a raw platform description (as parsed from YAML, before validation), each to the
 * service it names. A service the description does not have is refused, naming the OpenSLO file and document.
 */
export function addImportedSlos(raw: { services?: { name?: unknown; slos?: unknown[] }[] }, imported: readonly ImportedSlo[], file: string): void {
  const services = raw.services ?? [];
  for (const entry of imported) {
    const service = services.find((s) => s.name === entry.service);
    if (!service)
      throw new PlatformConfigError(
        file,
        `${entry.source}.spec.service`,
        describeValue(entry.service),
        `expected a service of the platform description: ${services.map((s) => String(s.name)).join(', ') || 'none'}`,
      );
    service.slos = [...(service.slos ?? []), entry.slo];
  }
}
