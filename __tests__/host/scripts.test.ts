import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlatformConfig } from '../../lib/config/schema';
import { renderHostFiles } from '../../lib/render-host-files';
import { hostSecrets, renderSecretsScript, RENEW_TLS_ARGUMENT } from '../../lib/host/secrets';
import { OTLP_CERTIFICATE_DAYS } from '../../lib/telemetry/otlp-tls-script';
import { PATHS } from '../../lib/shared/host-paths';
import { OTLP_INGEST_TLS_FILES, OTLP_TLS_DIR, OTLP_TLS_FILES, otlpIngestTlsParameters } from '../../lib/telemetry/otlp-sources';
import { distributedConfig } from '../scale/fixtures';
import { run } from './helpers/artifact-server';
import { createFakeSystem } from './helpers/fake-system';
import { testConfig } from './helpers/host-fixture';
import { shellcheck } from '../helpers/shellcheck';
import { compilePlatform } from '../../lib/model/compile';

/** Configs that exercise every branch of the renderers: defaults; mirror, pins, receivers, SMTP, arm64, no DORA. */
const CONFIGS: [string, PlatformConfig][] = [
  ['default', testConfig()],
  [
    'arm64 with an S3 mirror, pins, extra receivers and no DORA',
    testConfig((c) => ({
      ...c,
      dora: undefined,
      host: {
        ...c.host,
        instanceType: 'm7g.large',
        grafanaAdminPasswordParameter: '/anvila/grafana-admin',
        artifactMirror: { s3Bucket: 'acme-artifacts', prefix: 'lgtm' },
        artifactChecksums: { 'prometheus-arm64': 'b'.repeat(64) },
      },
      alerting: {
        ...c.alerting,
        receivers: [{ name: 'pager', severities: ['critical'], webhookUrlParameter: '/anvila/pager-url' }],
        smtp: { smarthost: 'smtp.example.com:587', from: 'alerts@example.com', passwordParameter: '/anvila/smtp' },
      },
    })),
  ],
  ['examples/distributed.yaml (an ingest fleet)', distributedConfig()],
];

describe.each(CONFIGS)('rendered scripts (%s config)', (_name, config) => {
  const scripts = renderHostFiles(compilePlatform(config), { grafanaUrl: 'https://grafana.example.com' }).filter((f) => f.content.startsWith('#!/bin/bash'));

  test('the install, sync and secrets scripts are rendered executable', () => {
    expect(scripts.map((s) => [s.path, s.mode])).toEqual(
      expect.arrayContaining([
        [PATHS.installScript, '0755'],
        [PATHS.syncScript, '0755'],
        [PATHS.secretsScript, '0755'],
      ]),
    );
  });

  test.each([PATHS.installScript, PATHS.syncScript, PATHS.secretsScript])('%s is shellcheck-clean at every severity', (path) => {
    const script = scripts.find((s) => s.path === path)!;
    expect(shellcheck(path.split('/').pop()!, script.content)).toEqual({ status: 0, output: '' });
  });
});

test('shellcheck really runs: a script with an unquoted expansion is flagged', () => {
  const result = shellcheck('bad', '#!/bin/bash\nrm -rf $1/*\n');
  expect(result.status).not.toBe(0);
  expect(result.output).toMatch(/SC2086/);
});

describe('lgtm-secrets, run for real with a fake SSM', () => {
  const config = CONFIGS[1][1];
  const base = mkdtempSync(join(tmpdir(), 'lgtm-secrets-'));
  const root = join(base, 'root');
  const fake = createFakeSystem(base);
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  test('GIVEN every parameter exists THEN each secret lands in a root-only 0600 file and no value is printed', async () => {
    for (const s of hostSecrets(config)) writeFileSync(join(fake.ssm, s.parameter.replace(/\//g, '_')), `secret-${s.name}`);
    const script = join(base, 'lgtm-secrets');
    writeFileSync(script, renderSecretsScript(config));
    const result = await run('bash', [script], { ...fake.env, LGTM_ROOT: root, AWS_REGION: 'us-east-1' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const dir = join(root, 'run/lgtm-secrets');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir).sort()).toEqual([
      'grafana-admin-password',
      'otlp-token-production',
      'otlp-token-staging',
      'receiver-pager-url',
      'slack-webhook-url',
      'smtp-password',
    ]);
    for (const name of readdirSync(dir)) {
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, name), 'utf8')).toBe(`secret-${name}`);
      expect(result.stdout).not.toContain(`secret-${name}`);
    }
    expect(fake.calls()).toContain(
      'aws ssm get-parameter --region us-east-1 --name /anvila/slack-webhook --with-decryption --query Parameter.Value --output text',
    );
  });

  test('GIVEN OTLP tokens with blank lines THEN the token file holds only the tokens (an empty line would be an empty token)', async () => {
    writeFileSync(join(fake.ssm, '_anvila_otlp-token_staging'), 'token-one  \n\n   \ntoken-two\n');
    const script = join(base, 'lgtm-secrets');
    const result = await run('bash', [script], { ...fake.env, LGTM_ROOT: root, AWS_REGION: 'us-east-1' });
    expect(result.code).toBe(0);
    expect(readFileSync(join(root, 'run/lgtm-secrets/otlp-token-staging'), 'utf8')).toBe('token-one\ntoken-two');
    writeFileSync(join(fake.ssm, '_anvila_otlp-token_staging'), ' \n\n');
    const empty = await run('bash', [script], { ...fake.env, LGTM_ROOT: root, AWS_REGION: 'us-east-1' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('SSM parameter /anvila/otlp-token/staging (host.otlpTokenParameter (the tokens of staging)) holds no token');
    writeFileSync(join(fake.ssm, '_anvila_otlp-token_staging'), 'secret-otlp-token-staging');
  });

  test('THEN it makes the OTLP CA and a server certificate for the host address on the data volume, root-only, and publishes only the CA certificate', async () => {
    const script = join(base, 'lgtm-secrets');
    const result = await run('bash', [script], {
      ...fake.env,
      LGTM_ROOT: root,
      AWS_REGION: 'us-east-1',
      LGTM_OTLP_TLS_NAMES: 'IP:10.0.0.5,DNS:ip-10-0-0-5.ec2.internal',
    });
    expect(result.code).toBe(0);
    const tls = (file: string) => join(root, file);
    for (const file of Object.values(OTLP_TLS_FILES)) expect(statSync(tls(file)).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, OTLP_TLS_DIR)).mode & 0o777).toBe(0o700);
    const published = readFileSync(join(fake.ssm, '_anvila_otlp-ca-certificate'), 'utf8');
    expect(published).toBe(readFileSync(tls(OTLP_TLS_FILES.caCertificate), 'utf8'));
    expect(published).not.toMatch(/PRIVATE KEY/);
    const openssl = (...args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' });
    const verify = openssl(
      'verify',
      '-CAfile',
      tls(OTLP_TLS_FILES.caCertificate),
      '-verify_ip',
      '10.0.0.5',
      '-purpose',
      'sslserver',
      tls(OTLP_TLS_FILES.certificate),
    );
    expect(verify.stdout.trim()).toMatch(/: OK$/);
    expect(openssl('verify', '-CAfile', tls(OTLP_TLS_FILES.caCertificate), '-verify_ip', '10.0.0.6', tls(OTLP_TLS_FILES.certificate)).status).not.toBe(0);
    expect(fake.calls().filter((c) => c.includes('put-parameter'))).toEqual([
      expect.stringContaining('--name /anvila/otlp-ca-certificate --type String --overwrite'),
    ]);

    // A replacement host (new address) on the same volume: a new server certificate from the same CA; the CA unchanged, not republished.
    const ca = readFileSync(tls(OTLP_TLS_FILES.caCertificate), 'utf8');
    const key = readFileSync(tls(OTLP_TLS_FILES.caKey), 'utf8');
    fake.resetCalls();
    const again = await run('bash', [script], { ...fake.env, LGTM_ROOT: root, AWS_REGION: 'us-east-1', LGTM_OTLP_TLS_NAMES: 'IP:10.0.0.6' });
    expect(again.code).toBe(0);
    expect(readFileSync(tls(OTLP_TLS_FILES.caCertificate), 'utf8')).toBe(ca);
    expect(readFileSync(tls(OTLP_TLS_FILES.caKey), 'utf8')).toBe(key);
    expect(openssl('verify', '-CAfile', tls(OTLP_TLS_FILES.caCertificate), '-verify_ip', '10.0.0.6', tls(OTLP_TLS_FILES.certificate)).status).toBe(0);
    expect(fake.calls().filter((c) => c.includes('put-parameter'))).toEqual([]);
    expect(`${result.stdout}${again.stdout}`).not.toContain(key.split('\n')[1]);
  });

  test('GIVEN a server certificate with fewer than the margin days left WHEN the renewal timer runs it THEN a new one from the same CA replaces it and the collector restarts; a current one is left alone', async () => {
    const script = join(base, 'lgtm-secrets');
    const env = { ...fake.env, LGTM_ROOT: root, AWS_REGION: 'us-east-1', LGTM_OTLP_TLS_NAMES: 'IP:10.0.0.6' };
    const tls = (file: string) => join(root, file);
    const openssl = (...args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' });
    expect((await run('bash', [script], env)).code).toBe(0);
    // Re-issue the current certificate with 30 days left, as a host up for 11 months would hold it.
    const csr = join(base, 'expiring.csr');
    expect(openssl('req', '-new', '-key', tls(OTLP_TLS_FILES.key), '-subj', '/CN=10.0.0.6', '-out', csr).status).toBe(0);
    const extensions = join(base, 'expiring.ext');
    writeFileSync(extensions, 'subjectAltName=IP:10.0.0.6\nextendedKeyUsage=serverAuth\n');
    const caArgs = ['-CA', tls(OTLP_TLS_FILES.caCertificate), '-CAkey', tls(OTLP_TLS_FILES.caKey)];
    expect(openssl('x509', '-req', '-in', csr, ...caArgs, '-days', '30', '-extfile', extensions, '-out', tls(OTLP_TLS_FILES.certificate)).status).toBe(0);
    const daysLeft = () => {
      const end = openssl('x509', '-noout', '-enddate', '-in', tls(OTLP_TLS_FILES.certificate))
        .stdout.trim()
        .replace(/^notAfter=/, '');
      return Math.round((Date.parse(end) - Date.now()) / 86400_000);
    };
    expect(daysLeft()).toBe(30);
    const ca = readFileSync(tls(OTLP_TLS_FILES.caCertificate), 'utf8');

    fake.resetCalls();
    const renewed = await run('bash', [script, RENEW_TLS_ARGUMENT], env);
    expect(renewed.stderr).toBe('');
    expect(renewed.code).toBe(0);
    expect(daysLeft()).toBe(OTLP_CERTIFICATE_DAYS);
    expect(readFileSync(tls(OTLP_TLS_FILES.caCertificate), 'utf8')).toBe(ca);
    expect(openssl('verify', '-CAfile', tls(OTLP_TLS_FILES.caCertificate), '-verify_ip', '10.0.0.6', tls(OTLP_TLS_FILES.certificate)).status).toBe(0);
    expect(statSync(tls(OTLP_TLS_FILES.key)).mode & 0o777).toBe(0o600);
    // Only the certificate: the renewal reads no secret and restarts exactly the collector, which loads it as a credential at start.
    expect(fake.calls().filter((c) => c.includes('--with-decryption'))).toEqual([]);
    expect(fake.calls().filter((c) => c.startsWith('systemctl'))).toEqual(['systemctl try-restart otelcol.service']);

    fake.resetCalls();
    const current = await run('bash', [script, RENEW_TLS_ARGUMENT], env);
    expect(current.code).toBe(0);
    expect(fake.calls().filter((c) => c.startsWith('systemctl'))).toEqual([]);

    // New names (a changed address) renew too, between boots.
    const moved = await run('bash', [script, RENEW_TLS_ARGUMENT], { ...env, LGTM_OTLP_TLS_NAMES: 'IP:10.0.0.7' });
    expect(moved.code).toBe(0);
    expect(openssl('verify', '-CAfile', tls(OTLP_TLS_FILES.caCertificate), '-verify_ip', '10.0.0.7', tls(OTLP_TLS_FILES.certificate)).status).toBe(0);
    expect(fake.calls().filter((c) => c.startsWith('systemctl'))).toEqual(['systemctl try-restart otelcol.service']);
  });

  test('GIVEN a missing parameter THEN it fails naming the parameter, the config key and the key to encrypt it with', async () => {
    rmSync(join(fake.ssm, '_anvila_smtp'));
    const script = join(base, 'lgtm-secrets');
    const result = await run('bash', [script], { ...fake.env, LGTM_ROOT: root, AWS_REGION: 'us-east-1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'cannot read SSM parameter /anvila/smtp (alerting.smtp.passwordParameter); create it as a SecureString encrypted with the KMS key alias/anvila-secrets',
    );
  });

  test('GIVEN a test root without a fake AWS CLI THEN it refuses to call the real one', async () => {
    const script = join(base, 'lgtm-secrets');
    const result = await run('bash', [script], { LGTM_ROOT: root, AWS_REGION: 'us-east-1' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('refusing to call the real AWS CLI');
  });
});

describe('lgtm-secrets with an ingest fleet: the host issues the nodes their certificate from its CA', () => {
  const config = distributedConfig();
  const parameters = otlpIngestTlsParameters(config);
  const base = mkdtempSync(join(tmpdir(), 'lgtm-s4-19edge-ingest-tls-'));
  const root = join(base, 'root');
  const fake = createFakeSystem(base);
  const script = join(base, 'lgtm-secrets');
  const ssmFile = (parameter: string) => join(fake.ssm, parameter.replace(/\//g, '_'));
  const env = { ...fake.env, LGTM_ROOT: root, AWS_REGION: 'us-east-1', LGTM_OTLP_TLS_NAMES: 'IP:10.0.0.5' };
  const openssl = (...args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' });
  const verifyHost = (host: string, certificate: string) =>
    openssl('verify', '-CAfile', join(root, OTLP_TLS_FILES.caCertificate), '-verify_hostname', host, '-purpose', 'sslserver', certificate);
  const published = () => fake.calls().filter((c) => c.includes('put-parameter') && !c.includes('otlp-ca-certificate'));
  beforeAll(() => {
    for (const s of hostSecrets(config)) writeFileSync(ssmFile(s.parameter), `secret-${s.name}`);
    writeFileSync(script, renderSecretsScript(config));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  test('GIVEN the load balancer has no names parameter yet THEN the boot goes on and says the nodes get their certificate later', async () => {
    const result = await run('bash', [script], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`no ingest endpoint names in ${parameters.names} yet`);
    expect(published()).toEqual([]);
  });

  test('GIVEN the names THEN a certificate for the load balancer from the same CA is published, its key as a SecureString under the secrets key, never printed', async () => {
    writeFileSync(ssmFile(parameters.names), 'DNS:otlp-1234.elb.us-east-1.amazonaws.com');
    fake.resetCalls();
    const result = await run('bash', [script], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const certificate = readFileSync(ssmFile(parameters.certificate), 'utf8');
    const key = readFileSync(ssmFile(parameters.key), 'utf8');
    expect(certificate).toBe(readFileSync(join(root, OTLP_INGEST_TLS_FILES.certificate), 'utf8'));
    expect(key).toBe(readFileSync(join(root, OTLP_INGEST_TLS_FILES.key), 'utf8'));
    for (const file of Object.values(OTLP_INGEST_TLS_FILES)) expect(statSync(join(root, file)).mode & 0o777).toBe(0o600);
    expect(verifyHost('otlp-1234.elb.us-east-1.amazonaws.com', join(root, OTLP_INGEST_TLS_FILES.certificate)).stdout.trim()).toMatch(/: OK$/);
    expect(verifyHost('monitoring.example.com', join(root, OTLP_INGEST_TLS_FILES.certificate)).status).not.toBe(0);
    // The host's own certificate is another one: a node's key cannot impersonate the host.
    expect(readFileSync(join(root, OTLP_TLS_FILES.key), 'utf8')).not.toBe(key);
    expect(published()).toEqual([
      expect.stringContaining(`--name ${parameters.key} --type SecureString --key-id alias/anvila-secrets --overwrite`),
      expect.stringContaining(`--name ${parameters.certificate} --type String --overwrite`),
    ]);
    expect(result.stdout).not.toContain(key.split('\n')[1]);

    fake.resetCalls();
    expect((await run('bash', [script, RENEW_TLS_ARGUMENT], env)).code).toBe(0);
    expect(published()).toEqual([]);
  });

  test('GIVEN the names change THEN a new certificate is issued and published; a names value that is not DNS names is refused', async () => {
    writeFileSync(ssmFile(parameters.names), 'DNS:otlp-5678.elb.us-east-1.amazonaws.com');
    fake.resetCalls();
    expect((await run('bash', [script, RENEW_TLS_ARGUMENT], env)).code).toBe(0);
    expect(published()).toHaveLength(2);
    expect(verifyHost('otlp-5678.elb.us-east-1.amazonaws.com', join(root, OTLP_INGEST_TLS_FILES.certificate)).status).toBe(0);

    writeFileSync(ssmFile(parameters.names), 'DNS:a.example.com,IP:$(reboot)');
    fake.resetCalls();
    const bad = await run('bash', [script, RENEW_TLS_ARGUMENT], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${parameters.names} holds 'DNS:a.example.com,IP:$(reboot)'; expected DNS:<name>[,DNS:<name>...]`);
    expect(published()).toEqual([]);
  });
});
