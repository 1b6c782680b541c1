import { spawnSync } from 'node:child_process';
import { load } from 'js-yaml';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlatformConfig } from '../../lib/config/schema';
import { Testing } from '../../lib/framework';
import { PORTS } from '../../lib/contracts/ports';
import { ObservabilityPlatform } from '../../lib/platform';
import { needsResourceWildcard } from '../../lib/policy/iam-statements';
import { INGEST_CA_FILE, ingestTokenFile, renderIngestCollectorConfig } from '../../lib/telemetry/ingest-collector';
import { OTLP_TLS_CREDENTIALS, otlpEnvironments } from '../../lib/telemetry/otlp-sources';
import {
  INGEST_TLS_SCRIPT,
  UPSTREAM_HOST_PLACEHOLDER,
  ingestUserDataCall,
  renderIngestTlsScript,
  renderIngestUserData,
} from '../../lib/scale/ingest-user-data';
import { ingestUserDataBase64 } from '../../lib/scale/ingest-fleet';
import { MAX_BUCKET_PREFIX, bucketPrefix } from '../../lib/scale/telemetry-buckets';
import { platformConfig } from '../helpers/platform-fixtures';
import { snapshotOf } from '../helpers/snapshot';
import { distributedConfig, remoteWriteConfig } from './fixtures';

/** Every OTLP receiver port of the config's environments, sorted: what the ingest nodes listen on. */
const otlpPorts = (config: PlatformConfig): number[] =>
  otlpEnvironments(config)
    .flatMap((environment) => [environment.grpcPort, environment.httpPort])
    .sort((a, b) => a - b);

function synth(config: PlatformConfig) {
  const app = Testing.app();
  const platform = new ObservabilityPlatform(app, 'platform', { config });
  return { infra: JSON.parse(Testing.synth(platform.infra)), grafana: JSON.parse(Testing.synth(platform.grafana)), raw: Testing.synth(platform.infra) };
}

const resources = (stack: any, type: string): [string, any][] => Object.entries(stack.resource?.[type] ?? {});
const data = (stack: any, type: string): [string, any][] => Object.entries(stack.data?.[type] ?? {});
const ref = (type: string, name: string, attr: string) => `\${${type}.${name}.${attr}}`;

/** Every IAM statement of every policy document in the stack. */
function statements(stack: any): { sid?: string; actions?: string[]; resources?: string[]; effect?: string; principals?: { identifiers: string[] }[] }[] {
  return data(stack, 'aws_iam_policy_document').flatMap(([, doc]) => doc.statement ?? []);
}

describe.each([
  ['examples/distributed.yaml (AMP, ingest fleet)', distributedConfig],
  ['a remote-write store, no ingest fleet', remoteWriteConfig],
])('GIVEN scale: distributed with %s', (_what, makeConfig) => {
  const config = makeConfig();
  const { infra, grafana, raw } = synth(config);

  it('THEN the infra stack matches its snapshot', () => {
    expect(snapshotOf(raw)).toMatchSnapshot();
  });

  it('THEN every bucket has versioning, encryption, a full public access block, BucketOwnerEnforced and a TLS-only policy', () => {
    const buckets = resources(infra, 'aws_s3_bucket');
    expect(buckets.length).toBe(3);
    for (const [name] of buckets) {
      const bucketId = ref('aws_s3_bucket', name, 'id');
      const on = (type: string) =>
        resources(infra, type)
          .filter(([, r]) => r.bucket === bucketId)
          .map(([, r]) => r);
      expect(on('aws_s3_bucket_versioning')).toEqual([expect.objectContaining({ versioning_configuration: { status: 'Enabled' } })]);
      expect(on('aws_s3_bucket_server_side_encryption_configuration')[0].rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('AES256');
      expect(on('aws_s3_bucket_public_access_block')).toEqual([
        expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      ]);
      expect(on('aws_s3_bucket_ownership_controls')[0].rule.object_ownership).toBe('BucketOwnerEnforced');
      const policy = on('aws_s3_bucket_policy')[0].policy as string;
      const document = data(infra, 'aws_iam_policy_document').find(([docName]) => policy.includes(`.${docName}.json`))![1];
      expect(document.statement[0]).toEqual(
        expect.objectContaining({ effect: 'Deny', condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }),
      );
      // The config bucket also refuses writes from anyone but its writers.
      expect(document.statement.slice(1).map((s: any) => `${s.effect} ${s.sid}`)).toEqual(
        name.startsWith('config') ? ['Deny DenyWritesExceptConfigWriters'] : [],
      );
    }
  });

  it('THEN the logs and traces buckets expire data one day after the engines retention, and old versions after 7 days', () => {
    const lifecycles = resources(infra, 'aws_s3_bucket_lifecycle_configuration').map(([, r]) => r);
    const logsDays = Math.round(Number(config.host.retention.logs.replace('d', ''))) + 1;
    const tracesDays = Math.round(Number(config.host.retention.traces.replace('d', ''))) + 1;
    const expirations = lifecycles.map((l) => l.rule.find((r: any) => r.id === 'retention').expiration[0].days).sort((a, b) => a - b);
    expect(expirations).toEqual([logsDays, tracesDays].sort((a, b) => a - b));
    for (const lifecycle of lifecycles) {
      expect(lifecycle.rule[0]).toMatchObject({
        noncurrent_version_expiration: [{ noncurrent_days: 7 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
      });
    }
  });

  it('THEN no IAM statement of the platform grants a "*" action, and only actions without resource-level permissions use a "*" resource (key and bucket policies, whose "*" is their own resource, aside)', () => {
    for (const statement of statements(infra)) {
      if (statement.effect === 'Deny') continue;
      for (const action of statement.actions ?? []) expect(action).not.toMatch(/^\*$|:\*$/);
      if (statement.principals) continue;
      for (const resource of statement.resources ?? []) expect([statement.sid, resource]).not.toEqual([statement.sid, expect.stringMatching(/:key\/\*$/)]);
      if ((statement.resources ?? []).includes('*'))
        expect([statement.sid, (statement.actions ?? []).filter((a) => !needsResourceWildcard(a))]).toEqual([statement.sid, []]);
    }
    expect(resources(infra, 'aws_iam_role_policy_attachment')).toEqual([]);
    const telemetry = statements(infra).find((s) => s.sid === 'TelemetryObjects')!;
    expect(telemetry.resources).toHaveLength(2);
    for (const resource of telemetry.resources!) expect(resource).toMatch(/^\$\{aws_s3_bucket\.scale_buckets_(logs|traces)_bucket_[A-Z0-9]+\.arn\}\/\*$/);
  });

  it("THEN Grafana's Prometheus data source keeps its UID, name and type", () => {
    const prometheus = grafana.resource.grafana_data_source['datasource-prometheus'];
    expect(prometheus).toMatchObject({ uid: 'lgtm-prometheus', name: 'Prometheus', type: 'prometheus' });
  });
});

describe('GIVEN the AMP store', () => {
  const { infra, grafana } = synth(distributedConfig());

  it('THEN a workspace exists and the host role may write to and query exactly it', () => {
    const workspaces = resources(infra, 'aws_prometheus_workspace');
    expect(workspaces).toHaveLength(1);
    expect(workspaces[0][1].alias).toBe('anvila-metrics');
    // The workspace holds the long-term metrics: terraform refuses to destroy it.
    expect(workspaces[0][1].lifecycle).toMatchObject({ prevent_destroy: true });
    const amp = statements(infra).find((s) => s.sid === 'ManagedPrometheus')!;
    expect(amp.actions).toEqual(['aps:RemoteWrite', 'aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata']);
    expect(amp.resources).toEqual([ref('aws_prometheus_workspace', workspaces[0][0], 'arn')]);
  });

  it('THEN Grafana queries the workspace with SigV4 as the instance role', () => {
    const prometheus = grafana.resource.grafana_data_source['datasource-prometheus'];
    expect(prometheus.url).toMatch(/prometheus_endpoint\}$/);
    expect(JSON.parse(prometheus.json_data_encoded)).toMatchObject({ sigV4Auth: true, sigV4AuthType: 'default', sigV4Region: 'us-east-1' });
  });

  it('THEN the host receives the workspace endpoint in prometheus.yml at apply time', () => {
    const object = resources(infra, 'aws_s3_object').find(([, o]) => o.key === 'host/etc/prometheus/prometheus.yml')![1];
    expect(object.content).toMatch(/url: \$\{aws_prometheus_workspace\.[^.]+\.prometheus_endpoint\}api\/v1\/remote_write/);
  });
});

describe('GIVEN the ingest fleet', () => {
  const config = distributedConfig();
  const { infra } = synth(config);

  it('THEN an internal NLB forwards OTLP gRPC and HTTP over TCP to the Auto Scaling group sized by config', () => {
    const [[, nlb]] = resources(infra, 'aws_lb');
    expect(nlb).toMatchObject({ internal: true, load_balancer_type: 'network', enable_deletion_protection: true });
    // One gRPC and one HTTP listener per environment (staging, production).
    expect(
      resources(infra, 'aws_lb_listener')
        .map(([, l]) => [l.port, l.protocol])
        .sort(),
    ).toEqual(otlpPorts(config).map((port) => [port, 'TCP']));
    const [[, group]] = resources(infra, 'aws_autoscaling_group');
    expect(group).toMatchObject({ min_size: 2, max_size: 6, desired_capacity: 2, health_check_type: 'ELB' });
    expect(group.target_group_arns).toHaveLength(4);
  });

  it('THEN nodes use IMDSv2 with hop limit 1, encrypted volumes, no key pair, and every security group rule says why', () => {
    const [[, template]] = resources(infra, 'aws_launch_template');
    expect(template.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings.every((b: any) => b.ebs.encrypted === 'true')).toBe(true);
    expect(template.key_name).toBeUndefined();
    for (const [, rule] of resources(infra, 'aws_vpc_security_group_ingress_rule')) {
      expect(rule.description).toEqual(expect.any(String));
      expect(rule.from_port).not.toBe(22);
    }
    for (const [, rule] of resources(infra, 'aws_vpc_security_group_egress_rule')) expect(rule.description).toEqual(expect.any(String));
  });

  it("THEN the host admits the nodes (and only them, by security group) on the collector's TLS receivers only, never on Tempo's or Loki's ports", () => {
    const fromNodes = resources(infra, 'aws_vpc_security_group_ingress_rule').filter(([, r]) => r.referenced_security_group_id);
    // Each environment's HTTP receiver (staging 4318, production 4320).
    expect(fromNodes.map(([, r]) => r.from_port).sort()).toEqual([PORTS.otlpHttp, PORTS.otlpHttp + 2].sort());
    const everyRule = resources(infra, 'aws_vpc_security_group_ingress_rule').map(([, r]) => r.from_port);
    expect(everyRule).not.toContain(PORTS.loki);
    expect(everyRule).not.toContain(PORTS.tempoOtlpGrpc);
  });

  it("THEN the nodes send traces through the host collector's TLS receiver of their environment too: no exporter without TLS", () => {
    const collector = load(renderIngestCollectorConfig(config, { hostAddress: '10.0.0.5' })) as any;
    for (const environment of otlpEnvironments(config))
      expect(collector.service.pipelines[`traces/${environment.name}`].exporters).toEqual([`otlphttp/host-${environment.name}`]);
    for (const [id, exporter] of Object.entries<any>(collector.exporters)) {
      expect([id, exporter.endpoint]).toEqual([id, expect.stringMatching(/^https:\/\//)]);
      expect([id, exporter.tls]).toEqual([id, { ca_file: INGEST_CA_FILE, min_version: '1.2' }]);
    }
    expect(JSON.stringify(collector)).not.toContain(`:${PORTS.tempoOtlpGrpc}`);
  });

  it('THEN every receiver of a node serves TLS 1.2+ with the ingest certificate the host issued, loaded as systemd credentials', () => {
    const collector = load(renderIngestCollectorConfig(config, { hostAddress: '10.0.0.5' })) as any;
    for (const environment of otlpEnvironments(config))
      for (const protocol of ['grpc', 'http'])
        expect(collector.receivers[environment.receiver].protocols[protocol].tls).toEqual({
          cert_file: `/run/credentials/otelcol.service/${OTLP_TLS_CREDENTIALS.certificate}`,
          key_file: `/run/credentials/otelcol.service/${OTLP_TLS_CREDENTIALS.key}`,
          min_version: '1.2',
        });
  });

  it('THEN the nodes send logs through the host collector, never to Loki directly', () => {
    const collector = load(renderIngestCollectorConfig(config, { hostAddress: '10.0.0.5' })) as any;
    expect(collector.service.pipelines['logs/staging'].exporters).toEqual(['otlphttp/host-staging']);
    expect(collector.service.pipelines['logs/production'].exporters).toEqual(['otlphttp/host-production']);
    expect(JSON.stringify(collector)).not.toContain(`:${PORTS.loki}`);
  });

  it("THEN each environment's receiver accepts only that environment's tokens, labels with it, and forwards over TLS to the host's receiver of the same environment", () => {
    const collector = load(renderIngestCollectorConfig(config, { hostAddress: '10.0.0.5' })) as any;
    for (const environment of otlpEnvironments(config)) {
      const auth = { authenticator: environment.authenticator };
      expect(collector.receivers[environment.receiver].protocols.grpc).toMatchObject({ endpoint: `0.0.0.0:${environment.grpcPort}`, auth });
      expect(collector.receivers[environment.receiver].protocols.http).toMatchObject({ endpoint: `0.0.0.0:${environment.httpPort}`, auth });
      expect(collector.exporters[`otlphttp/host-${environment.name}`]).toMatchObject({
        endpoint: `https://10.0.0.5:${environment.httpPort}`,
        auth,
        tls: { ca_file: INGEST_CA_FILE, min_version: '1.2' },
      });
      expect(collector.extensions[environment.authenticator]).toEqual({ filename: `/run/credentials/otelcol.service/otlp-token-${environment.name}` });
      expect(collector.service.pipelines[`metrics/${environment.name}`].processors).toEqual(['memory_limiter', environment.labeller, 'batch']);
      expect(collector.processors[environment.labeller].attributes).toContainEqual({ key: 'environment', value: environment.name, action: 'upsert' });
    }
    expect(JSON.stringify(collector)).not.toContain('insecure_skip_verify');
  });

  it("THEN the node role may read exactly the environments' token parameters, the host's CA certificate and its own certificate and key, and nothing else of SSM", () => {
    const read = statements(infra).find((s) => s.sid === 'ReadOtlpTokens')!;
    expect(read.actions).toEqual(['ssm:GetParameter']);
    const arn = (name: string) =>
      expect.stringMatching(new RegExp(`:ssm:us-east-1:\\$\\{data\\.aws_caller_identity\\.account\\.account_id\\}:parameter${name}$`));
    expect(read.resources).toEqual([
      arn('/anvila/otlp-token/staging'),
      arn('/anvila/otlp-token/production'),
      arn('/anvila/otlp-ca-certificate'),
      arn('/anvila/otlp-ingest-tls/certificate'),
      arn('/anvila/otlp-ingest-tls/key'),
    ]);
    // Decrypting: the tokens and the ingest key only.
    const decrypt = statements(infra).find((s) => s.sid === 'DecryptOtlpToken')! as any;
    expect(decrypt.condition).toContainEqual({
      test: 'StringEquals',
      variable: 'kms:EncryptionContext:PARAMETER_ARN',
      values: [arn('/anvila/otlp-token/staging'), arn('/anvila/otlp-token/production'), arn('/anvila/otlp-ingest-tls/key')],
    });
  });

  it("THEN Terraform names the load balancer for the host's certificate in a String parameter, and the host boots after it exists", () => {
    const [[nlbId]] = resources(infra, 'aws_lb');
    const names = resources(infra, 'aws_ssm_parameter').filter(([, p]) => p.name === '/anvila/otlp-ingest-tls/names');
    expect(names).toHaveLength(1);
    const [[namesId, parameter]] = names;
    expect(parameter).toMatchObject({ type: 'String', value: `DNS:${ref('aws_lb', nlbId, 'dns_name')}` });
    const [[, instance]] = resources(infra, 'aws_instance');
    expect(instance.depends_on).toContain(`aws_ssm_parameter.${namesId}`);
  });

  it('THEN the host role may read the names and publish exactly the ingest certificate and its key, encrypting only that key through SSM', () => {
    const arn = (name: string) =>
      expect.stringMatching(new RegExp(`:ssm:us-east-1:\\$\\{data\\.aws_caller_identity\\.account\\.account_id\\}:parameter${name}$`));
    const publish = statements(infra).find((s) => s.sid === 'PublishOtlpIngestCertificate')!;
    expect(publish).toMatchObject({
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      resources: [arn('/anvila/otlp-ingest-tls/certificate'), arn('/anvila/otlp-ingest-tls/key')],
    });
    const names = statements(infra).find((s) => s.sid === 'ReadOtlpIngestNames')!;
    expect(names).toMatchObject({ actions: ['ssm:GetParameter'], resources: [arn('/anvila/otlp-ingest-tls/names')] });
    const encrypt = statements(infra).find((s) => s.sid === 'EncryptOtlpIngestKey')! as any;
    expect(encrypt.actions).toEqual(['kms:Encrypt', 'kms:GenerateDataKey']);
    expect(encrypt.resources).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.[^.]+\.arn\}$/)]);
    expect(encrypt.condition).toContainEqual({
      test: 'StringEquals',
      variable: 'kms:EncryptionContext:PARAMETER_ARN',
      values: [arn('/anvila/otlp-ingest-tls/key')],
    });
    expect(encrypt.condition).toContainEqual({ test: 'StringEquals', variable: 'kms:ViaService', values: ['ssm.us-east-1.amazonaws.com'] });
  });

  it("THEN the load balancer has a listener for each environment's gRPC and HTTP port", () => {
    expect(
      resources(infra, 'aws_lb_listener')
        .map(([, l]) => l.port)
        .sort(),
    ).toEqual(otlpPorts(config));
  });

  it("THEN the node role decrypts with the platform's secrets key only, and that key's policy names the node role among its decrypters", () => {
    const decrypt = statements(infra).find((s) => s.sid === 'DecryptOtlpToken')!;
    expect(decrypt.resources).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.[^.]+\.arn\}$/)]);
    const decrypters = statements(infra).find((s) => s.sid === 'DecryptPlatformParameters')!.principals![0].identifiers;
    expect(decrypters).toEqual([
      expect.stringMatching(/^\$\{aws_iam_role\.identity_role_[A-Z0-9]+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_iam_role\.scale_ingest_role_[A-Z0-9]+\.arn\}$/),
    ]);
  });

  it('THEN the user-data decodes to the static script followed by the call with the host address', () => {
    const [[, template]] = resources(infra, 'aws_launch_template');
    const [staticPart, call] = template.user_data.split('${base64encode(');
    const script = Buffer.from(staticPart, 'base64').toString('utf8');
    expect(staticPart).not.toMatch(/=/);
    expect(script).toMatch(/^#!\/bin\/bash\n/);
    expect(script).toContain("stage_artifact 'otelcol-contrib' '0.160.0'");
    expect(call).toMatch(/^"main \$\{aws_instance\.[^.]+\.private_ip\}\\n"\)\}$/);
  });
});

describe('GIVEN the rendered ingest node script', () => {
  const config = distributedConfig();
  const script = renderIngestUserData(config, 't3.medium', renderIngestCollectorConfig(config, { hostAddress: UPSTREAM_HOST_PLACEHOLDER }));

  it('THEN shellcheck finds nothing in it (with its final call)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingest-'));
    try {
      const file = join(dir, 'user-data.sh');
      writeFileSync(file, `${script}${ingestUserDataCall('10.0.1.20')}`);
      const result = spawnSync('shellcheck', ['-S', 'warning', file], { encoding: 'utf8', timeout: 30000 });
      if (result.error) throw result.error;
      if (result.status !== 0) throw new Error(result.stdout);
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('THEN it verifies the download against the publisher checksum and validates the config before starting', () => {
    expect(script).toContain('opentelemetry-collector-releases_otelcol-contrib_checksums.txt');
    expect(script).toMatch(/validate --config=.*\|\| die/);
    expect(script.indexOf('validate --config')).toBeLessThan(script.indexOf('systemctl enable --now otelcol.service'));
  });

  it("THEN it reads each environment's OTLP token from SSM into a root-only file the collector loads as its credential, and the host's CA", () => {
    for (const environment of otlpEnvironments(config)) {
      expect(script).toContain(`ssm get-parameter --region 'us-east-1' --name '${environment.tokenParameter}' --with-decryption`);
      const file = ingestTokenFile(environment.tokenCredential);
      expect(script).toContain(`LoadCredential=${environment.tokenCredential}:${file}`);
      expect(script.indexOf(file)).toBeLessThan(script.indexOf('systemctl enable --now otelcol.service'));
    }
    expect(script).toContain("ssm get-parameter --region 'us-east-1' --name '/anvila/otlp-ca-certificate' --query Parameter.Value");
    expect(script.indexOf(INGEST_CA_FILE)).toBeLessThan(script.indexOf('systemctl enable --now otelcol.service'));
    expect(script).not.toContain('After=network-online.target lgtm-secrets.service');
  });

  it('THEN it installs the certificate the host issued before starting the collector, which loads it as credentials, and a daily timer refreshes it', () => {
    expect(script).toContain(`${INGEST_TLS_SCRIPT}' boot || die`);
    expect(script).toContain(renderIngestTlsScript(config).trimEnd());
    expect(script.indexOf(`${INGEST_TLS_SCRIPT}' boot`)).toBeLessThan(script.indexOf('systemctl enable --now otelcol.service'));
    for (const credential of [OTLP_TLS_CREDENTIALS.certificate, OTLP_TLS_CREDENTIALS.key])
      expect(script).toContain(`LoadCredential=${credential}:${ingestTokenFile(credential)}`);
    expect(script).toContain('systemctl enable --now otelcol.service lgtm-ingest-tls.timer');
    expect(script).toMatch(/OnCalendar=daily/);
  });

  it('THEN an arm64 node type downloads the arm64 build', () => {
    const arm = renderIngestUserData(config, 'c7g.large', renderIngestCollectorConfig(config, { hostAddress: UPSTREAM_HOST_PLACEHOLDER }));
    expect(arm).toContain('otelcol-contrib_0.160.0_linux_arm64.tar.gz');
  });

  it('THEN base64 of the static part and of the call decode together to the whole script', () => {
    const encoded = ingestUserDataBase64(script, '10.0.1.20');
    const head = encoded.slice(0, encoded.indexOf('${'));
    const decoded = Buffer.from(head, 'base64').toString('utf8') + ingestUserDataCall('10.0.1.20');
    // Only newlines are added (to reach a multiple of 3 bytes) before the call.
    expect(decoded.replace(/\n+(?=main 10\.0\.1\.20\n$)/, '\n')).toBe(`${script}${ingestUserDataCall('10.0.1.20')}`);
  });
});

describe('GIVEN scale: single (the default)', () => {
  it('THEN none of the scale-out resources exist', () => {
    const { infra } = synth(platformConfig());
    for (const type of ['aws_prometheus_workspace', 'aws_lb', 'aws_autoscaling_group', 'aws_s3_bucket_lifecycle_configuration'])
      expect(resources(infra, type)).toEqual([]);
    expect(resources(infra, 'aws_s3_bucket')).toHaveLength(1);
  });
});

describe('GIVEN the longest platform name the schema allows (32 characters)', () => {
  it('THEN the logs and traces bucket prefixes stay within the 37 characters S3 allows', () => {
    const name = 'a'.repeat(31) + 'b';
    expect(bucketPrefix(name, 'traces')).toHaveLength(MAX_BUCKET_PREFIX);
    expect(bucketPrefix('anvila', 'logs')).toBe('anvila-logs-');
  });
});
