import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from '../../lib/framework';
import { DASHBOARDS, type DashboardKey } from '../../lib/contracts/dashboards';
import { DATA_SOURCES } from '../../lib/contracts/data-sources';
import { DASHBOARD_FOLDERS, FOLDERS } from '../../lib/grafana/folders';
import { GrafanaStack, grafanaProviderUrl } from '../../lib/grafana/grafana-stack';
import { escapeTerraformTemplate } from '../../lib/terraform-text';
import { renderTempoConfig } from '../../lib/telemetry/tempo';
import { load } from 'js-yaml';
import { grafanaTestConfig, GRAFANA_URL, synthGrafana } from './fixtures';

/** The JSON a Terraform string holds, after Terraform's own unescaping of `$${` and `%%{`. */
function terraformJson(value: string): any {
  return JSON.parse(value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'));
}

describe('GrafanaStack (default config, plain Grafana URL)', () => {
  const { json, text } = synthGrafana();
  const dataSources = json.resource.grafana_data_source;
  const byUid = (uid: string) => Object.values<any>(dataSources).find((ds) => ds.uid === uid);

  it('matches the snapshot (JSON-in-string attributes shown parsed, for review)', () => {
    const readable = JSON.parse(text);
    for (const ds of Object.values<any>(readable.resource.grafana_data_source)) ds.json_data_encoded = terraformJson(ds.json_data_encoded);
    for (const db of Object.values<any>(readable.resource.grafana_dashboard)) db.config_json = terraformJson(db.config_json);
    expect(readable).toMatchSnapshot();
  });

  it('pins grafana/grafana ~> 4.45 in required_providers', () => {
    expect(json.terraform.required_providers.grafana).toEqual({ source: 'grafana/grafana', version: '~> 4.45' });
  });

  it('never sends the credentials over plain HTTP across the network: an http:// URL becomes the loopback port forward', () => {
    expect(GRAFANA_URL).toMatch(/^http:\/\/203\./);
    expect(json.provider.grafana[0].url).toBe('http://127.0.0.1:3000');
    expect(grafanaProviderUrl('https://grafana.anvila.example:3000', 3000)).toBe('https://grafana.anvila.example:3000');
    expect(grafanaProviderUrl('http://127.0.0.1:3443', 3443)).toBe('http://127.0.0.1:3443');
    expect(grafanaProviderUrl('http://grafana.anvila.example:3000', 3000)).toBe('http://127.0.0.1:3000');
    expect(grafanaProviderUrl('${data.terraform_remote_state.x.outputs.url}', 3000)).toBe('http://127.0.0.1:3000');
    expect(grafanaProviderUrl('http://127.0.0.1.evil.example:3000', 3000)).toBe('http://127.0.0.1:3000');
  });

  it("logs in as admin with the host's admin password, read ephemerally from SSM", () => {
    const [provider] = json.provider.grafana;
    expect(provider.auth).toBe('admin:${ephemeral.aws_ssm_parameter.grafana_admin_password.value}');
    expect(json.ephemeral.aws_ssm_parameter).toEqual({
      grafana_admin_password: {
        arn: 'arn:${data.aws_partition.partition.partition}:ssm:us-east-1:${data.aws_caller_identity.account.account_id}:parameter/anvila/grafana-admin-password',
        with_decryption: true,
      },
    });
    expect(json.terraform.required_version).toBe('>= 1.10');
    expect(json.provider.aws[0].region).toBe('us-east-1');
  });

  it('uses a configured authParameter (a service-account token) instead of the admin login', () => {
    const { json: custom } = synthGrafana(grafanaTestConfig((raw) => (raw.grafana = { authParameter: '/ops/grafana/sa-token' })));
    expect(custom.provider.grafana[0].auth).toBe('${ephemeral.aws_ssm_parameter.grafana_auth.value}');
    expect(Object.keys(custom.ephemeral.aws_ssm_parameter)).toEqual(['grafana_auth']);
    expect(custom.ephemeral.aws_ssm_parameter.grafana_auth.arn).toMatch(/:parameter\/ops\/grafana\/sa-token$/);
  });

  it('contains no secret value and keeps none in state: credentials are ephemeral references', () => {
    expect(text).not.toMatch(/glsa_|xox[abprs]-|gh[pousr]_|AKIA|BEGIN [A-Z ]*PRIVATE KEY/i);
    expect(json.data?.aws_ssm_parameter).toBeUndefined();
    for (const ds of Object.values<any>(dataSources)) {
      expect(ds.secure_json_data_encoded).toBeUndefined();
      expect(ds.basic_auth_enabled).toBeUndefined();
    }
    expect(json.provider.grafana[0].auth).toMatch(/^(admin:)?\$\{ephemeral\.aws_ssm_parameter\.[a-z_]+\.value\}$/);
  });

  it('creates Prometheus, Loki, Tempo and Alertmanager with fixed UIDs on loopback, Prometheus the default', () => {
    for (const ref of Object.values(DATA_SOURCES)) {
      expect(byUid(ref.uid)).toMatchObject({ type: ref.type, name: ref.name, url: ref.url, access_mode: 'proxy' });
    }
    expect(Object.values<any>(dataSources).filter((ds) => ds.is_default)).toEqual([expect.objectContaining({ uid: 'lgtm-prometheus' })]);
  });

  it('links Prometheus exemplars to Tempo', () => {
    const jsonData = terraformJson(byUid('lgtm-prometheus').json_data_encoded);
    expect(jsonData.exemplarTraceIdDestinations).toEqual([expect.objectContaining({ name: 'trace_id', datasourceUid: 'lgtm-tempo' })]);
  });

  it('GIVEN the exemplars of span metrics, which Tempo writes THEN the exemplar link names the label Tempo puts the trace ID in', () => {
    const tempo = load(renderTempoConfig(grafanaTestConfig())) as any;
    // Tempo v2.10.8 modules/generator/registry/histogram.go: the label is `traceID` unless the override names one.
    const written = tempo.overrides.defaults.metrics_generator.trace_id_label_name ?? 'traceID';
    const linked = terraformJson(byUid('lgtm-prometheus').json_data_encoded).exemplarTraceIdDestinations.map((d: { name: string }) => d.name);
    expect(linked).toContain(written);
  });

  it('turns trace IDs in Loki log lines and metadata into Tempo links, with the macro escaped for Terraform', () => {
    const raw: string = byUid('lgtm-loki').json_data_encoded;
    expect(raw).toContain('"url":"$${__value.raw}"');
    expect(raw).not.toMatch(/[^$]\$\{__value/);
    const fields = terraformJson(raw).derivedFields;
    expect(fields.map((f: any) => [f.matcherType, f.datasourceUid, f.url])).toEqual([
      ['regex', 'lgtm-tempo', '${__value.raw}'],
      ['label', 'lgtm-tempo', '${__value.raw}'],
    ]);
    const regex = new RegExp(fields[0].matcherRegex);
    expect(regex.exec('level=info msg="ok" trace_id=4bf92f3577b34da6a3ce929d0e0e4736')?.[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(regex.exec('{"traceId":"00f067aa0ba902b7"}')?.[1]).toBe('00f067aa0ba902b7');
  });

  it('links Tempo to logs, metrics, the service map and the node graph', () => {
    const jsonData = terraformJson(byUid('lgtm-tempo').json_data_encoded);
    expect(jsonData.tracesToLogsV2).toMatchObject({
      datasourceUid: 'lgtm-loki',
      filterByTraceID: true,
      tags: [{ key: 'service.name', value: 'service_name' }],
    });
    expect(jsonData.tracesToMetrics).toMatchObject({ datasourceUid: 'lgtm-prometheus', tags: [{ key: 'service.name', value: 'service' }] });
    expect(jsonData.tracesToMetrics.queries.length).toBeGreaterThan(0);
    expect(jsonData.serviceMap).toEqual({ datasourceUid: 'lgtm-prometheus' });
    expect(jsonData.nodeGraph).toEqual({ enabled: true });
  });

  it('uses the Prometheus implementation for Alertmanager', () => {
    expect(terraformJson(byUid('lgtm-alertmanager').json_data_encoded)).toMatchObject({ implementation: 'prometheus' });
  });

  it('creates one folder per area and one dashboard per DASHBOARDS key, each in its folder with its fixed UID', () => {
    const folders = Object.values<any>(json.resource.grafana_folder);
    expect(folders.map((f) => f.uid).sort()).toEqual(
      Object.values(FOLDERS)
        .map((f) => f.uid)
        .sort(),
    );
    const dashboards = json.resource.grafana_dashboard;
    expect(Object.keys(dashboards).sort()).toEqual(
      Object.keys(DASHBOARDS)
        .map((k) => `dashboard-${k}`)
        .sort(),
    );
    for (const key of Object.keys(DASHBOARDS) as DashboardKey[]) {
      const resource = dashboards[`dashboard-${key}`];
      const model = terraformJson(resource.config_json);
      expect(model.uid).toBe(DASHBOARDS[key].uid);
      expect(model.title).toBe(DASHBOARDS[key].title);
      expect(resource.folder).toBe(`\${grafana_folder.folder-${DASHBOARD_FOLDERS[key]}.uid}`);
      expect(resource.overwrite).toBe(true);
    }
  });
});

describe('escapeTerraformTemplate', () => {
  it('escapes interpolations and directives, and nothing else', () => {
    expect(escapeTerraformTemplate('a ${x} %{ if y } $z $$ %d')).toBe('a $${x} %%{ if y } $z $$ %d');
    expect(escapeTerraformTemplate('url ${TfToken[TOKEN.1]} ${HOME}')).toBe('url ${TfToken[TOKEN.1]} $${HOME}');
  });
});

describe('GrafanaStack beside another stack', () => {
  it('takes the Grafana URL by cross-stack reference, and folder UIDs never collide with dashboard UIDs', () => {
    // GIVEN an app whose other stack produces the URL as a resource attribute
    const outdir = mkdtempSync(join(tmpdir(), 'grafana-xstack-'));
    try {
      const app = new App({ outdir });
      const infra = new TerraformStack(app, 'anvila-infra');
      new AwsProvider(infra, 'aws', { region: 'us-east-1' });
      const url = new DataAwsSsmParameter(infra, 'url', { name: '/anvila/grafana-url' }).value;
      // WHEN the Grafana stack takes that token
      new GrafanaStack(app, 'anvila-grafana', { config: grafanaTestConfig(), grafanaUrl: `https://${url}` });
      app.synth();
      // THEN its provider URL reads the infra stack's output through remote state
      const synthesized = JSON.parse(readFileSync(join(outdir, 'stacks/anvila-grafana/cdk.tf.json'), 'utf8'));
      expect(synthesized.provider.grafana[0].url).toMatch(/^https:\/\/\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}$/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    const dashboardUids = new Set<string>(Object.values(DASHBOARDS).map((d) => d.uid));
    expect(Object.values(FOLDERS).filter((f) => dashboardUids.has(f.uid))).toEqual([]);
  });
});
