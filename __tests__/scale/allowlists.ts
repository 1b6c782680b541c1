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
