import { spawnSync } from 'node:child_process';
import { SsmAssociation } from '@cdktf/provider-aws/lib/ssm-association';
import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { renderAgentInstallScript } from '../../lib/agent/install-script';
import {
  AGENT_ASSOCIATION_SCHEDULE,
  IPV4_PATTERN,
  SSM_COMMAND_DOCUMENT_LIMIT,
  agentAssociationTargets,
  renderAgentSsmDocument,
} from '../../lib/agent/ssm-document';
import { agentTargets, selectorTags } from '../../lib/agent/targets';
import type { PlatformConfig } from '../../lib/config/schema';
import { Testing } from '../../lib/framework';
import { PORTS } from '../../lib/contracts/ports';
import { ObservabilityPlatform } from '../../lib/platform';
import { scrapeJobs } from '../../lib/prometheus/scrape-config';
import { platformConfig } from '../helpers/platform-fixtures';
import { APP_SG, TWO_SERVICES, agentConfig, targetOf } from './fixtures';
import { compilePlatform } from '../../lib/model/compile';

function synthInfra(config: PlatformConfig): any {
  const app = Testing.app();
  const platform = new ObservabilityPlatform(app, 'platform', { config });
  return JSON.parse(Testing.synth(platform.infra));
}

const resources = (stack: any, type: string): Record<string, any> => stack.resource?.[type] ?? {};
/** The agent's part of the stack: documents, associations, the rules it added and the host's access policy. */
function agentPart(stack: any): unknown {
  const agentRules = Object.fromEntries(Object.entries(resources(stack, 'aws_vpc_security_group_ingress_rule')).filter(([id]) => id.startsWith('agents_')));
  const documents = Object.fromEntries(
    Object.entries(resources(stack, SsmDocument.tfResourceType)).map(([id, doc]: [string, any]) => {
      const content = JSON.parse(doc.content);
      // The embedded install script has its own tests; the snapshot keeps its size, not 20 KB of base64.
      content.mainSteps[0].inputs.runCommand = content.mainSteps[0].inputs.runCommand.map((line: string) =>
        line.replace(/'[A-Za-z0-9+/=]{200,}'/, "'<base64 lgtm-agent-install>'"),
      );
      return [id, { ...doc, content }];
    }),
  );
  const access = Object.values<any>(stack.data.aws_iam_policy_document).find((d) => d.statement.some((s: any) => s.sid === 'ReadConfigObjects'));
  return { documents, associations: resources(stack, SsmAssociation.tfResourceType), agentRules, access, outputs: stack.output };
}

describe('GIVEN the two-services example, which enables agents in config only', () => {
  const stack = synthInfra(TWO_SERVICES);

  it("THEN the agent's documents, associations, rules and host permissions match their snapshot", () => {
    expect(agentPart(stack)).toMatchSnapshot();
  });

  it('THEN each environment with an agent gets one Command document (schema 2.2, aws:runShellScript) and one association', () => {
    const documents = Object.values<any>(resources(stack, SsmDocument.tfResourceType));
    expect(documents.map((d) => d.name).sort()).toEqual(['shop-lgtm-agent-checkout-production', 'shop-lgtm-agent-search-canary']);
    for (const doc of documents) {
      expect(doc).toMatchObject({ document_type: 'Command', document_format: 'JSON', target_type: '/AWS::EC2::Instance' });
      const content = JSON.parse(doc.content.replace(/\$\$\{/g, '${'));
      expect(content.schemaVersion).toBe('2.2');
      expect(content.mainSteps.map((s: any) => s.action)).toEqual(['aws:runShellScript']);
    }
    const associations = Object.values<any>(resources(stack, SsmAssociation.tfResourceType));
    expect(associations).toHaveLength(2);
    const checkout = associations.find((a) => a.association_name === 'shop-lgtm-agent-checkout-production');
    expect(checkout).toMatchObject({
      targets: [
        { key: 'tag:Env', values: ['production'] },
        { key: 'tag:Role', values: ['checkout'] },
      ],
      schedule_expression: AGENT_ASSOCIATION_SCHEDULE,
      compliance_severity: 'HIGH',
      parameters: { monitoringHost: expect.stringMatching(/^\$\{aws_instance\.host_instance_[A-Z0-9]+\.private_ip\}$/) },
    });
    expect(checkout.name).toMatch(/^\$\{aws_ssm_document\.agents_document-checkout-production_[A-Z0-9]+\.name\}$/);
    expect(checkout.document_version).toMatch(/\.latest_version\}$/);
  });

  it("THEN OTLP HTTP (the transport of the agents' bearer token) is open from the given app security group to the monitoring host, and 9100 from the host on the app group", () => {
    const rules = Object.entries<any>(resources(stack, 'aws_vpc_security_group_ingress_rule'))
      .filter(([id]) => id.startsWith('agents_'))
      .map(([, r]) => r);
    expect(rules).toHaveLength(2);
    const hostGroup = expect.stringMatching(/^\$\{aws_security_group\.network_group_[A-Z0-9]+\.id\}$/);
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          security_group_id: hostGroup,
          referenced_security_group_id: 'sg-0a1b2c3d4e5f60718',
          from_port: PORTS.otlpHttp,
          to_port: PORTS.otlpHttp,
          ip_protocol: 'tcp',
        }),
        expect.objectContaining({
          security_group_id: 'sg-0a1b2c3d4e5f60718',
          referenced_security_group_id: hostGroup,
          from_port: PORTS.nodeExporter,
          to_port: PORTS.nodeExporter,
          ip_protocol: 'tcp',
        }),
      ]),
    );
    for (const rule of rules) {
      expect(rule.description).toMatch(/\S/);
      expect(rule.cidr_ipv4).toBeUndefined();
    }
  });

  it('THEN the host role may call ec2:DescribeInstances (on "*", the only resource AWS accepts for it) and nothing new besides', () => {
    const { access } = agentPart(stack) as any;
    const statement = access.statement.find((s: any) => s.sid === 'DiscoverAppServers');
    expect(statement).toEqual({ sid: 'DiscoverAppServers', actions: ['ec2:DescribeInstances'], resources: ['*'] });
    expect(access.statement.flatMap((s: any) => s.actions).filter((a: string) => a.startsWith('ec2:'))).toEqual(['ec2:DescribeInstances']);
  });
});

describe('GIVEN the default config (no agent)', () => {
  const stack = synthInfra(platformConfig());
  it('THEN there is no document, association, agent rule or DescribeInstances', () => {
    expect(resources(stack, SsmDocument.tfResourceType)).toEqual({});
    expect(resources(stack, SsmAssociation.tfResourceType)).toEqual({});
    expect(JSON.stringify(stack)).not.toContain('ec2:DescribeInstances');
    expect(stack.output.monitoring_security_group_id).toBeUndefined();
  });
});

describe('GIVEN two environments sharing one app security group', () => {
  const stack = synthInfra(agentConfig((raw) => (raw.services[0].environments[0].agent.appSecurityGroupId = APP_SG)));
  it("THEN each rule exists once (AWS refuses duplicate rules): one Node Exporter rule, one OTLP rule per environment's port", () => {
    const rules = Object.entries<any>(resources(stack, 'aws_vpc_security_group_ingress_rule')).filter(([id]) => id.startsWith('agents_'));
    expect(rules).toHaveLength(3);
    expect(rules.map(([, rule]) => rule.from_port).sort()).toEqual([PORTS.otlpHttp, PORTS.otlpHttp + 2, PORTS.nodeExporter].sort());
    expect(Object.keys(resources(stack, SsmAssociation.tfResourceType))).toHaveLength(2);
  });
});

/** A small deterministic generator, so the property tests explore many selectors and fail reproducibly. */
function* randomSelectors(seed: number, count: number): Generator<Record<string, string>> {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = (alphabet: string, min: number, max: number) =>
    Array.from({ length: min + Math.floor(next() * (max - min + 1)) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  for (let i = 0; i < count; i++) {
    const tags: Record<string, string> = {};
    const n = 1 + Math.floor(next() * 5);
    while (Object.keys(tags).length < n) tags[pick('ABCXYZabcxyz', 1, 1) + pick('abc019_.:/-', 0, 12)] = pick('abcXYZ019_.:/+=@-', 1, 20);
    yield tags;
  }
}

describe('property: for any valid selector', () => {
  const cases = [...randomSelectors(20261125, 40)];

  test.each(cases.map((tags, i) => [i, tags]))('#%s the association targets, the EC2 discovery filters and the document agree with the tags', (_i, tags) => {
    const config = agentConfig((raw) => {
      delete raw.services[0].environments[0].agent; // its selector could overlap a random one
      raw.services[0].environments[1].agent.selector.tag = tags;
    });
    const target = targetOf(config, 'anvila-api-production');
    const expected = Object.entries(tags).sort(([a], [b]) => a.localeCompare(b));
    expect(selectorTags(target.agent)).toEqual(expected);
    expect(agentAssociationTargets(target)).toEqual(expected.map(([k, v]) => ({ key: `tag:${k}`, values: [v] })));
    const job = scrapeJobs(config).find((j) => j.job_name === 'app-nodes/anvila-api/production') as any;
    expect(job.ec2_sd_configs[0].filters).toEqual(expected.map(([k, v]) => ({ name: `tag:${k}`, values: [v] })));
  });

  test('every document carries exactly the rendered install script, fits the SSM size limit, and runs under POSIX sh', () => {
    for (const config of [agentConfig(), TWO_SERVICES]) {
      for (const target of agentTargets(config)) {
        const text = renderAgentSsmDocument(compilePlatform(config), target);
        expect(Buffer.byteLength(text)).toBeLessThan(SSM_COMMAND_DOCUMENT_LIMIT);
        const doc = JSON.parse(text);
        const commands: string[] = doc.mainSteps[0].inputs.runCommand;
        const encoded = /^printf '%s' '([A-Za-z0-9+/=]+)' \| base64 -d > \/usr\/local\/sbin\/lgtm-agent-install\.new$/.exec(commands[3]);
        expect(encoded).not.toBeNull();
        expect(Buffer.from(encoded![1], 'base64').toString('utf8')).toBe(renderAgentInstallScript(compilePlatform(config), target));
        // SSM substitutes only {{ monitoringHost }}; nothing else in the document looks like a parameter.
        expect(text.match(/\{\{[^}]*\}\}/g)).toEqual(['{{ monitoringHost }}']);
        expect(doc.parameters.monitoringHost.allowedPattern).toBe(IPV4_PATTERN);
        expect(commands.at(-1)).toBe("exec /usr/local/sbin/lgtm-agent-install --monitoring-host '{{ monitoringHost }}'");
        // SSM runs runCommand with sh (dash on Ubuntu): it must parse as POSIX sh.
        const parsed = spawnSync('sh', ['-n'], { input: commands.join('\n'), encoding: 'utf8' });
        expect(parsed.status).toBe(0);
      }
    }
  });

  test('the parameter pattern accepts an IPv4 address and nothing a shell would act on', () => {
    const pattern = new RegExp(IPV4_PATTERN);
    expect(pattern.test('10.0.3.17')).toBe(true);
    for (const bad of ["10.0.0.1'; reboot; '", '10.0.0.1\n', 'monitoring.internal', '$(id)', '']) expect(pattern.test(bad)).toBe(false);
  });
});
