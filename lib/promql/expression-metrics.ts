import { parser } from '@prometheus-io/lezer-promql';

/** One label matcher of a vector selector, e.g. `fstype!~"tmpfs"` as `{ label: 'fstype', op: '!~', value: 'tmpfs' }`. */
export interface SelectorMatcher {
  readonly label: string;
  readonly op: string;
  readonly value: string;
}

/** A vector selector of an expression: its metric name (when written before the braces) and its matchers. */
export interface VectorSelector {
  readonly metric?: string;
  readonly matchers: readonly SelectorMatcher[];
}

/** Every vector selector of a PromQL expression, in the order they appear. */
export function promqlVectorSelectors(expr: string): VectorSelector[] {
  const selectors: VectorSelector[] = [];
  const cursor = parser.parse(expr).cursor();
  const text = (node: { from: number; to: number }) => expr.slice(node.from, node.to);
  do {
    if (cursor.name === 'VectorSelector') {
      const selector = cursor.node;
      const identifier = selector.getChild('Identifier');
      const matchers: SelectorMatcher[] = [];
      for (const matcher of selector.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
        const label = matcher.getChild('LabelName');
        const op = matcher.getChild('MatchOp');
        const value = matcher.getChild('StringLiteral');
        if (label && op && value) matchers.push({ label: text(label), op: text(op), value: JSON.parse(text(value).replace(/^'|'$/g, '"')) as string });
      }
      selectors.push({ ...(identifier ? { metric: text(identifier) } : {}), matchers });
    }
  } while (cursor.next());
  return selectors;
}

/** Metric names a PromQL expression selects: vector-selector names and `__name__="..."` matchers. */
export function promqlMetricNames(expr: string): string[] {
  const names = new Set<string>();
  for (const { metric, matchers } of promqlVectorSelectors(expr)) {
    if (metric !== undefined) names.add(metric);
    for (const { label, op, value } of matchers) if (label === '__name__' && op === '=') names.add(value);
  }
  return [...names];
}
