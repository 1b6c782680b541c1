import * as yaml from 'js-yaml';

/**
 * Time compression for live game days: the rendered rule files with every range selector (`[5m]`, subquery
 * `[30m:1m]`) and every `for:` divided by `factor` (60: a minute of the real rules becomes a second), so that
 * a game day of the real rules plays out in seconds. Expressions, labels and thresholds stay as rendered; only
 * the clock runs faster. Scrape and evaluation intervals must be shortened alike by the caller.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Milliseconds of a single-unit Prometheus duration (`90s`, `5m`, `30d`). */
export function durationMs(text: string): number {
  const match = /^(\d+)(ms|[smhdwy])$/.exec(text);
  if (!match) throw new Error(`not a Prometheus duration: ${text}`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

export function compressDuration(text: string, factor: number): string {
  if (durationMs(text) === 0) return text;
  const ms = Math.max(1, Math.round(durationMs(text) / factor));
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** `expr` with its range and subquery durations compressed. */
export function compressExpr(expr: string, factor: number): string {
  return expr.replace(/\[(\d+(?:ms|[smhdwy]))(?::(\d+(?:ms|[smhdwy])))?\]/g, (_, range: string, step?: string) =>
    step ? `[${compressDuration(range, factor)}:${compressDuration(step, factor)}]` : `[${compressDuration(range, factor)}]`,
  );
}

/** A rule file's YAML (`groups:`) with every rule's `expr` and `for` compressed. */
export function compressRuleFile(content: string, factor: number): string {
  const doc = yaml.load(content) as { groups: Array<{ name: string; rules: Array<Record<string, unknown>> }> };
  for (const group of doc.groups) {
    for (const rule of group.rules) {
      rule.expr = compressExpr(String(rule.expr), factor);
      if (typeof rule.for === 'string') rule.for = compressDuration(rule.for, factor);
    }
  }
  return yaml.dump(doc, { lineWidth: -1, noRefs: true });
}

/** Several rule files' groups as one rule file. */
export function mergeRuleFiles(contents: readonly string[]): string {
  const groups = contents.flatMap((c) => (yaml.load(c) as { groups: unknown[] }).groups);
  return yaml.dump({ groups }, { lineWidth: -1, noRefs: true });
}
