import { unescapeTemplate } from './elements';
import type { TerraformElement } from './types';

/** A parsed grafana.ini: section → key → value (section names lowercase, `''` before the first section). */
export type IniSections = Record<string, Record<string, string>>;

export function parseIni(text: string): IniSections {
  const sections: IniSections = { '': {} };
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      current = header[1].trim().toLowerCase();
      sections[current] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) sections[current][line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return sections;
}

/**
 * The grafana.ini an element carries: an `aws_s3_object` whose key ends in `grafana.ini` (how the host receives
 * it), with CDKTF's template escaping undone.
 */
export function grafanaIniOf(element: TerraformElement): IniSections | undefined {
  if (element.kind !== 'resource' || element.type !== 'aws_s3_object') return undefined;
  const key = element.attributes.key;
  const content = element.attributes.content;
  if (typeof key !== 'string' || !/(^|\/)grafana\.ini$/.test(key) || typeof content !== 'string') return undefined;
  return parseIni(unescapeTemplate(content));
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|1|yes|on)$/i.test(value.trim().replace(/^"|"$/g, ''));
}
