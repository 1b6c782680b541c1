import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import type { z } from 'zod';
import { PlatformConfigError, describeValue, formatPath } from './errors';
import { platformSchema, type PlatformConfig } from './schema';

/** Reads, parses and validates a platform description file. Throws PlatformConfigError on any bad input. */
export function loadPlatformConfig(file: string): PlatformConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PlatformConfigError(file, '', `no readable file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'give the path of a platform YAML file, e.g. PLATFORM_CONFIG=config/platform.yaml');
  }
  return parsePlatformConfig(text, file);
}

/** Parses and validates platform YAML text; `file` is only used to name the source in errors. */
export function parsePlatformConfig(text: string, file: string): PlatformConfig {
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const mark = (error as yaml.YAMLException).mark;
    const where = mark ? `line ${mark.line + 1}, column ${mark.column + 1}` : '';
    throw new PlatformConfigError(file, where, `malformed YAML (${(error as yaml.YAMLException).reason ?? 'parse error'})`, 'fix the YAML syntax there');
  }
  return validatePlatformConfig(raw, file);
}

/** Validates an already-parsed description (e.g. built in code) and fills its defaults. */
export function validatePlatformConfig(raw: unknown, file = '<inline config>'): PlatformConfig {
  const result = platformSchema.safeParse(raw);
  if (result.success) return result.data;
  throw toConfigError(result.error.issues[0], raw, file);
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function toConfigError(issue: z.core.$ZodIssue, raw: unknown, file: string): PlatformConfigError {
  if (issue.code === 'unrecognized_keys') {
    const path = [...issue.path, issue.keys[0]];
    return new PlatformConfigError(file, formatPath(path), `unknown key ${JSON.stringify(issue.keys[0])}`, `${issue.message}`);
  }
  const found = 'input' in issue ? issue.input : valueAt(raw, issue.path);
  let allowed = issue.message;
  if (issue.code === 'invalid_type' && /^Invalid input/.test(allowed)) {
    const expected = issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
    allowed = issue.path.length === 0 ? 'expected a mapping of platform settings (name, region, host, services, alerting)' : `expected ${expected}`;
  }
  if (issue.code === 'invalid_type' && found === undefined) allowed = `this key is required: ${allowed}`;
  return new PlatformConfigError(file, formatPath(issue.path), describeValue(found), allowed);
}
