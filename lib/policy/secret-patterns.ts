/**
 * What a secret looks like. The scanner runs over every string of both synthesized stacks (including user-data
 * and every host file uploaded to the config bucket) at synth, and the tests run it over every rendered byte.
 * Secrets belong in SSM Parameter Store; config and Terraform only name the parameter.
 */
export interface SecretPattern {
  readonly name: string;
  readonly pattern: RegExp;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { name: 'a Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,}/ },
  { name: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}|\bxapp-\d-[A-Za-z0-9-]{10,}/ },
  { name: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}|\bgithub_pat_[A-Za-z0-9_]{22,}/ },
  { name: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'an AWS secret access key', pattern: /aws_secret_access_key["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}/i },
  { name: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
];

/**
 * `password = hunter2`, `"api_key": "abc..."`, `token: s3cr3t` and friends: a key ending in a secret word,
 * assigned a literal. References are fine: `$__file{...}` / `$__env{...}` (Grafana), `${...}` (Terraform,
 * shell), `$VAR`, file paths, `<placeholders>`, and code such as `config.token`.
 */
const ASSIGNMENT = /(?<![A-Za-z0-9])([A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key))["']?\s*[:=]\s*(["']?)([^\s"',;)}\]]*)/gi;

function isLiteralSecret(value: string, quoted: boolean): boolean {
  if (value.length < 6) return false;
  if (/^(\$|%\(|<|\/|\{|\[|\(|`)/.test(value)) return false;
  if (/^(true|false|null|none|nil|undefined|required|optional|redacted|\*+)$/i.test(value)) return false;
  // Code: member access (`config.token`) and calls (`readToken(`).
  if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(value) || (!quoted && /^[A-Za-z_$][\w$.]*\(/.test(value))) return false;
  return true;
}

export interface SecretHit {
  /** What kind of secret, e.g. `a GitHub token`. */
  readonly kind: string;
  /** The match with its middle masked, so reports never repeat a secret. */
  readonly masked: string;
  /** Offset in the scanned text. */
  readonly index: number;
}

/** Masks all but the first 6 and last 2 characters. */
export function maskSecret(text: string): string {
  if (text.length <= 10) return `${text.slice(0, 2)}…`;
  return `${text.slice(0, 6)}…${text.slice(-2)}`;
}

/** Every secret-looking string in a text. */
export function findSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const { name, pattern } of SECRET_PATTERNS) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const match of text.matchAll(global)) hits.push({ kind: name, masked: maskSecret(match[0]), index: match.index ?? 0 });
  }
  for (const match of text.matchAll(ASSIGNMENT)) {
    const [, key, quoteMark, value] = match;
    if (isLiteralSecret(value, quoteMark !== ''))
      hits.push({ kind: `a literal value for "${key}"`, masked: `${key}=${maskSecret(value)}`, index: match.index ?? 0 });
  }
  return hits.sort((a, b) => a.index - b.index);
}
