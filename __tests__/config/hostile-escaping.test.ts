import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { parseExporterConfig } from '../../lib/dora/exporter/config';
import { validatePlatformConfig } from '../../lib/config/loader';
import { Testing } from '../../lib/framework';
import { renderHostFiles } from '../../lib/render-host-files';
import { ObservabilityPlatform } from '../../lib/platform';
import { PROMETHEUS_RULES_GLOB } from '../../lib/prometheus/scrape-config';
import { run, tempDir } from '../alerting/support';
import { defaultRawConfig } from '../helpers/platform-fixtures';
import { compilePlatform } from '../../lib/model/compile';

/*
 * Odd input the schema accepts (free-text fields, unicode in URLs and paths) must come out of every renderer
 * safely escaped: the real tools still accept the files, and the values read back exactly as given.
 */
const ODD = {
  team: 'Équipe "Ops" {{ .CommonLabels.team }}\n🚀 ${HOME} %{x}',
  probeUrl: 'https://bücher.anvila.example/santé/ping?q=%22%7B%7D&ü=1',
  metricsPath: '/métriques/"x"{{y}}$${z}',
  runbookBaseUrl: 'https://wiki.anvila.example/runbooks/équipe-ops',
  smtpUsername: 'bot"é\'\n{{ template "x" }}',
  incidentLabel: 'incident: "P1" {{ .x }} ünïcode',
  rollbackMarker: 'revert\'"\n${x}',
  branch: 'release/2026-ü"q"',
  sloDescription: '99.5% «availability» \\ "quoted" {braces}',
  tag: { équipe: 'Données plateforme @ops' },
};

function oddConfig() {
  const raw = defaultRawConfig();
  raw.services[0].team = ODD.team;
  raw.services[0].environments[0].probeUrl = ODD.probeUrl;
  raw.services[0].environments[0].metricsPath = ODD.metricsPath;
  raw.services[0].slos[0].description = ODD.sloDescription;
  raw.alerting.runbookBaseUrl = ODD.runbookBaseUrl;
  raw.alerting.smtp = { smarthost: 'smtp.anvila.example:587', from: 'alerts@anvila.example', username: ODD.smtpUsername };
  raw.alerting.receivers = [{ name: 'oncall-mail', email: 'oncall@anvila.example' }];
  raw.dora.incidentLabel = ODD.incidentLabel;
  raw.dora.rollbackMarkers = ['revert', ODD.rollbackMarker];
  raw.dora.repositories[0].branch = ODD.branch;
  raw.tags = ODD.tag;
  return validatePlatformConfig(raw, 'test:odd-input');
}

describe('GIVEN a config with quotes, braces, newlines, template markers and unicode where they are allowed', () => {
  const config = oddConfig();
  const files = renderHostFiles(compilePlatform(config), { grafanaUrl: 'http://203.0.113.10:3000' });
  const content = (path: string) => files.find((f) => f.path === path)!.content;
  const workspace = tempDir('hostile');
  afterAll(() => workspace.cleanup());
  for (const file of files) {
    const target = join(workspace.dir, file.path);
    mkdirSync(join(target, '..'), { recursive: true });
    const text = file.path.endsWith('prometheus.yml') ? file.content.replace(PROMETHEUS_RULES_GLOB, join(workspace.dir, PROMETHEUS_RULES_GLOB)) : file.content;
    writeFileSync(target, text);
  }

  it('THEN promtool check config accepts prometheus.yml, and the probe URL and metrics path read back exactly', () => {
    const result = run('promtool', ['check', 'config', join(workspace.dir, 'etc/prometheus/prometheus.yml')]);
    expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
    const text = content('/etc/prometheus/prometheus.yml');
    const parsed = JSON.stringify(yaml.load(text));
    expect(parsed).toContain(JSON.stringify(ODD.probeUrl));
    expect(parsed).toContain(JSON.stringify(ODD.metricsPath));
  });

  it('THEN promtool check rules accepts every rule file (annotation templates intact), with the runbook links as given', () => {
    const rules = files.filter((f) => f.path.startsWith('/etc/prometheus/rules/'));
    const result = run('promtool', ['check', 'rules', ...rules.map((f) => join(workspace.dir, f.path))]);
    expect(result.stdout + result.stderr).not.toMatch(/FAILED/);
    expect(result.status).toBe(0);
    const annotations = rules
      .flatMap((f) => (yaml.load(f.content) as any).groups.flatMap((g: any) => g.rules.map((r: any) => r.annotations?.runbook_url)))
      .filter(Boolean);
    expect(annotations.length).toBeGreaterThan(5);
    for (const url of annotations) expect(url.startsWith(`${ODD.runbookBaseUrl}/`)).toBe(true);
  });

  it('THEN amtool check-config accepts alertmanager.yml, and the SMTP user reads back exactly', () => {
    const result = run('amtool', ['check-config', join(workspace.dir, 'etc/alertmanager/alertmanager.yml')]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
    expect((yaml.load(content('/etc/alertmanager/alertmanager.yml')) as any).global.smtp_auth_username).toBe(ODD.smtpUsername);
  });

  it('THEN the DORA exporter reads its config with the label, markers and branch as given', () => {
    const exporter = parseExporterConfig(JSON.parse(content('/etc/dora-exporter/config.json')));
    expect(exporter.incidentLabel).toBe(ODD.incidentLabel);
    expect(exporter.rollbackMarkers).toEqual(['revert', ODD.rollbackMarker]);
    expect(exporter.repositories[0].branch).toBe(ODD.branch);
  });

  it('THEN both stacks synthesize, pass every policy rule, and Terraform sees no template markers of ours', () => {
    const app = Testing.app();
    const platform = new ObservabilityPlatform(app, 'platform', { config });
    app.synth();
    const infra = platform.infra.toTerraform();
    expect(infra.provider.aws[0].default_tags[0].tags['équipe']).toBe(ODD.tag['équipe']);
    const prometheusYml = Object.values<any>(infra.resource.aws_s3_object).find((o) => o.key === 'host/etc/prometheus/prometheus.yml').content as string;
    // The metrics path's literal "$${z}" reaches Terraform escaped once more, so it is not an interpolation.
    expect(prometheusYml).toContain('$$${z}');
    expect(prometheusYml.replace(/\$\$\{/g, '')).not.toMatch(/\$\{(?!aws_|data\.)/);
  });
});
