import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { RUNBOOKS_DIR } from '../../lib/alerting/runbooks';
import { PlatformConfigError } from '../../lib/config/errors';
import { Testing } from '../../lib/framework';
import { ObservabilityPlatform } from '../../lib/platform';
import { suppressPolicyRule } from '../../lib/policy/policy-check';
import { configErrorOf } from '../helpers/config-errors';
import { platformConfig } from '../helpers/platform-fixtures';

const RUNBOOK = ['What it means', 'Likely causes', 'First steps', 'How to resolve', 'When to roll back', 'When to escalate']
  .map((s) => `## ${s}\n\nOur words.\n`)
  .join('\n');

describe('GIVEN the platform in an app', () => {
  const app = Testing.app();
  const platform = new ObservabilityPlatform(app, 'platform', { config: platformConfig() });

  it('THEN the pieces users wire to are typed accessors', () => {
    new IamRolePolicyAttachment(platform.infra, 'extra-policy', { role: platform.role.name, policyArn: 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy' });
    new VpcSecurityGroupIngressRule(platform.infra, 'bastion-ssh', {
      securityGroupId: platform.securityGroup.id,
      cidrIpv4: '10.0.9.0/24',
      ipProtocol: 'tcp',
      fromPort: 22,
      toPort: 22,
    });
    const infra = JSON.parse(Testing.synth(platform.infra));
    expect(infra.resource.aws_iam_role_policy_attachment['extra-policy'].role).toMatch(/^\$\{aws_iam_role\.[^}]+\.name\}$/);
    expect(infra.resource.aws_vpc_security_group_ingress_rule['bastion-ssh'].security_group_id).toMatch(/^\$\{aws_security_group\.[^}]+\.id\}$/);
    expect(platform.instance.node.path).toContain('host');
    expect(platform.elasticIp.node.id).toBe('address');
    expect(platform.configBucket.node.path).toContain('config');
    expect(Object.keys(platform.grafanaFolders).sort()).toEqual(['delivery', 'infrastructure', 'platform', 'services']);
  });

  it('THEN a dashboard of their own (JSON or a foundation-SDK builder) lands in a platform folder', () => {
    platform.grafana.addDashboard('checkout', 'services', { uid: 'shop-checkout', title: 'Checkout', panels: [] });
    platform.grafana.addDashboard('queue', 'delivery', new DashboardBuilder('Queue').uid('shop-queue'));
    const grafana = JSON.parse(Testing.synth(platform.grafana));
    expect(grafana.resource.grafana_dashboard.checkout.folder).toBe('${grafana_folder.folder-services.uid}');
    expect(JSON.parse(grafana.resource.grafana_dashboard.checkout.config_json)).toEqual({ uid: 'shop-checkout', title: 'Checkout', panels: [] });
    expect(grafana.resource.grafana_dashboard.queue.folder).toBe('${grafana_folder.folder-delivery.uid}');
    expect(JSON.parse(grafana.resource.grafana_dashboard.queue.config_json)).toMatchObject({ uid: 'shop-queue', title: 'Queue' });
  });

  it('THEN a dashboard reusing a uid, without a uid, or in an unknown folder is refused, naming it', () => {
    expect(() => platform.grafana.addDashboard('again', 'services', { uid: 'lgtm-host', title: 'Mine' })).toThrow(
      'dashboard again: uid: found "lgtm-host"; expected a uid not already used',
    );
    expect(() => platform.grafana.addDashboard('again', 'services', { uid: 'shop-checkout', title: 'Mine' })).toThrow(PlatformConfigError);
    expect(() => platform.grafana.addDashboard('nouid', 'services', { title: 'Mine' })).toThrow(
      'dashboard nouid: uid: found undefined; expected a uid of 1-40 letters',
    );
    expect(() => platform.grafana.addDashboard('where', 'elsewhere' as never, { uid: 'x1', title: 'Mine' })).toThrow(
      'dashboard where: folder: found "elsewhere"; expected one of the platform\'s folders',
    );
  });

  it('THEN a dashboard wrong in folder, uid and title at once is refused with all three named together', () => {
    const error = configErrorOf(() => platform.grafana.addDashboard('all', 'elsewhere' as never, { uid: 'not a uid', title: ' ' }));
    expect(error.message.split('\n')).toEqual([
      expect.stringMatching(/^dashboard all: folder: found "elsewhere"; expected one of the platform's folders/),
      expect.stringMatching(/^dashboard all: uid: found "not a uid"; expected a uid of 1-40 letters/),
      expect.stringMatching(/^dashboard all: title: found " "; expected a title/),
    ]);
  });
});

describe('GIVEN a runbooks directory of the user', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'own-runbooks-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('THEN added over the shipped ones, it may hold just the runbooks it changes, checked like the shipped ones', () => {
    writeFileSync(join(dir, 'HostDown.md'), `# HostDown\n\n${RUNBOOK}`);
    expect(() => new ObservabilityPlatform(Testing.app(), 'platform', { config: platformConfig(), runbooks: { dir } })).not.toThrow();
    writeFileSync(join(dir, 'HostDown.md'), '# HostDown\n\n## What it means\n\nOnly this.\n');
    expect(() => new ObservabilityPlatform(Testing.app(), 'platform', { config: platformConfig(), runbooks: { dir } })).toThrow(
      `${dir} (over the shipped runbooks)/HostDown.md: ## Likely causes: found no section "Likely causes"`,
    );
  });

  it('THEN replacing the shipped ones, it must cover every alert', () => {
    writeFileSync(join(dir, 'HostDown.md'), `# HostDown\n\n${RUNBOOK}`);
    expect(() => new ObservabilityPlatform(Testing.app(), 'platform', { config: platformConfig(), runbooks: { dir, mode: 'replace' } })).toThrow(
      /no runbook for alert/,
    );
    cpSync(RUNBOOKS_DIR, dir, { recursive: true });
    expect(() => new ObservabilityPlatform(Testing.app(), 'platform', { config: platformConfig(), runbooks: { dir, mode: 'replace' } })).not.toThrow();
  });

  it('THEN a runbook of a custom alert may live there too, and a stray file is refused', () => {
    const config = platformConfig((raw) => {
      raw.rules = { alerts: [{ name: 'CheckoutQueueBacklog', expr: 'up == 0', severity: 'warning', summary: 's', runbookUrl: 'https://wiki.example/r' }] };
    });
    writeFileSync(join(dir, 'CheckoutQueueBacklog.md'), `# CheckoutQueueBacklog\n\n${RUNBOOK}`);
    expect(() => new ObservabilityPlatform(Testing.app(), 'platform', { config, runbooks: { dir } })).not.toThrow();
    writeFileSync(join(dir, 'Stray.md'), `# Stray\n\n${RUNBOOK}`);
    expect(() => new ObservabilityPlatform(Testing.app(), 'platform', { config, runbooks: { dir } })).toThrow(
      /Stray\.md: \(root\): found a runbook for "Stray", which is not an alert/,
    );
  });
});

describe('GIVEN a resource of the user that breaks a policy rule', () => {
  const worldWebhook = (platform: ObservabilityPlatform) =>
    new VpcSecurityGroupIngressRule(platform.infra, 'world-webhook', {
      securityGroupId: platform.securityGroup.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: 'tcp',
      fromPort: 8443,
      toPort: 8443,
      description: 'partner webhooks from anywhere',
    });

  it('THEN synth fails, and the advice names suppressPolicyRule for it', () => {
    const app = Testing.app();
    worldWebhook(new ObservabilityPlatform(app, 'platform', { config: platformConfig() }));
    expect(() => app.synth()).toThrow(/LGTM-SG-NO-WORLD-INGRESS[\s\S]*call suppressPolicyRule\(construct, rule, reason\)/);
  });

  it('THEN suppressPolicyRule on that resource accepts it, with the reason shown', () => {
    const app = Testing.app();
    const platform = new ObservabilityPlatform(app, 'platform', { config: platformConfig() });
    suppressPolicyRule(worldWebhook(platform), 'LGTM-SG-NO-WORLD-INGRESS', 'partner webhooks come from changing addresses');
    expect(() => app.synth()).not.toThrow();
  });
});
