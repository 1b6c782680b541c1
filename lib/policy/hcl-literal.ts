/**
 * Reads the HCL value inside a `${jsonencode(...)}` expression (what CDKTF's `Fn.jsonencode` and hand-written
 * Terraform produce) as the JSON value Terraform would encode: objects (`key = value` or `key: value`), tuples,
 * strings, numbers, booleans, null. An expression that is not a literal (a reference, a function call) becomes
 * the string `${<expression>}`, so the rules see it as they see any other unresolved reference. Returns
 * undefined when the text is not such a call or does not parse: the caller treats that as unknown.
 */
export function parseJsonencode(text: string): unknown {
  const match = /^\$\{\s*jsonencode\(([\s\S]*)\)\s*\}$/.exec(text.trim());
  if (!match) return undefined;
  try {
    const parser = new Parser(match[1]);
    const value = parser.value();
    parser.end();
    return value;
  } catch {
    return undefined;
  }
}

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  end(): void {
    this.space();
    if (this.at !== this.text.length) throw new Error(`unexpected ${this.text.slice(this.at, this.at + 10)}`);
  }

  value(): unknown {
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.tuple();
    if (c === '"') return this.string();
    const literal = /^(-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false|null)(?![A-Za-z0-9_.\-(])/.exec(this.text.slice(this.at));
    if (literal) {
      this.at += literal[0].length;
      return JSON.parse(literal[0]);
    }
    return `\${${this.expression()}}`;
  }

  /** An expression that is not a literal, up to the `,`, newline or closing bracket that ends it. */
  private expression(): string {
    const start = this.at;
    let depth = 0;
    while (this.at < this.text.length) {
      const c = this.text[this.at];
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if ((c === ',' || c === '\n') && depth === 0) break;
      this.at++;
    }
    const expression = this.text.slice(start, this.at).trim();
    if (!expression) throw new Error('empty expression');
    return expression;
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    for (;;) {
      this.space(true);
      if (this.text[this.at] === '}') {
        this.at++;
        return out;
      }
      const key = this.text[this.at] === '"' ? this.string() : this.identifier();
      this.space();
      const separator = this.text[this.at];
      if (separator !== '=' && separator !== ':') throw new Error('expected = or :');
      this.at++;
      out[key] = this.value();
      this.space();
      if (this.text[this.at] === ',' || this.text[this.at] === '\n') this.at++;
    }
  }

  private tuple(): unknown[] {
    const out: unknown[] = [];
    this.at++;
    for (;;) {
      this.space(true);
      if (this.text[this.at] === ']') {
        this.at++;
        return out;
      }
      // Separators (commas, newlines) are skipped at the top of the loop.
      out.push(this.value());
    }
  }

  private identifier(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.at));
    if (!match) throw new Error('expected a key');
    this.at += match[0].length;
    return match[0];
  }

  /** A quoted string; template sequences inside it (`${...}`) stay as written. */
  private string(): string {
    const start = this.at;
    this.at++;
    while (this.at < this.text.length && this.text[this.at] !== '"') this.at += this.text[this.at] === '\\' ? 2 : 1;
    if (this.at >= this.text.length) throw new Error('unterminated string');
    this.at++;
    return JSON.parse(this.text.slice(start, this.at));
  }

  private space(newlines = false): void {
    const pattern = newlines ? /[\s,]/ : /[ \t\r]/;
    while (this.at < this.text.length && pattern.test(this.text[this.at])) this.at++;
  }
}
