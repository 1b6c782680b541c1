/**
 * The configuration keys Loki and Tempo accept at the pinned versions (lib/host/artifacts.ts), read from each
 * program's config structs (their `yaml` tags) at the release tag by scripts/config-allowlists.sh and kept as
 * data in __tests__/scale/allowlists/<program>.json with the tag, its commit and the source directories read;
 * with them, the top-level command-line flags the program registers (the ones the host's units and checkers pass).
 * No Loki or Tempo binary runs here (AGPL, never built), so the tests check every rendered key against these
 * trees instead; after a pin change, rerun the script on a clone of each repository at the new tag.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIni } from '../../lib/policy/grafana-ini-values';

/** A tree of allowed keys: `true` is a leaf (any scalar or list of scalars), `ANY` a free-form map. */
export type KeyTree = { readonly [key: string]: KeyTree | true | typeof ANY };
export const ANY = 'any-keys' as const;

export interface SourceAllowlist {
  readonly program: 'loki' | 'tempo';
  /** The release tag the keys were read at, e.g. `v3.7.6`. */
  readonly tag: string;
  readonly commit: string;
  /** The root config struct, `<import path>.<type>`. */
  readonly root: string;
  readonly derivedBy: string;
  /** The directories (packages, vendored ones included) whose structs were read. */
  readonly sourceDirs: readonly string[];
  /** The directories whose flag registrations were read, and the flag names found there (without dashes). */
  readonly flagSourceDirs: readonly string[];
  readonly flags: readonly string[];
  readonly keys: KeyTree;
}

export function readAllowlist(program: SourceAllowlist['program']): SourceAllowlist {
  return JSON.parse(readFileSync(join(__dirname, 'allowlists', `${program}.json`), 'utf8')) as SourceAllowlist;
}

export const LOKI_ALLOWLIST = readAllowlist('loki');
export const TEMPO_ALLOWLIST = readAllowlist('tempo');

/** Dotted paths of every key in `doc` that `allowed` does not list (list elements are checked like maps). */
export function keysNotInAllowlist(doc: unknown, allowed: KeyTree, at = ''): string[] {
  if (Array.isArray(doc)) return doc.flatMap((item, i) => keysNotInAllowlist(item, allowed, `${at}[${i}]`));
  if (doc === null || typeof doc !== 'object') return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const path = at ? `${at}.${key}` : key;
    const rule = allowed[key];
    if (rule === undefined) found.push(path);
    else if (rule === true) {
      if (value !== null && typeof value === 'object' && !(Array.isArray(value) && value.every((v) => typeof v !== 'object')))
        found.push(`${path} (expected a scalar)`);
    } else if (rule !== ANY) found.push(...keysNotInAllowlist(value, rule, path));
  }
  return found;
}

/** The arguments in `args` (`-name`, `-name=value`, `--name=value`) that name a flag `allowed` does not register. */
export function flagsNotInAllowlist(args: readonly string[], allowed: SourceAllowlist): string[] {
  return args.filter((arg) => arg.startsWith('-') && !allowed.flags.includes(arg.replace(/^--?/, '').split('=')[0]));
}

/**
 * Grafana's allowlist (__tests__/scale/allowlists/grafana.json, written by scripts/grafana-allowlist.sh): the
 * [section]s and keys of its conf/defaults.ini (keys above the first section under `DEFAULT`) and the flags of the
 * two commands the host runs. `provenance` says how the copy read relates to `pinnedTag`.
 */
export interface GrafanaAllowlist {
  readonly program: 'grafana';
  readonly pinnedTag: string;
  readonly repository: string;
  readonly commit: string;
  readonly path: string;
  readonly provenance: string;
  readonly derivedBy: string;
  readonly flagSources: Readonly<Record<GrafanaCommand, string>>;
  readonly flags: Readonly<Record<GrafanaCommand, readonly string[]>>;
  readonly keys: { readonly [section: string]: { readonly [key: string]: true } | typeof ANY };
}
export type GrafanaCommand = 'server' | 'cli' | 'cli admin reset-admin-password';

export const GRAFANA_ALLOWLIST = JSON.parse(readFileSync(join(__dirname, 'allowlists', 'grafana.json'), 'utf8')) as GrafanaAllowlist;

/** The section Grafana files the keys above the first [section] under (`GF_DEFAULT_*`). */
const GRAFANA_DEFAULT_SECTION = 'DEFAULT';

/**
 * `[section] key` of every key in a grafana.ini text that `allowed` does not list (and `[section]` for an unknown
 * section with no keys). parseIni, the reader the policy checks share, lower-cases names, so names are compared
 * without case; every name the platform renders is lower-case anyway.
 */
export function grafanaIniKeysNotInAllowlist(text: string, allowed: GrafanaAllowlist = GRAFANA_ALLOWLIST): string[] {
  const found: string[] = [];
  for (const [section, entries] of Object.entries(parseIni(text))) {
    const name = section === '' ? GRAFANA_DEFAULT_SECTION : section;
    const rule = lowerCaseEntry(allowed.keys, name);
    if (rule === ANY) continue;
    if (rule === undefined && Object.keys(entries).length === 0) found.push(`[${name}]`);
    for (const key of Object.keys(entries)) if (rule === undefined || lowerCaseEntry(rule, key) === undefined) found.push(`[${name}] ${key}`);
  }
  return found;
}

function lowerCaseEntry<T>(record: { readonly [name: string]: T }, name: string): T | undefined {
  const wanted = name.toLowerCase();
  const match = Object.keys(record).find((candidate) => candidate.toLowerCase() === wanted);
  return match === undefined ? undefined : record[match];
}

/**
 * The `GF_<SECTION>_<KEY>` names in `names` that override no key Grafana reads: Grafana upper-cases the section
 * and key and writes `.` and `-` as `_` (so `[auth.anonymous] enabled` is GF_AUTH_ANONYMOUS_ENABLED); a free-form
 * section takes any key after its prefix.
 */
export function grafanaEnvironmentNotInAllowlist(names: readonly string[], allowed: GrafanaAllowlist = GRAFANA_ALLOWLIST): string[] {
  const envName = (...parts: string[]) => `GF_${parts.map((part) => part.toUpperCase().replace(/[.-]/g, '_')).join('_')}`;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const [section, rule] of Object.entries(allowed.keys)) {
    if (rule === ANY) prefixes.push(`${envName(section)}_`);
    else for (const key of Object.keys(rule)) exact.add(envName(section, key));
  }
  return names.filter(
    (name) => name.startsWith('GF_') && !exact.has(name) && !prefixes.some((prefix) => name.startsWith(prefix) && name.length > prefix.length),
  );
}

/** The `--name` / `--name=value` / `-name` arguments in `args` that `command` does not register. */
export function grafanaFlagsNotInAllowlist(command: GrafanaCommand, args: readonly string[], allowed: GrafanaAllowlist = GRAFANA_ALLOWLIST): string[] {
  return args.filter((arg) => arg.startsWith('-') && !allowed.flags[command].includes(arg.replace(/^--?/, '').split('=')[0]));
}
