import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { PlatformConfig } from '../../lib/config/schema';
import { Testing } from '../../lib/framework';
import { ObservabilityPlatform } from '../../lib/platform';
import { platformConfig } from '../helpers/platform-fixtures';
import { snapshotOf } from '../helpers/snapshot';

function synthInfra(config: PlatformConfig): string {
  const app = Testing.app();
  const platform = new ObservabilityPlatform(app, 'platform', { config });
  return Testing.synth(platform.infra);
}

function resourcesOf(synthesized: string, type: string): Record<string, any>[] {
  return Object.values(JSON.parse(synthesized).resource[type] ?? {});
}

describe('GIVEN the default platform config', () => {
  const config = platformConfig();
  const synthesized = synthInfra(config);

  it('THEN the infra stack matches its snapshot', () => {
    expect(snapshotOf(synthesized)).toMatchSnapshot();
  });

  it('THEN it is one stack named <name>-infra that pins the AWS provider (6.x, which @cdktf/provider-aws 21 wraps)', () => {
    const app = Testing.app();
    const platform = new ObservabilityPlatform(app, 'platform', { config });
    expect(platform.infra.node.id).toBe('anvila-infra');
    const terraform = JSON.parse(synthesized).terraform;
    expect(terraform.required_providers.aws.source).toBe('aws');
    expect(terraform.required_providers.aws.version).toMatch(/^6\./);
  });

  describe('WHEN looking at the host', () => {
    it("THEN the AMI is the current Amazon Linux 2023 for the instance type's architecture, looked up in SSM; neither a newer AMI nor a changed bootstrap stops or replaces the running host", () => {
      expect(synthesized).toHaveDataSourceWithProperties(DataAwsSsmParameter, {
        name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      });
      const [instance] = resourcesOf(synthesized, Instance.tfResourceType);
      expect(instance.ami).toMatch(/^\$\{data\.aws_ssm_parameter\.host_ami_[A-Z0-9]+\.insecure_value\}$/);
      expect(instance.lifecycle).toEqual({ ignore_changes: ['ami', 'user_data'] });
    });

    it('THEN IMDSv2 is required with a hop limit of 1 and the root volume is encrypted gp3', () => {
      expect(synthesized).toHaveResourceWithProperties(Instance, {
        instance_type: 't3.large',
        metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' },
        root_block_device: { encrypted: true, volume_type: 'gp3', volume_size: 20, delete_on_termination: true },
        user_data_replace_on_change: false,
      });
    });

    it('THEN the data volume is separate, encrypted gp3, sized from config and protected from destroy', () => {
      expect(synthesized).toHaveResourceWithProperties(EbsVolume, {
        encrypted: true,
        type: 'gp3',
        size: 50,
        availability_zone: 'us-east-1a',
        lifecycle: { prevent_destroy: true },
      });
    });

    it('THEN user-data is a small bootstrap holding no secret', () => {
      const [instance] = resourcesOf(synthesized, Instance.tfResourceType);
      expect(instance.user_data.length).toBeLessThan(16 * 1024);
      expect(instance.user_data).toContain('LGTM_BUCKET=${aws_s3_bucket.config_bucket_');
      expect(instance.user_data).toContain('DATA_VOLUME_ID=${aws_ebs_volume.host_data_');
      expect(instance.user_data).not.toMatch(/hooks\.slack\.com|ghp_|password|token/i);
    });
  });

  describe('WHEN looking at the network', () => {
    const ingress = resourcesOf(synthesized, VpcSecurityGroupIngressRule.tfResourceType);

    it('THEN Grafana is reachable only from grafanaAllowedCidrs', () => {
      const grafana = ingress.filter((rule) => rule.from_port === 3000);
      expect(grafana).toEqual([expect.objectContaining({ cidr_ipv4: '203.0.113.0/24', to_port: 3000, ip_protocol: 'tcp' })]);
    });

    it("THEN only OTLP (each environment's pair: staging 4317/4318, production 4319/4320) is open to telemetrySourceCidrs: Loki (3100) is reached through the collector only", () => {
      const telemetry = ingress.filter((rule) => rule.from_port !== 3000);
      expect(telemetry.map((rule) => [rule.from_port, rule.to_port, rule.cidr_ipv4]).sort()).toEqual([
        [4317, 4317, '10.0.0.0/16'],
        [4318, 4318, '10.0.0.0/16'],
        [4319, 4319, '10.0.0.0/16'],
        [4320, 4320, '10.0.0.0/16'],
      ]);
    });

    it('THEN egress is HTTPS and DNS plus exactly the endpoints the config names (app metrics at their own address)', () => {
      const egress = resourcesOf(synthesized, 'aws_vpc_security_group_egress_rule');
      const rules = egress.map((r) => `${r.ip_protocol}/${r.from_port}-${r.to_port} ${r.cidr_ipv4 ?? r.cidr_ipv6}`).sort();
      expect(rules).toEqual(
        [
          'tcp/443-443 0.0.0.0/0',
          'tcp/443-443 ::/0',
          'udp/53-53 0.0.0.0/0',
          'udp/53-53 ::/0',
          'tcp/53-53 0.0.0.0/0',
          'tcp/53-53 ::/0',
          'tcp/8000-8000 10.0.1.10/32',
        ].sort(),
      );
      for (const rule of egress) {
        expect(rule.ip_protocol).not.toBe('-1');
        expect(rule.description).toMatch(/^[A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]+$/);
      }
    });

    it('THEN a probe on another port, an SMTP smarthost and agents each open just their port', () => {
      const config = platformConfig((raw) => {
        raw.services[0].environments[0].probeUrl = 'http://staging.api.anvila.example:8080/health';
        raw.alerting.smtp = { smarthost: 'smtp.example.com:587', from: 'alerts@anvila.example' };
        raw.services[0].environments[1].agent = { selector: { tag: { Role: 'api' } } };
      });
      const ports = resourcesOf(synthInfra(config), 'aws_vpc_security_group_egress_rule').map((r) => r.from_port);
      expect(new Set(ports)).toEqual(new Set([443, 53, 8000, 8080, 587, 9100]));
    });

    it('THEN there is no SSH ingress and nothing open to the world', () => {
      expect(ingress).toHaveLength(5);
      for (const rule of ingress) {
        expect(rule.from_port).not.toBe(22);
        expect(rule.cidr_ipv4).not.toBe('0.0.0.0/0');
        expect(rule.ip_protocol).toBe('tcp');
      }
    });
  });

  describe('WHEN looking at the instance role', () => {
    const documents = Object.values<any>(JSON.parse(synthesized).data[DataAwsIamPolicyDocument.tfResourceType]);
    const access = documents.find((doc) => doc.statement.some((s: any) => s.sid === 'ReadNamedSecrets'));

    it('THEN it may read exactly the SSM parameters named in config', () => {
      const read = access.statement.find((s: any) => s.sid === 'ReadNamedSecrets');
      expect(read.actions).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
      expect(read.resources).toEqual([
        expect.stringMatching(
          /^arn:\$\{data\.aws_partition\.partition\.partition\}:ssm:us-east-1:\$\{data\.aws_caller_identity\.account\.account_id\}:parameter\/anvila\/github-token$/,
        ),
        expect.stringMatching(/:parameter\/anvila\/grafana-admin-password$/),
        expect.stringMatching(/:parameter\/anvila\/otlp-token\/production$/),
        expect.stringMatching(/:parameter\/anvila\/otlp-token\/staging$/),
        expect.stringMatching(/:parameter\/anvila\/slack-webhook$/),
      ]);
    });

    it('THEN it may decrypt only through SSM and only for those parameters', () => {
      const decrypt = access.statement.find((s: any) => s.sid === 'DecryptNamedSecrets');
      expect(decrypt.actions).toEqual(['kms:Decrypt']);
      const conditions = Object.fromEntries(decrypt.condition.map((c: any) => [c.variable, c.values]));
      expect(conditions['kms:ViaService']).toEqual(['ssm.us-east-1.amazonaws.com']);
      expect(conditions['kms:EncryptionContext:PARAMETER_ARN']).toHaveLength(5);
      expect(decrypt.resources).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.[^.]+\.arn\}$/)]);
    });

    it("THEN the platform creates the secrets' KMS key: rotation on, and a key policy that lets only the host role decrypt the platform's parameters", () => {
      const [key] = resourcesOf(synthesized, 'aws_kms_key');
      expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
      expect(resourcesOf(synthesized, 'aws_kms_alias')).toEqual([expect.objectContaining({ name: 'alias/anvila-secrets' })]);
      const policyId = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(key.policy)![1];
      const policyDoc = JSON.parse(synthesized).data.aws_iam_policy_document[policyId];
      const statements = policyDoc.statement as any[];
      for (const statement of statements) for (const action of statement.actions) expect(action).not.toMatch(/\*/);
      const decrypting = statements.filter((s: any) => s.actions.includes('kms:Decrypt'));
      expect(decrypting.map((s: any) => s.sid).sort()).toEqual(['DecryptOtlpTokenForSenders', 'DecryptPlatformParameters']);
      const host = decrypting.find((s: any) => s.sid === 'DecryptPlatformParameters');
      expect(host.principals).toEqual([{ type: 'AWS', identifiers: [expect.stringMatching(/^\$\{aws_iam_role\.identity_role_[A-Z0-9]+\.arn\}$/)] }]);
      expect(host.actions).toEqual(['kms:Decrypt']);
      expect(host.condition).toEqual([{ test: 'StringEquals', variable: 'kms:ViaService', values: ['ssm.us-east-1.amazonaws.com'] }]);
      // Senders (app servers' own roles) may decrypt the OTLP token only, and only as IAM lets them.
      const senders = decrypting.find((s: any) => s.sid === 'DecryptOtlpTokenForSenders');
      expect(senders.principals).toEqual([
        { type: 'AWS', identifiers: ['arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.account.account_id}:root'] },
      ]);
      expect(Object.fromEntries(senders.condition.map((c: any) => [c.variable, c.values]))).toEqual({
        'kms:ViaService': ['ssm.us-east-1.amazonaws.com'],
        'kms:EncryptionContext:PARAMETER_ARN': [
          expect.stringMatching(/:parameter\/anvila\/otlp-token\/staging$/),
          expect.stringMatching(/:parameter\/anvila\/otlp-token\/production$/),
        ],
      });
      // Operators encrypt (put the parameters) through SSM; nobody may create grants, which could hand out Decrypt.
      expect(statements.flatMap((s: any) => s.actions)).not.toContain('kms:CreateGrant');
      expect(statements.find((s: any) => s.sid === 'EncryptThroughSsm').actions).toEqual(['kms:Encrypt', 'kms:GenerateDataKey']);
    });

    it('THEN with host.secretsKmsKeyArn the platform creates no key of its own', () => {
      const key = 'arn:aws:kms:us-east-1:123456789012:key/0b7e6a52-3f8e-4c59-9d1e-5a7c1d2e3f40';
      expect(resourcesOf(synthInfra(platformConfig((raw) => (raw.host.secretsKmsKeyArn = key))), 'aws_kms_key')).toEqual([]);
    });

    it('THEN with host.secretsKmsKeyArn it may decrypt with that customer-managed key only', () => {
      const key = 'arn:aws:kms:us-east-1:123456789012:key/0b7e6a52-3f8e-4c59-9d1e-5a7c1d2e3f40';
      const other = synthInfra(platformConfig((raw) => (raw.host.secretsKmsKeyArn = key)));
      const docs = Object.values<any>(JSON.parse(other).data[DataAwsIamPolicyDocument.tfResourceType]);
      const decrypt = docs.flatMap((doc) => doc.statement).find((s: any) => s.sid === 'DecryptNamedSecrets');
      expect(decrypt.resources).toEqual([key]);
      expect(decrypt.condition.map((c: any) => c.variable).sort()).toEqual(['kms:EncryptionContext:PARAMETER_ARN', 'kms:ViaService']);
    });

    it('THEN it reads only its own config prefix and grants no wildcard actions', () => {
      const get = access.statement.find((s: any) => s.sid === 'ReadConfigObjects');
      expect(get.resources).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.config_bucket_[A-Z0-9]+\.arn\}\/host\/\*$/)]);
      for (const statement of access.statement) for (const action of statement.actions) expect(action).not.toMatch(/\*/);
    });

    it('THEN no AWS managed policy is attached (AmazonSSMManagedInstanceCore would grant ssm:GetParameter on every parameter)', () => {
      expect(resourcesOf(synthesized, 'aws_iam_role_policy_attachment')).toEqual([]);
    });

    it('THEN Session Manager works through its own statements, and no statement reads a parameter but the named ones', () => {
      const register = access.statement.find((s: any) => s.sid === 'SessionManagerRegistration');
      expect(register.actions).toEqual(['ssm:UpdateInstanceInformation']);
      expect(register.resources).toEqual([
        'arn:${data.aws_partition.partition.partition}:ec2:us-east-1:${data.aws_caller_identity.account.account_id}:instance/*',
      ]);
      const channels = access.statement.find((s: any) => s.sid === 'SessionManagerChannels');
      expect(channels.actions).toEqual([
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ]);
      const reads = access.statement.filter((s: any) => s.actions.some((a: string) => /^ssm:Get/.test(a)));
      expect(reads.map((s: any) => s.sid)).toEqual(['ReadConfigManifestDigest', 'ReadNamedSecrets', 'PublishOtlpCaCertificate']);
    });

    it('THEN it may read and overwrite exactly the parameter it publishes its OTLP CA certificate to, and write no other parameter', () => {
      const publish = access.statement.find((s: any) => s.sid === 'PublishOtlpCaCertificate');
      expect(publish.actions).toEqual(['ssm:GetParameter', 'ssm:PutParameter']);
      expect(publish.resources).toEqual([
        'arn:${data.aws_partition.partition.partition}:ssm:us-east-1:${data.aws_caller_identity.account.account_id}:parameter/anvila/otlp-ca-certificate',
      ]);
      const writes = access.statement.filter((s: any) => s.actions.some((a: string) => /^ssm:(Put|Delete|Label)/.test(a)));
      expect(writes.map((s: any) => s.sid)).toEqual(['PublishOtlpCaCertificate']);
    });
  });

  describe('WHEN looking at the data volume', () => {
    it('THEN Data Lifecycle Manager snapshots it daily and keeps host.dataVolumeSnapshotRetentionDays snapshots', () => {
      const [policy] = resourcesOf(synthesized, 'aws_dlm_lifecycle_policy');
      expect(policy).toMatchObject({ state: 'ENABLED' });
      const details = policy.policy_details;
      expect(details.resource_types).toEqual(['VOLUME']);
      expect(details.target_tags).toEqual({ Name: 'anvila-monitoring-data' });
      const [schedule] = details.schedule;
      expect(schedule.create_rule).toMatchObject({ interval: 24, interval_unit: 'HOURS' });
      expect(schedule.retain_rule).toEqual({ count: 7 });
      expect(schedule.copy_tags).toBe(true);
      const other = resourcesOf(synthInfra(platformConfig((raw) => (raw.host.dataVolumeSnapshotRetentionDays = 30))), 'aws_dlm_lifecycle_policy');
      expect(other[0].policy_details.schedule[0].retain_rule).toEqual({ count: 30 });
    });

    it('THEN the snapshot role may snapshot and prune only as DLM does, through its own policy (no AWS managed policy)', () => {
      const documents = Object.values<any>(JSON.parse(synthesized).data[DataAwsIamPolicyDocument.tfResourceType]);
      const dlm = documents.find((doc) => doc.statement.some((s: any) => s.sid === 'SnapshotDataVolume'));
      const trust = documents.find((doc) => doc.statement.some((s: any) => s.principals?.[0]?.identifiers?.includes('dlm.amazonaws.com')));
      expect(trust).toBeDefined();
      expect(dlm.statement.map((s: any) => s.sid).sort()).toEqual(['DescribeForSnapshots', 'PruneOwnSnapshots', 'SnapshotDataVolume', 'TagNewSnapshots']);
      const prune = dlm.statement.find((s: any) => s.sid === 'PruneOwnSnapshots');
      expect(prune.condition).toEqual([{ test: 'StringEquals', variable: 'aws:ResourceTag/lgtm-snapshot-of', values: ['anvila-monitoring-data'] }]);
      expect(resourcesOf(synthesized, 'aws_iam_role_policy_attachment')).toEqual([]);
    });
  });

  describe('WHEN looking at the config bucket', () => {
    it('THEN it is versioned, encrypted, private and owner-enforced', () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
      expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: true }],
      });
      expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
    });

    it('THEN only the deploying principal may write or delete its objects (writes to it are root on the host)', () => {
      const documents = Object.values<any>(JSON.parse(synthesized).data[DataAwsIamPolicyDocument.tfResourceType]);
      const deny = documents.flatMap((doc) => doc.statement).find((s: any) => s.sid === 'DenyWritesExceptConfigWriters');
      expect(deny).toMatchObject({ effect: 'Deny', principals: [{ type: '*', identifiers: ['*'] }] });
      expect(deny.actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion']));
      expect(deny.resources).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.config_bucket_[A-Z0-9]+\.arn\}\/\*$/)]);
      // The role behind the deploying session (aws:PrincipalArn names the role, not the session).
      expect(deny.condition).toEqual([
        { test: 'ArnNotLike', variable: 'aws:PrincipalArn', values: [expect.stringMatching(/^\$\{data\.aws_iam_session_context\.[^.]+\.issuer_arn\}$/)] },
      ]);
    });

    it('THEN host.configWriterArns names the writers instead (e.g. the CI deploy role)', () => {
      const writers = ['arn:aws:iam::123456789012:role/anvila-deploy'];
      const other = synthInfra(platformConfig((raw) => (raw.host.configWriterArns = writers)));
      const documents = Object.values<any>(JSON.parse(other).data[DataAwsIamPolicyDocument.tfResourceType]);
      const deny = documents.flatMap((doc) => doc.statement).find((s: any) => s.sid === 'DenyWritesExceptConfigWriters');
      expect(deny.condition[0].values).toEqual(writers);
    });

    it('THEN a manifest object lists every host file object with the SHA-256 of its uploaded content, its mode and owner', () => {
      const objects = JSON.parse(synthesized).resource.aws_s3_object as Record<string, any>;
      const [manifestId, manifest] = Object.entries(objects).find(([, o]) => o.key === 'host/lgtm-config-manifest')!;
      const files = Object.entries(objects).filter(([id]) => id !== manifestId);
      const lines = manifest.content.split('\n').filter((line: string) => line && !line.startsWith('#'));
      expect(lines).toHaveLength(files.length);
      for (const [id, object] of files) {
        const path = object.key.slice('host'.length);
        expect(lines).toContain(`\${sha256(aws_s3_object.${id}.content)} ${object.metadata.mode} root:root ${path}`);
      }
      expect(lines.filter((line: string) => / 0755 root:root \/usr\/local\/sbin\/lgtm-install$/.test(line))).toHaveLength(1);
    });

    it("THEN the manifest's own SHA-256 is an SSM String parameter that the host may read and nothing in the stack lets it write", () => {
      const objects = JSON.parse(synthesized).resource.aws_s3_object as Record<string, any>;
      const [manifestId] = Object.entries(objects).find(([, o]) => o.key === 'host/lgtm-config-manifest')!;
      const [parameter] = resourcesOf(synthesized, 'aws_ssm_parameter');
      expect(parameter).toMatchObject({
        name: '/lgtm/anvila/config-manifest-sha256',
        type: 'String',
        value: `\${sha256(aws_s3_object.${manifestId}.content)}`,
      });
      const documents = Object.values<any>(JSON.parse(synthesized).data[DataAwsIamPolicyDocument.tfResourceType]);
      const statements = documents.flatMap((doc) => doc.statement);
      const read = statements.find((s: any) => s.sid === 'ReadConfigManifestDigest');
      expect(read.actions).toEqual(['ssm:GetParameter']);
      expect(read.resources).toEqual([
        expect.stringMatching(/:ssm:us-east-1:\$\{data\.aws_caller_identity\.account\.account_id\}:parameter\/lgtm\/anvila\/config-manifest-sha256$/),
      ]);
      // The only SSM write in the stack is the host's OTLP CA publication, on that parameter alone: never the digest.
      const writes = statements.filter((statement: any) => (statement.actions ?? []).some((action: string) => /^ssm:(Put|Delete|Label)/.test(action)));
      expect(writes.map((statement: any) => statement.sid)).toEqual(['PublishOtlpCaCertificate']);
      for (const statement of writes) expect(statement.resources).toEqual([expect.stringMatching(/:parameter\/anvila\/otlp-ca-certificate$/)]);
      // The host boots only once the digest exists, and its bootstrap checks the installer against it.
      const [instance] = resourcesOf(synthesized, 'aws_instance');
      expect(instance.depends_on).toContainEqual(expect.stringMatching(/^aws_ssm_parameter\./));
      expect(instance.user_data).toContain('/lgtm/anvila/config-manifest-sha256');
    });

    it('THEN every rendered host file is an object under host/ and none holds a secret value', () => {
      const objects = resourcesOf(synthesized, 'aws_s3_object');
      for (const object of objects) {
        expect(object.key).toMatch(/^host\//);
        expect(object.content).not.toMatch(/hooks\.slack\.com\/services|ghp_[A-Za-z0-9]{20}/);
      }
    });
  });

  it('THEN it outputs the Grafana URL, the instance id, the bucket name, the alias of the secrets key and the port-forward commands for Prometheus and Alertmanager', () => {
    const outputs = JSON.parse(synthesized).output;
    expect(Object.keys(outputs).sort()).toEqual([
      'alertmanager_port_forward',
      'config_bucket',
      'data_volume_id',
      'grafana_url',
      'instance_id',
      'prometheus_port_forward',
      'secrets_kms_key',
      'secrets_kms_key_arn',
    ]);
    expect(outputs.grafana_url.value).toBe('http://${aws_eip.address.public_ip}:3000');
    const instance = outputs.instance_id.value;
    expect(outputs.prometheus_port_forward.value).toBe(
      `aws ssm start-session --target ${instance} --document-name AWS-StartPortForwardingSession --parameters portNumber=9090,localPortNumber=9090`,
    );
    expect(outputs.alertmanager_port_forward.value).toContain('portNumber=9093,localPortNumber=9093');
    expect(outputs.alertmanager_port_forward.description).toContain('http://localhost:9093');
  });
});

describe('GIVEN a Graviton instance type in a given subnet', () => {
  const synthesized = synthInfra(
    platformConfig((raw) => {
      raw.host.instanceType = 'm7g.xlarge';
      raw.host.subnetId = 'subnet-0123456789abcdef0';
    }),
  );

  it('THEN the AMI is the arm64 one', () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsSsmParameter, {
      name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    });
  });

  it("THEN the host and its data volume follow the subnet's VPC and zone", () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsSubnet, { id: 'subnet-0123456789abcdef0' });
    expect(synthesized).toHaveResourceWithProperties(EbsVolume, { availability_zone: '${data.aws_subnet.subnet.availability_zone}' });
    expect(synthesized).toHaveResourceWithProperties(Instance, { subnet_id: 'subnet-0123456789abcdef0' });
  });
});
