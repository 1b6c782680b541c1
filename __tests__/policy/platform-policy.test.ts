import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformConfigError } from '../../lib/config/errors';
import { loadPlatformConfig } from '../../lib/config/loader';
import { Testing } from '../../lib/framework';
import { ObservabilityPlatform } from '../../lib/platform';
import { PolicyViolationError, evaluatePolicy } from '../../lib/policy/engine';
import { stackDocument } from '../../lib/policy/elements';
import { INSTANCE_ROLE_PATTERNS_REASON, SNAPSHOT_PATTERN_REASON } from '../../lib/policy/known-findings';
import { suppressPolicyRule } from '../../lib/policy/policy-check';
import { POLICY_RULES } from '../../lib/policy/rules';
import { platformConfig } from '../helpers/platform-fixtures';
import { policyMessage } from './support';

/** The platform's own findings it accepts for now (lib/policy/known-findings.ts): synth prints them on every run. */
const ACCEPTED = [
  `policy rule LGTM-IAM-NO-WILDCARD-RESOURCES suppressed for anvila-infra/identity/access (suppressPolicyRule): ${INSTANCE_ROLE_PATTERNS_REASON}`,
  `policy rule LGTM-IAM-NO-WILDCARD-RESOURCES suppressed for anvila-infra/snapshots/access (suppressPolicyRule): ${SNAPSHOT_PATTERN_REASON}`,
];
const isAccepted = (warning: string) => warning.endsWith(INSTANCE_ROLE_PATTERNS_REASON) || warning.endsWith(SNAPSHOT_PATTERN_REASON);

/**
 * Synthesizes the platform (after `tweak`), returning the error or the written stacks, synth's warnings other
 * than the accepted findings, and those.
 */
function synthPlatform(edit?: (raw: any) => void, tweak?: (platform: ObservabilityPlatform) => void) {
  const app = Testing.app();
  const platform = new ObservabilityPlatform(app, 'platform', { config: platformConfig(edit), configFile: 'platform.yaml' });
  tweak?.(platform);
  try {
    app.synth();
  } catch (error) {
    return { error: error as Error, outdir: app.outdir };
  }
  const read = (file: string) => JSON.parse(readFileSync(join(app.outdir, file), 'utf8'));
  const manifest = read('manifest.json');
  const all = Object.values<any>(manifest.stacks).flatMap((s) =>
    s.annotations.filter((a: any) => a.level === '@cdktf/warn').map((a: any) => a.message as string),
  );
  const warnings = all.filter((w) => !isAccepted(w));
  return {
    infra: read('stacks/anvila-infra/cdk.tf.json'),
    grafana: read('stacks/anvila-grafana/cdk.tf.json'),
    warnings,
    accepted: all.filter(isAccepted),
    outdir: app.outdir,
  };
}

describe('GIVEN the default platform', () => {
  const synthesized = synthPlatform();

  it('THEN synth passes every policy rule and warns about nothing but the accepted findings', () => {
    expect(synthesized.error).toBeUndefined();
    expect(synthesized.warnings).toEqual([]);
    expect(synthesized.accepted).toEqual(ACCEPTED);
  });

  it('THEN every rule ran over every element of both written stacks and found only the accepted findings', () => {
    const stacks = [stackDocument('anvila-infra', synthesized.infra), stackDocument('anvila-grafana', synthesized.grafana)];
    expect(stacks.flatMap((s) => s.elements).length).toBeGreaterThan(80);
    // Without the stacks' construct metadata the accepted findings are plain violations (the written JSON keeps the full construct path).
    expect(evaluatePolicy(stacks).violations.map((v) => `${v.rule} ${v.resource}`)).toEqual([
      // Session Manager's instance/* (the secrets' key is named by ARN: no key/* any more).
      'LGTM-IAM-NO-WILDCARD-RESOURCES anvila-infra/platform/anvila-infra/identity/access',
      'LGTM-IAM-NO-WILDCARD-RESOURCES anvila-infra/platform/anvila-infra/snapshots/access',
      'LGTM-IAM-NO-WILDCARD-RESOURCES anvila-infra/platform/anvila-infra/snapshots/access',
      'LGTM-IAM-NO-WILDCARD-RESOURCES anvila-infra/platform/anvila-infra/snapshots/access',
    ]);
    // The rules see the real resources: the host, its volumes, the group rules, the bucket, the policies, grafana.ini.
    const types = new Set(stacks.flatMap((s) => s.elements.map((e) => e.type)));
    for (const type of [
      'aws_instance',
      'aws_ebs_volume',
      'aws_vpc_security_group_ingress_rule',
      'aws_s3_bucket',
      'aws_iam_policy_document',
      'aws_s3_object',
      'grafana_data_source',
      'grafana',
    ])
      expect(types).toContain(type);
  });
});

describe('GIVEN the platform is changed so that two rules fail', () => {
  const result = synthPlatform(undefined, (platform) => {
    platform.infra.host.instance.addOverride('metadata_options.http_tokens', 'optional');
    platform.grafana.dataSources.loki.addOverride('access_mode', 'direct');
  });

  it('THEN synth fails with every violation of both stacks in one error, and writes no stack', () => {
    expect(result.error).toBeInstanceOf(PolicyViolationError);
    expect(result.error!.message).toBe(
      policyMessage([
        '[LGTM-EC2-IMDSV2] anvila-infra/host/instance (aws_instance): found metadata_options.http_tokens "optional"; fix: set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (MonitoringHost does)',
        '[LGTM-GRAFANA-DATASOURCE-CREDENTIALS] anvila-grafana/datasource-loki (grafana_data_source): found access_mode "direct" (the browser calls the data source itself); fix: use access_mode "proxy" (GrafanaStack does)',
      ]),
    );
    expect(() => readFileSync(join(result.outdir, 'stacks/anvila-infra/cdk.tf.json'))).toThrow(/ENOENT/);
  });
});

describe('GIVEN policy.suppressions in the config', () => {
  const suppress = (suppressions: object[]) => (raw: any) => (raw.policy = { suppressions });
  const reason = 'the app servers share this host for a two-week migration, ticket OPS-42';

  it('WHEN it names the rule and the one resource THEN synth passes and prints the suppression with its reason', () => {
    const result = synthPlatform(suppress([{ rule: 'LGTM-EC2-IMDSV2', resource: 'anvila-infra/host/instance', reason }]), (platform) =>
      platform.infra.host.instance.addOverride('metadata_options.http_tokens', 'optional'),
    );
    expect(result.error).toBeUndefined();
    expect(result.warnings).toEqual([`policy rule LGTM-EC2-IMDSV2 suppressed for anvila-infra/host/instance (policy.suppressions[0]): ${reason}`]);
  });

  it('WHEN the resource complies anyway THEN synth says the suppression is stale', () => {
    const result = synthPlatform(suppress([{ rule: 'LGTM-EC2-IMDSV2', resource: 'anvila-infra/host/instance', reason }]));
    expect(result.warnings).toEqual([
      'policy suppression policy.suppressions[0] (LGTM-EC2-IMDSV2 for anvila-infra/host/instance) matched no finding; remove it',
    ]);
  });

  it('WHEN it names no resource THEN synth fails with a config error naming it', () => {
    const result = synthPlatform(suppress([{ rule: 'LGTM-EC2-IMDSV2', resource: 'anvila-infra/host/instanse', reason }]));
    expect(result.error).toBeInstanceOf(PlatformConfigError);
    expect(result.error!.message).toBe(
      'platform.yaml: policy.suppressions[0].resource: found "anvila-infra/host/instanse"; expected the path of exactly one resource, as synth reports it (e.g. anvila-infra/host/instance); it names none',
    );
  });

  it('WHEN it names an unknown rule THEN synth fails with a config error listing the rules', () => {
    const result = synthPlatform(suppress([{ rule: 'LGTM-EC2-IMDSV1', resource: 'anvila-infra/host/instance', reason }]));
    expect(result.error!.message).toBe(
      `platform.yaml: policy.suppressions[0].rule: found "LGTM-EC2-IMDSV1"; expected a policy rule id, one of: ${POLICY_RULES.map((r) => r.id).join(', ')}`,
    );
  });

  it('WHEN two suppressions are wrong in different ways THEN synth fails with one config error naming both', () => {
    const result = synthPlatform(
      suppress([
        { rule: 'LGTM-EC2-IMDSV1', resource: 'anvila-infra/host/instance', reason },
        { rule: 'LGTM-EC2-IMDSV2', resource: 'anvila-infra/host/instanse', reason },
      ]),
    );
    expect(result.error).toBeInstanceOf(PlatformConfigError);
    expect(result.error!.message.split('\n')).toEqual([
      expect.stringMatching(/^platform\.yaml: policy\.suppressions\[0\]\.rule: found "LGTM-EC2-IMDSV1"; expected a policy rule id/),
      expect.stringMatching(
        /^platform\.yaml: policy\.suppressions\[1\]\.resource: found "anvila-infra\/host\/instanse"; expected the path of exactly one resource/,
      ),
    ]);
  });
});

describe('GIVEN explicit opt-outs in the config', () => {
  it('WHEN host.allowPublicGrafana opens Grafana to 0.0.0.0/0 THEN synth passes and prints why that rule is open', () => {
    const result = synthPlatform((raw) => {
      raw.host.grafanaAllowedCidrs = ['0.0.0.0/0'];
      raw.host.allowPublicGrafana = true;
    });
    expect(result.error).toBeUndefined();
    const rule = Object.values<any>(result.infra.resource.aws_vpc_security_group_ingress_rule).find((r) => r.from_port === 3000);
    expect(rule.cidr_ipv4).toBe('0.0.0.0/0');
    expect(result.warnings).toEqual([
      'policy rule LGTM-SG-NO-WORLD-INGRESS suppressed for anvila-infra/network/grafana-3000-0-0-0-0-0 (suppressPolicyRule): host.allowPublicGrafana is true: Grafana (port 3000) is open to 0.0.0.0/0 by explicit opt-in',
    ]);
  });

  it('WHEN host.allowPublicGrafana opens Grafana to 0.0.0.0/1 and 128.0.0.0/1 THEN both count as the internet and synth prints why each is open', () => {
    const result = synthPlatform((raw) => {
      raw.host.grafanaAllowedCidrs = ['0.0.0.0/1', '128.0.0.0/1'];
      raw.host.allowPublicGrafana = true;
    });
    expect(result.error).toBeUndefined();
    expect(result.warnings).toEqual([
      'policy rule LGTM-SG-NO-WORLD-INGRESS suppressed for anvila-infra/network/grafana-3000-0-0-0-0-1 (suppressPolicyRule): host.allowPublicGrafana is true: Grafana (port 3000) is open to 0.0.0.0/1 by explicit opt-in',
      'policy rule LGTM-SG-NO-WORLD-INGRESS suppressed for anvila-infra/network/grafana-3000-128-0-0-0-1 (suppressPolicyRule): host.allowPublicGrafana is true: Grafana (port 3000) is open to 128.0.0.0/1 by explicit opt-in',
    ]);
  });

  it('WHEN detailed monitoring and termination protection are turned off THEN the host has neither and synth says so', () => {
    const result = synthPlatform((raw) => {
      raw.host.detailedMonitoring = false;
      raw.host.disableApiTermination = false;
    });
    const instance: any = Object.values(result.infra.resource.aws_instance)[0];
    expect(instance.monitoring).toBe(false);
    expect(instance.disable_api_termination).toBe(false);
    expect(result.warnings!.sort()).toEqual([
      'policy rule LGTM-EC2-DETAILED-MONITORING suppressed for anvila-infra/host/instance (suppressPolicyRule): host.detailedMonitoring is false in the platform config',
      'policy rule LGTM-EC2-TERMINATION-PROTECTION suppressed for anvila-infra/host/instance (suppressPolicyRule): host.disableApiTermination is false in the platform config',
    ]);
  });

  it('WHEN the defaults apply THEN the host has detailed monitoring and termination protection', () => {
    const instance: any = Object.values(synthPlatform().infra.resource.aws_instance)[0];
    expect([instance.monitoring, instance.disable_api_termination]).toEqual([true, true]);
  });
});

describe('GIVEN a library user suppressing a rule on a construct', () => {
  it('WHEN the reason is written THEN the finding is accepted and printed', () => {
    const result = synthPlatform(undefined, (platform) => {
      platform.infra.host.instance.addOverride('monitoring', false);
      suppressPolicyRule(platform.infra.host.instance, 'LGTM-EC2-DETAILED-MONITORING', 'CloudWatch costs are not approved for this account');
    });
    expect(result.error).toBeUndefined();
    expect(result.warnings).toEqual([
      'policy rule LGTM-EC2-DETAILED-MONITORING suppressed for anvila-infra/host/instance (suppressPolicyRule): CloudWatch costs are not approved for this account',
    ]);
  });

  it('WHEN the reason is too short or the rule unknown THEN it is refused on the spot', () => {
    const app = Testing.app();
    const platform = new ObservabilityPlatform(app, 'platform', { config: platformConfig() });
    expect(() => suppressPolicyRule(platform.infra.host.instance, 'LGTM-EC2-IMDSV2', 'because')).toThrow(
      'a suppression of LGTM-EC2-IMDSV2 needs a written reason of at least 20 characters',
    );
    expect(() => suppressPolicyRule(platform.infra.host.instance, 'IMDS', 'a perfectly long reason here')).toThrow(
      /^unknown policy rule "IMDS"; rules: LGTM-EC2-IMDSV2, /,
    );
  });
});

describe.each([
  ['examples/distributed.yaml', 'scale: distributed with AMP and the ingest fleet'],
  ['__tests__/fixtures/distributed-remote-write.yaml', 'scale: distributed with a remote-write store'],
  ['__tests__/fixtures/two-services.yaml', 'app server agents in two environments'],
])('GIVEN the shipped config %s (%s)', (file) => {
  it('THEN synth passes every policy rule, with no suppression of its own (only the accepted findings)', () => {
    const app = Testing.app();
    const config = loadPlatformConfig(join(__dirname, '../..', file));
    new ObservabilityPlatform(app, 'platform', { config, configFile: file });
    expect(() => app.synth()).not.toThrow();
    const stacks = ['infra', 'grafana'].map((kind) => {
      const id = `${config.name}-${kind}`;
      return stackDocument(id, JSON.parse(readFileSync(join(app.outdir, 'stacks', id, 'cdk.tf.json'), 'utf8')));
    });
    const accepted = (v: { rule: string; resource: string }) =>
      ['/identity/access', '/ingest/access', '/snapshots/access'].some((end) => v.resource.endsWith(end)) && v.rule === 'LGTM-IAM-NO-WILDCARD-RESOURCES';
    expect(evaluatePolicy(stacks).violations.filter((v) => !accepted(v))).toEqual([]);
    expect(config.policy.suppressions).toEqual([]);
  });
});
