import { parser } from '@prometheus-io/lezer-promql';

/** Metric names a PromQL expression selects: vector-selector names and `__name__="..."` matchers. */
export function promqlMetricNames(expr: string): string[] {
  const names = new Set<string>();
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.name === 'VectorSelector') {
      const selector = cursor.node;
      const identifier = selector.getChild('Identifier');
      if (identifier) names.add(expr.slice(identifier.from, identifier.to));
      const matchers = selector.getChild('LabelMatchers');
      for (const matcher of matchers?.getChildren('UnquotedLabelMatcher') ?? []) {
        const label = matcher.getChild('LabelName');
        const op = matcher.getChild('MatchOp');
        const value = matcher.getChild('StringLiteral');
        if (label && op && value && expr.slice(label.from, label.to) === '__name__' && op.getChild('EqlSingle'))
          names.add(JSON.parse(expr.slice(value.from, value.to).replace(/^'|'$/g, '"')) as string);
      }
    }
  } while (cursor.next());
  return [...names];
}
