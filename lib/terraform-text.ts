/**
 * Terraform reads every string in `.tf.json` as a template: a literal `${...}` (a shell variable, a Grafana
 * macro such as `${__value.raw}`) or `%{...}` must reach the JSON as `$${...}` / `%%{...}`. CDKTF's own token
 * markers (`${TfToken[...]}`) are left alone, so references inside the text still resolve at apply time.
 */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
}
