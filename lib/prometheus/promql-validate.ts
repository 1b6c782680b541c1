import { ensureSyntaxTree, syntaxTree } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { LanguageType, promQLLanguage } from '@prometheus-io/codemirror-promql';
import { Parser } from '@prometheus-io/codemirror-promql/dist/cjs/parser';
import { parser as lezerParser } from '@prometheus-io/lezer-promql';

/** A PromQL expression that the grammar or the type checker rejects; the message names the rule. */
export class PromQLValidationError extends Error {
  constructor(
    readonly rule: string,
    readonly expr: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid PromQL in ${rule}: ${problems.join('; ')}\n  expr: ${expr}`);
    this.name = 'PromQLValidationError';
  }
}

const language = promQLLanguage(LanguageType.PromQL);

/**
 * Problems with a PromQL expression, empty when it is valid. Uses both the official grammar (any error node of
 * `@prometheus-io/lezer-promql`, including trailing garbage the type checker misses) and the type checker of
 * `@prometheus-io/codemirror-promql` (argument and operand types).
 */
export function promqlProblems(expr: string): string[] {
  const problems: string[] = [];
  if (expr.trim() === '') return ['empty expression'];
  lezerParser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) problems.push(`syntax error at offset ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.from + 10))}`);
    },
  });
  // A new state parses for at most ~20 ms and only its first 3000 characters; the type checker reads the state's
  // tree, so on a busy machine or for a long expression it would check a truncated tree and report bogus type
  // errors. Finish the parse, then take the state of an empty transaction, which holds the finished tree.
  const created = EditorState.create({ doc: expr, extensions: [language] });
  ensureSyntaxTree(created, expr.length, 5000);
  const state = created.update({}).state;
  if (syntaxTree(state).length < expr.length) return [...new Set([...problems, `the expression could not be parsed completely within 5 s`])];
  const checker = new Parser(state);
  checker.analyze();
  for (const diagnostic of checker.getDiagnostics()) {
    if (diagnostic.severity === 'error') problems.push(`${diagnostic.message} (at ${JSON.stringify(expr.slice(diagnostic.from, diagnostic.to))})`);
  }
  return [...new Set(problems)];
}

/** Throws PromQLValidationError naming `rule` when the expression is not valid PromQL. */
export function validatePromQL(expr: string, rule: string): void {
  const problems = promqlProblems(expr);
  if (problems.length > 0) throw new PromQLValidationError(rule, expr, problems);
}
