/**
 * Prometheus 3 compiles every service-discovery mechanism in unless built with `remove_all_sd`; then only
 * `file` and `http` (plugins/minimum.go) and each `enable_<plugin>_sd` named stay (plugins/plugin_<plugin>.go).
 * The oracles need only the mechanisms the library can render, so their Prometheus and promtool compile less.
 * Keyed by the `<name>_sd_configs` key; a mechanism missing here fails the build rather than being guessed.
 */
const SD_PLUGIN: Readonly<Record<string, string>> = {
  file: 'minimum',
  http: 'minimum',
  // discovery/aws registers all five
  aws: 'aws',
  ec2: 'aws',
  ecs: 'aws',
  elasticache: 'aws',
  lightsail: 'aws',
};

/** `<name>` of every `<name>_sd_configs` the given source files (the library's) can write, sorted. */
export function sdMechanismsIn(sources: ReadonlyArray<{ readonly text: string }>): string[] {
  return [...new Set(sources.flatMap((s) => [...s.text.matchAll(/\b([a-z0-9]+)_sd_configs\b/g)].map((m) => m[1])))].sort();
}

/**
 * The Go build tags that keep exactly the discovery mechanisms named, e.g. `['remove_all_sd', 'enable_aws_sd']`
 * for `['ec2']`. Throws naming every mechanism the table does not know.
 */
export function prometheusBuildTags(mechanisms: readonly string[]): string[] {
  const unknown = mechanisms.filter((m) => SD_PLUGIN[m] === undefined);
  if (unknown.length > 0)
    throw new Error(
      `${unknown.map((m) => `${m}_sd_configs`).join(', ')}: no known Prometheus discovery plugin; known: ${Object.keys(SD_PLUGIN)
        .map((m) => `${m}_sd_configs`)
        .join(', ')}`,
    );
  const plugins = new Set(mechanisms.map((m) => SD_PLUGIN[m]).filter((p) => p !== 'minimum'));
  return ['remove_all_sd', ...[...plugins].sort().map((p) => `enable_${p}_sd`)];
}
