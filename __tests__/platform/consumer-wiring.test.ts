import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { PlatformConfigError } from '../../lib/config/errors';
import { validatePlatformConfig } from '../../lib/config/loader';
import type { PlatformConfigInput } from '../../lib/config/schema';
import { Testing, TerraformStack, Token } from '../../lib/framework';
import { ObservabilityPlatform } from '../../lib/platform';

/** A description written in code: only what has no default. */
const minimal: PlatformConfigInput = {
  name: 'shop',
  region: 'eu-west-1',
  host: { grafanaAllowedCidrs: ['198.51.100.0/24'] },
  services: [{ name: 'shop-api', team: 'payments', environments: [{ name: 'production', probeUrl: 'https://api.shop.example/health' }] }],
  alerting: {
    slack: { webhookUrlParameter: '/shop/slack-webhook', channels: { critical: '#shop-incidents', warning: '#shop-alerts' } },
    runbookBaseUrl: 'https://github.com/example/shop/blob/main/runbooks',
  },
};

function messagesOf(app: ReturnType<typeof Testing.app>): string[] {
  app.synth();
  const messages: string[] = [];
  const visit = (construct: any) => {
    for (const entry of construct.node.metadata) if (entry.type === '@cdktf/warn' || entry.type === '@cdktf/info') messages.push(String(entry.data));
    for (const child of construct.node.children) visit(child);
  };
  visit(app);
  return messages;
}

describe('GIVEN a description typed in code (PlatformConfigInput)', () => {
  it('THEN validatePlatformConfig takes it and fills every default', () => {
    const config = validatePlatformConfig(minimal);
    expect(config.host.instanceType).toBe('t3.large');
    expect(config.services[0].slos).toEqual([]);
  });
});

describe('GIVEN a VPC, subnet and app security group built in the same app', () => {
  const app = Testing.app();
  const network = new TerraformStack(app, 'network');
  new AwsProvider(network, 'aws', { region: 'eu-west-1' });
  const vpc = new Vpc(network, 'vpc', { cidrBlock: '10.20.0.0/16' });
  const subnet = new Subnet(network, 'subnet', { vpcId: vpc.id, cidrBlock: '10.20.1.0/24', availabilityZone: 'eu-west-1b' });
  const apps = new SecurityGroup(network, 'apps', { vpcId: vpc.id });

  it('THEN their tokens pass validation, while literals keep the format check', () => {
    const wired = {
      ...minimal,
      host: { ...minimal.host, vpcId: vpc.id, subnetId: subnet.id },
      services: [
        {
          ...minimal.services[0],
          environments: [{ ...minimal.services[0].environments[0], agent: { selector: { tag: { Role: 'shop-api' } }, appSecurityGroupId: apps.id } }],
        },
      ],
    };
    expect(Token.isUnresolved(validatePlatformConfig(wired).host.subnetId)).toBe(true);
    expect(() => validatePlatformConfig({ ...minimal, host: { ...minimal.host, vpcId: 'vpc-nothex!' } })).toThrow(PlatformConfigError);
    expect(() => validatePlatformConfig({ ...minimal, host: { ...minimal.host, vpcId: 'vpc-nothex!' } })).toThrow(
      '<inline config>: host.vpcId: found "vpc-nothex!"; expected a VPC id such as vpc-0123456789abcdef0, or a CDKTF token',
    );
  });

  it('THEN the host and its security group land in them, with no default-VPC lookup and no note about it', () => {
    const config = validatePlatformConfig({ ...minimal, host: { ...minimal.host, vpcId: vpc.id, subnetId: subnet.id } });
    const platform = new ObservabilityPlatform(app, 'platform', { config });
    const infra = JSON.parse(Testing.synth(platform.infra));
    expect(infra.data?.aws_vpc).toBeUndefined();
    expect(JSON.stringify(Object.values(infra.resource.aws_instance)[0])).toContain('subnet_id');
    expect(JSON.stringify(Object.values(infra.resource.aws_security_group)[0])).toContain('"vpc_id":"${aws_vpc.vpc.id}"');
    expect(messagesOf(app).filter((w) => w.includes('default VPC'))).toEqual([]);
  });
});

describe('GIVEN no subnet', () => {
  it('THEN synth says the host goes into the default VPC', () => {
    const app = Testing.app();
    new ObservabilityPlatform(app, 'platform', { config: validatePlatformConfig(minimal) });
    expect(messagesOf(app)).toContainEqual(expect.stringContaining('host.subnetId is not set: the monitoring host is placed in the default VPC of eu-west-1'));
  });

  it('THEN a vpcId without a subnet is refused, naming both keys', () => {
    expect(() => validatePlatformConfig({ ...minimal, host: { ...minimal.host, vpcId: 'vpc-0123456789abcdef0' } })).toThrow(
      '<inline config>: host.subnetId: found nothing; expected a subnet of host.vpcId when host.vpcId is set',
    );
  });
});
