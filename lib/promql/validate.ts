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
  const checker = new Parser(fullyParsedState(expr));
  checker.analyze();
  for (const diagnostic of checker.getDiagnostics()) {
    if (diagnostic.severity === 'error') problems.push(`${diagnostic.message} (at ${JSON.stringify(expr.slice(diagnostic.from, diagnostic.to))})`);
  }
  return [...new Set(problems)];
}

/**
 * An editor state whose syntax tree covers the whole expression. The type checker reads the state's tree
 * (`syntaxTree(state)`), which creating the state fills only within a 20 ms budget and up to 3000 characters;
 * `ensureSyntaxTree` finishes the parse in the parse context but not in that tree, so a no-op transaction takes
 * the finished tree over. Without this, long expressions, or any expression on a loaded machine, are checked
 * against a partial tree and get spurious type errors.
 */
function fullyParsedState(expr: string): EditorState {
  const created = EditorState.create({ doc: expr, extensions: [language] });
  if (syntaxTree(created).length >= expr.length) return created;
  if (!ensureSyntaxTree(created, expr.length, 60000)) throw new Error(`PromQL parse of ${expr.length} characters did not finish within 60 s`);
  const state = created.update({}).state;
  if (syntaxTree(state).length < expr.length) throw new Error('PromQL parse did not cover the whole expression');
  return state;
}

/** Throws PromQLValidationError naming `rule` when the expression is not valid PromQL. */
export function validatePromQL(expr: string, rule: string): void {
  const problems = promqlProblems(expr);
  if (problems.length > 0) throw new PromQLValidationError(rule, expr, problems);
}
