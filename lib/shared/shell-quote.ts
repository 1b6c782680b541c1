/** Single-quotes a value for bash, so any text (quotes, `$`, newlines) reaches the command as one word, unchanged. */
export function q(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
