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

  it("THEN without terraformState both stacks keep cdktf's local state", () => {
    expect(Object.keys(infra.terraform.backend ?? { local: {} })).toEqual(['local']);
    expect(Object.keys(grafana.terraform.backend ?? { local: {} })).toEqual(['local']);
  });
});

describe('GIVEN Grafana is served with a TLS certificate from SSM', () => {
  const config = platformConfig((raw) => {
    raw.host.grafanaTls = { certificateParameter: '/anvila/grafana-cert', privateKeyParameter: '/anvila/grafana-key', domain: 'grafana.anvila.example' };
  });
  const { infra, grafana } = synthBoth(config);

  it("THEN the Grafana URL is https on the certificate's domain, for users, alerts and the Grafana provider", () => {
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

describe('GIVEN host.grafanaCertificate (a domain in a Route 53 zone)', () => {
  const config = platformConfig((raw) => {
    raw.host.grafanaCertificate = { domain: 'grafana.anvila.example', route53ZoneId: 'Z0123456789ABCDEFGHIJ' };
  });
  const { infra, grafana } = synthBoth(config);
  const resources = (type: string): any[] => Object.values(infra.resource[type] ?? {});
  const idOf = (type: string, match: (r: any) => boolean) => Object.entries<any>(infra.resource[type]).find(([, r]) => match(r))![0];

  it('THEN ACM issues the certificate, validated by the DNS record it asks for, written in that zone', () => {
    const [certificate] = resources('aws_acm_certificate');
    expect(certificate).toMatchObject({ domain_name: 'grafana.anvila.example', validation_method: 'DNS' });
    const certificateId = idOf('aws_acm_certificate', () => true);
    // domain_validation_options is a set: its one element (one domain) through tolist.
    const option = `tolist(aws_acm_certificate.${certificateId}.domain_validation_options).0`;
    const validationRecord = resources('aws_route53_record').find((r) => r.type !== 'A')!;
    expect(validationRecord).toMatchObject({
      zone_id: 'Z0123456789ABCDEFGHIJ',
      name: `\${${option}.resource_record_name}`,
      type: `\${${option}.resource_record_type}`,
      records: [`\${${option}.resource_record_value}`],
    });
    const [validation] = resources('aws_acm_certificate_validation');
    expect(validation.certificate_arn).toBe(`\${aws_acm_certificate.${certificateId}.arn}`);
    expect(validation.validation_record_fqdns).toEqual([expect.stringMatching(/^\$\{aws_route53_record\.[^.]+\.fqdn\}$/)]);
  });

  it('THEN an internet-facing load balancer serves it on 443 (TLS 1.2+) and forwards to Grafana on the host, and the zone points the domain at it', () => {
    const [lb] = resources('aws_lb');
    expect(lb).toMatchObject({ internal: false, load_balancer_type: 'network', enable_deletion_protection: true });
    const [listener] = resources('aws_lb_listener');
    const validationId = idOf('aws_acm_certificate_validation', () => true);
    expect(listener).toMatchObject({
      port: 443,
      protocol: 'TLS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: `\${aws_acm_certificate_validation.${validationId}.certificate_arn}`,
    });
    const [target] = resources('aws_lb_target_group');
    expect(target).toMatchObject({ port: 3000, protocol: 'TCP', target_type: 'instance', health_check: { protocol: 'HTTP', path: '/api/health' } });
    expect(resources('aws_lb_target_group_attachment')).toEqual([
      expect.objectContaining({ target_id: expect.stringMatching(/^\$\{aws_instance\.[^.]+\.id\}$/), port: 3000 }),
    ]);
    const alias = resources('aws_route53_record').find((r) => r.type === 'A')!;
    const lbId = idOf('aws_lb', () => true);
    expect(alias).toMatchObject({
      zone_id: 'Z0123456789ABCDEFGHIJ',
      name: 'grafana.anvila.example',
      alias: { name: `\${aws_lb.${lbId}.dns_name}`, zone_id: `\${aws_lb.${lbId}.zone_id}` },
    });
  });

  it('THEN users reach Grafana only through the load balancer: 443 from grafanaAllowedCidrs there, the host port from its security group only', () => {
    const rules = resources('aws_vpc_security_group_ingress_rule');
    const lbGroup = idOf('aws_security_group', (g) => g.name_prefix === 'anvila-grafana-lb-');
    const toGrafana = rules.filter((r) => r.from_port === 3000);
    expect(toGrafana).toEqual([expect.objectContaining({ referenced_security_group_id: `\${aws_security_group.${lbGroup}.id}` })]);
    const https = rules.filter((r) => r.security_group_id === `\${aws_security_group.${lbGroup}.id}`);
    expect(https.map((r) => [r.from_port, r.to_port, r.cidr_ipv4 ?? r.cidr_ipv6])).toEqual(config.host.grafanaAllowedCidrs.map((cidr) => [443, 443, cidr]));
  });

  it('THEN the Grafana URL is https on the domain for users, alerts and the provider, and Grafana marks its cookies secure', () => {
    expect(infra.output.grafana_url.value).toBe('https://grafana.anvila.example');
    expect(grafana.provider.grafana[0].url).toBe('https://grafana.anvila.example');
    const ini = Object.values<any>(infra.resource.aws_s3_object).find((o) => o.key === 'host/etc/grafana/grafana.ini').content;
    expect(ini).toContain('root_url = https://grafana.anvila.example');
    expect(ini).toContain('cookie_secure = true');
    expect(ini).toContain('strict_transport_security = true');
    // The host holds no certificate: it reads no certificate parameter.
    expect(JSON.stringify(infra.data.aws_iam_policy_document)).not.toContain('grafana-cert');
  });
});

describe('GIVEN host.grafanaCertificate with Grafana opened to the internet by host.allowPublicGrafana', () => {
  it('THEN the policy check accepts the load balancer admitting 0.0.0.0/0 on 443, as the opt-in says, and synth succeeds', () => {
    const config = platformConfig((raw) => {
      raw.host.grafanaCertificate = { domain: 'grafana.anvila.example', route53ZoneId: 'Z0123456789ABCDEFGHIJ' };
      raw.host.grafanaAllowedCidrs = ['0.0.0.0/0'];
      raw.host.allowPublicGrafana = true;
    });
    const { infra } = synthBoth(config);
    const https = Object.values<any>(infra.resource.aws_vpc_security_group_ingress_rule).filter((r) => r.from_port === 443);
    expect(https.map((r) => r.cidr_ipv4)).toEqual(['0.0.0.0/0']);
  });
});
