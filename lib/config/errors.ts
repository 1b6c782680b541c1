/**
 * The one error type for bad input. Its message always names the source file, the path inside it,
 * what was found and what is allowed, so a user can fix the input without reading our code.
 */
export class PlatformConfigError extends Error {
  /**
   * @param others further mistakes of the same input, reported with this one (one line each) so a user fixes
   *   them in one pass; `path`, `found` and `allowed` describe the first.
   */
  constructor(
    readonly file: string,
    readonly path: string,
    readonly found: string,
    readonly allowed: string,
    readonly others: readonly PlatformConfigError[] = [],
  ) {
    const line = (e: { file: string; path: string; found: string; allowed: string }) => `${e.file}: ${e.path || '(root)'}: found ${e.found}; ${e.allowed}`;
    super([line({ file, path, found, allowed }), ...others.map(line)].join('\n'));
    this.name = 'PlatformConfigError';
  }
}

/**
 * Throws every problem of `errors` as one PlatformConfigError (the first, with the rest as its `others`), so a
 * user sees all the mistakes of an input at once; returns when there are none.
 */
export function throwConfigErrors(errors: readonly PlatformConfigError[]): void {
  const all = errors.flatMap((error) => [error, ...error.others]);
  if (all.length === 0) return;
  const [first, ...others] = all;
  throw new PlatformConfigError(first.file, first.path, first.found, first.allowed, others);
}

/**
 * The library contradicting itself (a shipped alert reading a metric nothing produces, two renderers writing one
 * file, a dashboard query that does not parse): a bug in lgtm-platform, never in the user's input, so its message
 * names the library's own source and asks for a report instead of blaming the platform description.
 */
export class PlatformInternalError extends Error {
  /** @param source the library's file or table that is inconsistent. @param problems what is wrong, one line each. */
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `lgtm-platform internal error in ${source}: ${problems.join('\n  ')}\n` +
        'This is a bug in lgtm-platform, not in your platform description: please report it with this message.',
    );
    this.name = 'PlatformInternalError';
  }
}

/** Formats a path of keys and indices the way users see it in YAML: `services[0].slos[1].objective`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Describes a found value briefly and unambiguously for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  // Only primitives are left here (numbers, booleans, bigints, symbols, functions).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return `${typeof value} ${String(value)}`;
}
