/**
 * What scripts/oracles.sh builds, read from the one artifact table (lib/host/artifacts.ts):
 * - `pins`: one `name version` line per Go-built oracle;
 * - `compared`: one `name version` line per program the bench compares the library with (sloth), which the host
 *   never runs and so lib/host/artifacts.ts does not pin;
 * - `source-checked`: the same for Loki, Tempo and Grafana, whose keys scripts/config-allowlists.sh and
 *   scripts/grafana-allowlist.sh read from source;
 * - `prometheus-tags`: the Go build tags (comma-separated) keeping only the service discovery the library's
 *   sources under lib/ can render (scripts/prometheus-build-tags.ts);
 * - `manifest <output_path>`: the collector builder manifest holding exactly the components every collector
 *   config rendered from config/platform.yaml and examples/*.yaml names, at the pinned otelcol-contrib release.
 * Usage: node scripts/run-ts.cjs scripts/oracles.ts pins | compared | source-checked | prometheus-tags | manifest <output_path>
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../lib/config/loader';
import { ARTIFACTS, type ArtifactName } from '../lib/host/artifacts';
import { builderManifest, collectorVariants } from '../lib/telemetry/collector-variants';
import { PACKAGE_ROOT } from '../lib/package-root';
import { prometheusBuildTags, sdMechanismsIn } from './prometheus-build-tags';
import { SLOTH_VERSION } from '../bench/sloth-pin';

/** The programs built from their Go modules (Apache-2.0); Loki, Tempo and Grafana (AGPL) never are. */
const GO_BUILT: readonly ArtifactName[] = ['prometheus', 'alertmanager', 'node_exporter', 'blackbox_exporter', 'otelcol-contrib'];

/** AGPL programs checked against allowlists read from their source at the pin (__tests__/scale/allowlists/). */
const SOURCE_CHECKED: readonly ArtifactName[] = ['loki', 'tempo', 'grafana'];

/** config/platform.yaml and examples/*.yaml: every description the project ships, so every mode it renders. */
function platformFiles(): string[] {
  const examples = readdirSync(join(PACKAGE_ROOT, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(PACKAGE_ROOT, 'examples', f));
  return [join(PACKAGE_ROOT, 'config/platform.yaml'), ...examples];
}

const pinned = (name: ArtifactName) => ARTIFACTS.find((a) => a.name === name)!.version;
const [command, outputPath] = process.argv.slice(2);
if (command === 'pins') {
  process.stdout.write(GO_BUILT.map((name) => `${name} ${pinned(name)}\n`).join(''));
} else if (command === 'compared') {
  process.stdout.write(`sloth ${SLOTH_VERSION}\n`);
} else if (command === 'source-checked') {
  process.stdout.write(SOURCE_CHECKED.map((name) => `${name} ${pinned(name)}\n`).join(''));
} else if (command === 'prometheus-tags') {
  // the sources, not the shipped descriptions: those need not use every job kind the library can render
  const lib = readdirSync(join(PACKAGE_ROOT, 'lib'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const sources = lib.map((f) => ({ text: readFileSync(join(PACKAGE_ROOT, 'lib', f), 'utf8') }));
  process.stdout.write(`${prometheusBuildTags(sdMechanismsIn(sources)).join(',')}\n`);
} else if (command === 'manifest' && outputPath) {
  const variants = platformFiles().flatMap((file) => collectorVariants(loadPlatformConfig(file), file.slice(PACKAGE_ROOT.length + 1)));
  process.stdout.write(builderManifest(variants, pinned('otelcol-contrib'), outputPath));
} else {
  process.stderr.write('usage: node scripts/run-ts.cjs scripts/oracles.ts pins | compared | source-checked | prometheus-tags | manifest <output_path>\n');
  process.exit(2);
}
