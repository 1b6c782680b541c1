import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config/loader';
import { renderHostFiles } from '../../lib/render-host-files';
import { INSTANCE_ROLE_PATTERNS_REASON, SNAPSHOT_PATTERN_REASON } from '../../lib/policy/known-findings';
import { compilePlatform } from '../../lib/model/compile';

const ROOT = join(__dirname, '../..');

/** The app command `cdktf synth` runs, from cdktf.json. */
const [APP_COMMAND, ...APP_ARGS] = JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')).app.split(' ');

/** Runs the app the way `cdktf synth` does, into a fresh output folder. */
function synth(configFile: string) {
  const outDir = join(mkdtempSync(join(tmpdir(), 'synth-')), 'cdktf.out');
  const result = spawnSync(APP_COMMAND, APP_ARGS, {
    cwd: ROOT,
    env: { ...process.env, PLATFORM_CONFIG: configFile, CDKTF_OUTDIR: outDir },
    encoding: 'utf8',
  });
  return { ...result, outDir };
}

function render(configFile: string) {
  const outDir = join(mkdtempSync(join(tmpdir(), 'render-')), 'host');
  const result = spawnSync('node', ['scripts/run-ts.cjs', 'scripts/render.ts', '--config', configFile, '--out', outDir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { ...result, outDir };
}

describe('GIVEN the bundled app', () => {
  it('WHEN synthesizing the default config THEN it writes the platform stacks', () => {
    const result = synth('config/platform.yaml');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const stacks = readdirSync(join(result.outDir, 'stacks'));
    expect(stacks.sort()).toEqual(['anvila-grafana', 'anvila-infra']);
    const infra = JSON.parse(readFileSync(join(result.outDir, 'stacks/anvila-infra/cdk.tf.json'), 'utf8'));
    expect(Object.keys(infra.resource)).toContain('aws_instance');
  });

  it('WHEN synthesizing another valid config THEN its stacks carry its own name', () => {
    const result = synth(join(__dirname, '../fixtures/two-services.yaml'));
    expect(result.status).toBe(0);
    const infra = JSON.parse(readFileSync(join(result.outDir, 'stacks/shop-infra/cdk.tf.json'), 'utf8'));
    expect(infra.provider.aws[0].region).toBe('eu-west-1');
    expect(readdirSync(join(result.outDir, 'stacks')).sort()).toEqual(['shop-grafana', 'shop-infra']);
  });

  it('WHEN an SLO cannot reach a burn factor THEN synth warns what it did instead', () => {
    const result = synth(join(__dirname, '../fixtures/two-services.yaml'));
    const manifest = JSON.parse(readFileSync(join(result.outDir, 'manifest.json'), 'utf8'));
    // The platform's accepted findings (lib/policy/known-findings.ts) are printed too; this test is about the SLO note.
    const accepted = [INSTANCE_ROLE_PATTERNS_REASON, SNAPSHOT_PATTERN_REASON];
    const warnings = manifest.stacks['shop-infra'].annotations
      .map((a: { level: string; message: string }) => `${a.level} ${a.message}`)
      .filter((w: string) => !accepted.some((reason) => w.endsWith(reason)));
    expect(warnings).toEqual([
      expect.stringMatching(/^@cdktf\/warn services\[1\]\.slos\[0\] \(search\/latency\).*SLOBurnRateFast burn factor 14\.4x .*alerting at 9x instead/),
    ]);
  });

  it('WHEN PLATFORM_CONFIG is examples/distributed.yaml THEN it synthesizes the scaled-out platform', () => {
    const result = synth('examples/distributed.yaml');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const infra = JSON.parse(readFileSync(join(result.outDir, 'stacks/anvila-infra/cdk.tf.json'), 'utf8'));
    expect(Object.keys(infra.resource)).toEqual(
      expect.arrayContaining([
        'aws_instance',
        'aws_prometheus_workspace',
        'aws_s3_bucket_lifecycle_configuration',
        'aws_lb',
        'aws_autoscaling_group',
        'aws_launch_template',
      ]),
    );
    const grafana = JSON.parse(readFileSync(join(result.outDir, 'stacks/anvila-grafana/cdk.tf.json'), 'utf8'));
    expect(JSON.parse(grafana.resource.grafana_data_source['datasource-prometheus'].json_data_encoded).sigV4Auth).toBe(true);
  });

  it('WHEN the config is bad THEN synth exits non-zero with one clear message and writes nothing', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'bad-')), 'platform.yaml');
    writeFileSync(bad, readFileSync(join(ROOT, 'config/platform.yaml'), 'utf8').replace('objective: 99.5, sli: errors', 'objective: 100, sli: errors'));
    const result = synth(bad);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `Invalid platform config: ${bad}: services[0].slos[1].objective: found number 100; expected a percentage strictly between 0 and 100, e.g. 99.5`,
    );
    expect(existsSync(result.outDir)).toBe(false);
  });
});

describe('GIVEN a config whose synthesized Terraform breaks a policy rule', () => {
  it('WHEN synthesizing THEN synth exits non-zero naming the rule, the resource and the fix, and writes nothing', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'policy-')), 'platform.yaml');
    const webhook = ['https://hooks.slack.com/services', 'T01ABCDEF', 'B02GHIJKL', 'x9Y8z7W6v5U4t3S2r1Q0p9O8'].join('/');
    writeFileSync(bad, `${readFileSync(join(ROOT, 'config/platform.yaml'), 'utf8')}tags: { note: "${webhook}" }\n`);
    const result = synth(bad);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'Policy check failed with 1 violation:\n' +
        '  [LGTM-SECRETS-NO-LITERALS] anvila-infra/provider.aws[0] (aws): found a Slack webhook URL (https:…O8) in default_tags[0].tags.note; ' +
        'fix: store the value as an SSM SecureString and name the parameter in config (e.g. alerting.slack.webhookUrlParameter); rotate the exposed secret\n' +
        'To accept a finding for one resource, add { rule, resource, reason } to policy.suppressions in the platform config; for a construct you add yourself, call suppressPolicyRule(construct, rule, reason).\n',
    );
    expect(existsSync(result.outDir)).toBe(false);
  });
});

describe('GIVEN npm run render', () => {
  it('WHEN the config is valid THEN it writes the host files in the host layout', () => {
    const result = render('config/platform.yaml');
    expect(result.status).toBe(0);
    const files = renderHostFiles(compilePlatform(loadPlatformConfig(join(ROOT, 'config/platform.yaml'))), { grafanaUrl: 'http://GRAFANA_HOST:3000' });
    expect(result.stdout).toBe(`rendered ${files.length} host files into ${result.outDir}\n`);
    for (const file of files) {
      const written = join(result.outDir, file.path);
      expect(readFileSync(written, 'utf8')).toBe(file.content);
      expect((statSync(written).mode & 0o777).toString(8)).toBe((file.mode ?? '0644').replace(/^0/, ''));
    }
    expect(files.map((file) => file.path)).toEqual(expect.arrayContaining(['/etc/prometheus/prometheus.yml', '/usr/local/sbin/lgtm-install']));
  });

  it('WHEN the config is examples/distributed.yaml THEN it renders the S3-backed Loki and Tempo and the remote write', () => {
    const result = render('examples/distributed.yaml');
    expect(result.status).toBe(0);
    expect(readFileSync(join(result.outDir, 'etc/loki/loki.yml'), 'utf8')).toMatch(/object_store: s3/);
    expect(readFileSync(join(result.outDir, 'etc/tempo/tempo.yml'), 'utf8')).toMatch(/backend: s3/);
    expect(readFileSync(join(result.outDir, 'etc/prometheus/prometheus.yml'), 'utf8')).toMatch(/remote_write:[\s\S]*sigv4:/);
  });

  it('WHEN an SLO cannot reach a burn factor THEN render says what it did instead', () => {
    const result = render(join(__dirname, '../fixtures/two-services.yaml'));
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^note: services\[1\]\.slos\[0\] \(search\/latency\).*alerting at 9x instead/m);
  });

  it('WHEN the config is bad THEN it fails and leaves no partial output', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'bad-')), 'platform.yaml');
    writeFileSync(bad, 'name: anvila\nregion: [\n');
    const result = render(bad);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('found malformed YAML');
    expect(existsSync(result.outDir)).toBe(false);
  });

  it('WHEN the config has mistakes only the cross-checks see THEN it reports them all at once and writes nothing', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'bad-')), 'platform.yaml');
    const raw = readFileSync(join(ROOT, 'config/platform.yaml'), 'utf8');
    writeFileSync(
      bad,
      raw.replace(/^host:\n/m, "host:\n  artifactChecksums:\n    prometheus-amd64: '" + 'd'.repeat(64) + "'\n") +
        '\nrules:\n  alerts:\n    - { name: HostDown, expr: up == 0, for: 5m, severity: warning, summary: down, runbookUrl: "https://wiki.example/r" }\n',
    );
    const result = render(bad);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('host.artifactChecksums.prometheus-amd64: found "prometheus-amd64"');
    expect(result.stderr).toContain('rules.alerts[0].name: found "HostDown"');
    expect(existsSync(result.outDir)).toBe(false);
  });
});
