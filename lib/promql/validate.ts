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

/** A double-quoted string literal, any escapes included. */
const STRING_LITERAL = /"(?:[^"\\]|\\[^])*"/g;
/** One that holds only plain characters and the escapes `\\` and `\"`. */
const PLAIN_STRING_LITERAL = /^"(?:[^"\\\n\r]|\\[\\"])*"$/;

/** Expressions already found valid, in their shape (see promqlShape). */
const validShapes = new Set<string>();

/**
 * The expression with every non-empty double-quoted string literal replaced by `"s"`. Replacing a literal by
 * another non-empty one changes neither the grammar's verdict nor the type checker's: both look at a literal's
 * kind, and the checker at whether a matcher's value is empty, never at its text. An expression with any
 * other kind of literal (other escapes, a line break, single quotes, backticks) or a comment is returned as
 * it is, so that a quote inside those can never misalign the replacement.
 */
export function promqlShape(expr: string): string {
  if (/['`#]/.test(expr)) return expr;
  const literals = expr.match(STRING_LITERAL) ?? [];
  if (!literals.every((literal) => PLAIN_STRING_LITERAL.test(literal))) return expr;
  if (literals.join('').split('"').length - 1 !== expr.split('"').length - 1) return expr; // an unclosed quote
  return expr.replace(STRING_LITERAL, (literal) => (literal === '""' ? literal : '"s"'));
}

/**
 * Throws PromQLValidationError naming `rule` when the expression is not valid PromQL. An expression of a shape
 * already found valid (the same expression for another service, environment or SLO name) is not parsed
 * again: a config of 500 services has 30,000 rule expressions but a few dozen shapes.
 */
export function validatePromQL(expr: string, rule: string): void {
  const shape = promqlShape(expr);
  if (validShapes.has(shape)) return;
  const problems = promqlProblems(expr);
  if (problems.length > 0) throw new PromQLValidationError(rule, expr, problems);
  validShapes.add(shape);
}
