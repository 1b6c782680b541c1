import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config/loader';
import { MONITORING_HOST_VARIABLE } from '../../lib/agent/paths';
import { collectorVariants } from '../../lib/telemetry/collector-variants';
import { PACKAGE_ROOT } from '../../lib/package-root';

/**
 * GIVEN every collector config the platform renders (monitoring host, agent with and without host metrics,
 * ingest fleet; from the default config, the distributed example and the two-services fixture)
 * WHEN the oracle collector (the pinned contrib release, exactly our components; scripts/oracles.sh) runs
 * `validate` on it
 * THEN it is accepted; and a config with a key the component does not know is refused (the check can fail).
 */

const CONFIGS = ['config/platform.yaml', 'examples/distributed.yaml', '__tests__/fixtures/two-services.yaml'];
const variants = CONFIGS.flatMap((file) => collectorVariants(loadPlatformConfig(join(PACKAGE_ROOT, file)), file));

function validate(yamlText: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lgtm-issue-17-otelcol-'));
  try {
    const file = join(dir, 'config.yml');
    writeFileSync(file, yamlText);
    const result = spawnSync('otelcol-lgtm', ['validate', `--config=${file}`], {
      encoding: 'utf8',
      timeout: 60000,
      env: { ...process.env, [MONITORING_HOST_VARIABLE]: '10.0.3.17' },
    });
    if (result.error) throw result.error;
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('otelcol validate of the pinned collector accepts every rendered collector config', () => {
  it('GIVEN the variants THEN they cover host, agent with and without host metrics, and the ingest fleet', () => {
    const names = variants.map((v) => v.name.replace(/^[^:]+: /, ''));
    expect(names).toEqual(expect.arrayContaining(['host', 'ingest fleet']));
    expect(names.some((n) => /^agent .* \(host metrics\)$/.test(n))).toBe(true);
    expect(names.some((n) => /^agent [^(]*$/.test(n))).toBe(true);
  });

  it.each(variants.map((v) => [v.name, v] as const))('%s', (_name, variant) => {
    const result = validate(variant.yaml);
    if (result.status !== 0) throw new Error(`otelcol validate refused ${variant.name}:\n${result.output}`);
    expect(result.status).toBe(0);
  });

  it('GIVEN a config with a key the batch processor does not have THEN validate refuses it, naming the key', () => {
    const broken = variants[0].yaml.replace(/^( {2}batch:\n)/m, '$1    flush_every: 5s\n');
    expect(broken).not.toBe(variants[0].yaml);
    const result = validate(broken);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/flush_every/);
  });
});
