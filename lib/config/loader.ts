import { readFileSync, statSync } from 'node:fs';
import * as yaml from 'js-yaml';
import type { z } from 'zod';
import { PlatformConfigError, describeValue, formatPath } from './errors';
import { platformSchema, type PlatformConfig, type PlatformConfigInput } from './schema';

/** Reads, parses and validates a platform description file. Throws PlatformConfigError on any bad input. */
export function loadPlatformConfig(file: string): PlatformConfig {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_CONFIG_BYTES) throw tooLarge(file, size);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof PlatformConfigError) throw error;
    throw new PlatformConfigError(
      file,
      '',
      `no readable file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      'give the path of a platform YAML file, e.g. PLATFORM_CONFIG=config/platform.yaml',
    );
  }
  return parsePlatformConfig(text, file);
}

/** Parses and validates platform YAML text; `file` is only used to name the source in errors. */
export function parsePlatformConfig(text: string, file: string): PlatformConfig {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) throw tooLarge(file, bytes);
  let raw: unknown;
  try {
    raw = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const mark = (error as yaml.YAMLException).mark;
    const where = mark ? `line ${mark.line + 1}, column ${mark.column + 1}` : '';
    throw new PlatformConfigError(file, where, `malformed YAML (${(error as yaml.YAMLException).reason ?? 'parse error'})`, 'fix the YAML syntax there');
  }
  checkExpansion(raw, file);
  return validateParsed(raw, file);
}

/** Largest platform description accepted: 1 MiB (the default is about 1.5 KB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Most times anchored values (`&name`) may be reused through aliases (`*name`). */
export const MAX_YAML_ALIASES = 100;
/** Most values (scalars, lists, mappings) a description may hold once aliases are expanded. */
export const MAX_CONFIG_VALUES = 100_000;

function tooLarge(file: string, bytes: number): PlatformConfigError {
  return new PlatformConfigError(
    file,
    '',
    `a file of ${bytes} bytes`,
    `expected at most ${MAX_CONFIG_BYTES} bytes (1 MiB): a platform description is small, and a larger file is refused unread`,
  );
}

/**
 * js-yaml resolves an alias to the anchored object itself, so an alias bomb ("billion laughs") costs nothing to
 * parse but explodes for everything that walks the result. Walk it the way validation will, counting reused
 * objects (aliases) and values, and stop at the first cap: the walk never does more than the caps' work.
 */
function checkExpansion(raw: unknown, file: string): void {
  const seen = new Set<object>();
  const ancestors = new Set<object>();
  let aliases = 0;
  let values = 0;
  const walk = (node: unknown): void => {
    values += 1;
    if (values > MAX_CONFIG_VALUES)
      throw new PlatformConfigError(
        file,
        '',
        `a document of more than ${MAX_CONFIG_VALUES} values once aliases are expanded`,
        `expected at most ${MAX_CONFIG_VALUES} values (scalars, lists and mappings); write the description without alias expansion bombs`,
      );
    if (node === null || typeof node !== 'object') return;
    if (ancestors.has(node))
      throw new PlatformConfigError(file, '', 'a YAML alias inside the value it refers to (a cycle)', 'expected a description without recursive anchors');
    if (seen.has(node)) {
      aliases += 1;
      if (aliases > MAX_YAML_ALIASES)
        throw new PlatformConfigError(
          file,
          '',
          `more than ${MAX_YAML_ALIASES} uses of YAML aliases (*name)`,
          `expected at most ${MAX_YAML_ALIASES} aliases; write the repeated values out instead`,
        );
    }
    seen.add(node);
    ancestors.add(node);
    for (const child of Object.values(node)) walk(child);
    ancestors.delete(node);
  };
  walk(raw);
}

/**
 * Validates a description built in code and fills its defaults. The first signature gives an editor the input
 * type to complete against (declare `const description: PlatformConfigInput` to have tsc check it too); the
 * second takes anything else, e.g. parsed JSON, checked exactly like a file.
 */
export function validatePlatformConfig(input: PlatformConfigInput, file?: string): PlatformConfig;
export function validatePlatformConfig(raw: unknown, file?: string): PlatformConfig;
export function validatePlatformConfig(raw: unknown, file = '<inline config>'): PlatformConfig {
  return validateParsed(raw, file);
}

function validateParsed(raw: unknown, file: string): PlatformConfig {
  const result = platformSchema.safeParse(raw);
  if (result.success) return result.data;
  const [first, ...others] = result.error.issues.map((issue) => toConfigError(issue, raw, file));
  throw new PlatformConfigError(first.file, first.path, first.found, first.allowed, others);
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
  if (issue.code === 'invalid_key') {
    const key = issue.path[issue.path.length - 1];
    return new PlatformConfigError(file, formatPath(issue.path), `key ${JSON.stringify(String(key))}`, issue.issues[0]?.message ?? issue.message);
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
