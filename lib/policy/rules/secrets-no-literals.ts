import { gunzipSync } from 'node:zlib';
import { stringsWithin } from '../elements';
import { findSecrets } from '../secret-patterns';
import type { PolicyRule } from '../types';

/**
 * The text Terraform will produce from a string, as far as it is known at synth: constant interpolations
 * folded (`hun${""}ter2` is `hunter2`, `${"x"}` is `x`), and the plain argument of `base64encode`/`base64gzip`.
 */
export function foldConstantInterpolations(text: string): string {
  let out = text;
  for (let round = 0; round < 5; round++) {
    const next = out
      .replace(/\$\{\s*(?:base64encode|base64gzip)\(\s*("(?:[^"\\]|\\.)*")\s*\)\s*\}/g, (_, literal: string) => JSON.parse(literal))
      .replace(/\$\{\s*("(?:[^"\\]|\\.)*")\s*\}/g, (_, literal: string) => JSON.parse(literal));
    if (next === out) break;
    out = next;
  }
  return out;
}

/** The decoded text of a base64 string (gzip inside unwrapped), when it decodes to text; else undefined. */
export function decodeBase64Text(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 16 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  let bytes: Buffer = Buffer.from(compact, 'base64');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      return undefined;
    }
  }
  const decoded = bytes.toString('utf8');
  const printable = decoded.replace(/[^\x20-\x7e\t\r\n]/g, '').length;
  return printable >= decoded.length * 0.9 ? decoded : undefined;
}

/** No secret value anywhere in the synthesized JSON: attributes, user-data (base64 too), host files in the bucket, outputs. */
export const secretsNoLiterals: PolicyRule = {
  id: 'LGTM-SECRETS-NO-LITERALS',
  rationale: 'Secrets live in SSM Parameter Store; a value in Terraform JSON ends up in state, plan output, user-data and S3.',
  checkov: ['CKV_AWS_46'],
  tfsec: ['aws-ec2-no-secrets-in-user-data'],
  check: (element) =>
    stringsWithin(element.attributes).flatMap(({ at, text }) => {
      const where = at || element.kind;
      const folded = foldConstantInterpolations(text);
      const decoded = decodeBase64Text(folded);
      const seen = new Set<string>();
      const views = [
        { text, where },
        { text: folded, where: `${where} (with constant interpolations folded)` },
        ...(decoded === undefined ? [] : [{ text: foldConstantInterpolations(decoded), where: `${where} (base64-decoded)` }]),
      ];
      return views.flatMap((view) =>
        findSecrets(view.text)
          .filter((hit) => !seen.has(`${hit.kind} ${hit.masked}`) && seen.add(`${hit.kind} ${hit.masked}`))
          .map((hit) => ({
            found: `${hit.kind} (${hit.masked}) in ${view.where}`,
            fix: 'store the value as an SSM SecureString and name the parameter in config (e.g. alerting.slack.webhookUrlParameter); rotate the exposed secret',
          })),
      );
    }),
};
