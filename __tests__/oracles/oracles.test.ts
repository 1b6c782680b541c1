import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { ARTIFACTS, type ArtifactName } from '../../lib/host/artifacts';
import { builderManifest, collectorVariants } from '../../lib/telemetry/collector-variants';
import { dumpOtelcol } from '../../lib/telemetry/otelcol';
import { platformConfig } from '../helpers/platform-fixtures';
import { ORACLES_BIN } from '../helpers/oracles';
import { prometheusBuildTags, sdMechanismsIn } from '../../scripts/prometheus-build-tags';

const pinned = (name: ArtifactName) => ARTIFACTS.find((a) => a.name === name)!.version;

function versionLine(program: string): string {
  const result = spawnSync(program, ['--version'], { encoding: 'utf8', timeout: 20000 });
  if (result.error) throw result.error;
  return `${result.stdout}${result.stderr}`.split('\n')[0];
}

describe('the test oracles are the versions the host pins (scripts/oracles.sh)', () => {
  it.each([
    ['promtool', 'prometheus'],
    ['prometheus', 'prometheus'],
    ['amtool', 'alertmanager'],
    ['alertmanager', 'alertmanager'],
    ['node_exporter', 'node_exporter'],
    ['blackbox_exporter', 'blackbox_exporter'],
    ['otelcol-lgtm', 'otelcol-contrib'],
  ] as const)('GIVEN PATH as jest sets it WHEN %s --version runs THEN it reports the pinned %s version', (program, artifact) => {
    const words = versionLine(program).split(/[\s,]+/);
    expect(words).toContain(pinned(artifact));
  });

  it('GIVEN PATH as jest sets it THEN promtool resolves to the oracle cache, not a system copy', () => {
    const which = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
    expect(which).toBe(`${ORACLES_BIN}/promtool`);
    expect(realpathSync(which)).toContain(`/prometheus/${pinned('prometheus')}/`);
  });

  it('GIVEN the oracle collector WHEN asked for its components THEN it holds exactly the modules the manifest derives from the rendered configs', () => {
    const result = spawnSync('otelcol-lgtm', ['components'], { encoding: 'utf8', timeout: 20000 });
    expect(result.status).toBe(0);
    const components = load(result.stdout) as Record<string, { module: string }[]>;
    const manifest = load(builderManifest(collectorVariants(platformConfig(), 'default'), pinned('otelcol-contrib'), 'x')) as Record<
      string,
      { gomod: string }[]
    >;
    for (const section of ['receivers', 'processors', 'exporters', 'extensions']) {
      const built = (components[section] ?? []).map((c) => c.module.replace(/ .*$/, '')).sort();
      const wanted = manifest[section].map((m) => m.gomod.split(' ')[0]).sort();
      expect(built).toEqual(wanted);
    }
  });
});

describe('builderManifest', () => {
  it('GIVEN a rendered config naming a component type with no known Go module THEN it throws naming the config and the type', () => {
    const odd = { name: 'odd config', yaml: dumpOtelcol({ receivers: { otlp: {}, 'kafka/in': {} }, exporters: { debug: {} } }) };
    expect(() => builderManifest([odd], '0.160.0', 'x')).toThrow(
      /odd config: receivers\.kafka has no Go module[\s\S]*odd config: exporters\.debug has no Go module/,
    );
  });

  it('GIVEN the default config THEN every module is at the one pinned release', () => {
    const manifest = builderManifest(collectorVariants(platformConfig(), 'default'), '0.160.0', 'x');
    const versions = [...manifest.matchAll(/gomod: \S+ (v\S+)/g)].map((m) => m[1]);
    expect(versions.length).toBeGreaterThan(10);
    expect(new Set(versions)).toEqual(new Set(['v0.160.0']));
  });
});

describe('the Prometheus oracle build tags (scripts/prometheus-build-tags.ts)', () => {
  const lib = join(__dirname, '../../lib');
  const sources = readdirSync(lib, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ text: readFileSync(join(lib, f), 'utf8') }));

  it('GIVEN the library sources THEN EC2 is the one discovery mechanism they render, so only the AWS plugin is kept', () => {
    expect(sdMechanismsIn(sources)).toEqual(['ec2']);
    expect(prometheusBuildTags(sdMechanismsIn(sources))).toEqual(['remove_all_sd', 'enable_aws_sd']);
  });

  it('GIVEN file or http discovery THEN no plugin is added (Prometheus keeps them under remove_all_sd)', () => {
    expect(sdMechanismsIn([{ text: '{ file_sd_configs: [], http_sd_configs: [], lightsail_sd_configs: [] }' }])).toEqual(['file', 'http', 'lightsail']);
    expect(prometheusBuildTags(['file', 'http', 'lightsail'])).toEqual(['remove_all_sd', 'enable_aws_sd']);
  });

  it('GIVEN a mechanism the table does not know THEN it throws naming it, rather than building a promtool that would refuse it', () => {
    expect(() => prometheusBuildTags(['ec2', 'kubernetes', 'consul'])).toThrow(
      /^kubernetes_sd_configs, consul_sd_configs: no known Prometheus discovery plugin; known: file_sd_configs/,
    );
  });
});
