import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '../../lib/config/schema';
import { Testing } from '../../lib/framework';
import { ObservabilityPlatform } from '../../lib/platform';
import { platformConfig } from '../helpers/platform-fixtures';

/** Both stacks as `cdktf synth` writes them, cross-stack references resolved. */
function synthBoth(config: PlatformConfig) {
  const app = Testing.app();
  const platform = new ObservabilityPlatform(app, 'platform', { config });
  app.synth();
  const stack = (id: string) => JSON.parse(readFileSync(join(app.outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
  return { infra: stack(platform.infra.node.id), grafana: stack(platform.grafana.node.id) };
}

function instanceOf(stack: any): any {
  const instances = Object.values(stack.resource.aws_instance);
  expect(instances).toHaveLength(1);
  return instances[0];
}

describe('GIVEN the default platform', () => {
  const { infra, grafana } = synthBoth(platformConfig());

  it('THEN Grafana serves plain HTTP, so the Grafana provider connects through the loopback port forward, never across the network', () => {
    expect(infra.output.grafana_url.value).toMatch(/^http:\/\/\$\{aws_eip\./);
    expect(grafana.provider.grafana[0].url).toBe('http://127.0.0.1:3000');
  });

  it('THEN without terraformState both stacks keep cdktf\'s local state', () => {
    expect(Object.keys(infra.terraform.backend ?? { local: {} })).toEqual(['local']);
    expect(Object.keys(grafana.terraform.backend ?? { local: {} })).toEqual(['local']);
  });
});

describe('GIVEN Grafana is served with a TLS certificate from SSM', () => {
  const config = platformConfig((raw) => {
    raw.host.grafanaTls = { certificateParameter: '/anvila/grafana-cert', privateKeyParameter: '/anvila/grafana-key', domain: 'grafana.anvila.example' };
  });
  const { infra, grafana } = synthBoth(config);

  it('THEN the Grafana URL is https on the certificate\'s domain, for users, alerts and the Grafana provider', () => {
    expect(infra.output.grafana_url.value).toBe('https://grafana.anvila.example:3000');
    expect(grafana.provider.grafana[0].url).toBe('https://grafana.anvila.example:3000');
    const rules = Object.values<any>(infra.resource.aws_s3_object).find((o) => o.key === 'host/etc/prometheus/rules/probes.yml');
    expect(rules.content).toContain('https://grafana.anvila.example:3000/d/lgtm-uptime');
  });

  it('THEN the host may read the certificate and key parameters, and the Grafana unit loads them as credentials', () => {
    const policy = Object.values<any>(infra.data.aws_iam_policy_document).find((d) => d.statement.some((s: any) => s.sid === 'ReadNamedSecrets'));
    const read = policy.statement.find((s: any) => s.sid === 'ReadNamedSecrets').resources.join(' ');
    expect(read).toContain(':parameter/anvila/grafana-cert');
    expect(read).toContain(':parameter/anvila/grafana-key');
    const unit = Object.values<any>(infra.resource.aws_s3_object).find((o) => o.key === 'host/etc/systemd/system/grafana-server.service');
    expect(unit.content).toContain('LoadCredential=grafana-tls-certificate:/run/lgtm-secrets/grafana-tls-certificate');
    expect(unit.content).toContain('LoadCredential=grafana-tls-key:/run/lgtm-secrets/grafana-tls-key');
  });
});

describe('GIVEN a rule threshold changes', () => {
  const before = synthBoth(platformConfig()).infra;
  const after = synthBoth(platformConfig((raw) => (raw.alerting.thresholds = { cpuPercent: 75 }))).infra;

  it('THEN only config objects change: the instance, its user-data and its data volume stay as they are', () => {
    expect(instanceOf(after)).toEqual(instanceOf(before));
    expect(after.resource.aws_ebs_volume).toEqual(before.resource.aws_ebs_volume);
    const changed = Object.keys(after.resource.aws_s3_object).filter(
      (id) => after.resource.aws_s3_object[id].content !== before.resource.aws_s3_object[id].content,
    );
    expect(changed.map((id) => after.resource.aws_s3_object[id].key)).toEqual(['host/etc/prometheus/rules/host.yml']);
  });
});

describe('GIVEN terraformState names an S3 bucket', () => {
  it('WHEN no lock table is named THEN each stack keeps encrypted state under its own key with the S3 lock file', () => {
    const { infra, grafana } = synthBoth(platformConfig((raw) => (raw.terraformState = { s3Bucket: 'anvila-state' })));
    expect(infra.terraform.backend).toEqual({
      s3: { bucket: 'anvila-state', key: 'anvila/anvila-infra.tfstate', region: 'us-east-1', encrypt: true, use_lockfile: true },
    });
    expect(grafana.terraform.backend.s3.key).toBe('anvila/anvila-grafana.tfstate');
  });

  it('WHEN a lock table is named THEN it locks with DynamoDB, and the cross-stack reference reads the same state', () => {
    const { grafana } = synthBoth(
      platformConfig((raw) => {
        raw.terraformState = { s3Bucket: 'anvila-state', keyPrefix: 'platform/anvila', region: 'eu-west-1', dynamodbTable: 'tf-locks' };
        // HTTPS on the Elastic IP: the provider reads that address from the infra stack.
        raw.host.grafanaTls = { certificateParameter: '/anvila/grafana-cert', privateKeyParameter: '/anvila/grafana-key' };
      }),
    );
    expect(grafana.terraform.backend).toEqual({
      s3: { bucket: 'anvila-state', key: 'platform/anvila/anvila-grafana.tfstate', region: 'eu-west-1', encrypt: true, dynamodb_table: 'tf-locks' },
    });
    const [remote] = Object.values<any>(grafana.data.terraform_remote_state);
    expect(remote.backend).toBe('s3');
    expect(remote.config.key).toBe('platform/anvila/anvila-infra.tfstate');
  });
});
