import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePlatformConfig } from '../../lib/config/loader';
import { renderBootstrapUserData } from '../../lib/host/bootstrap-user-data';
import { hostSecrets, renderSecretsScript } from '../../lib/host/secrets';
import { renderSyncScript } from '../../lib/host/config-sync';
import { run } from './helpers/artifact-server';
import { createFakeSystem } from './helpers/fake-system';
import { testConfig } from './helpers/host-fixture';

const S3 = 'https://bucket.vpce-0123456789abcdef0-abcdefgh.s3.us-east-1.vpce.amazonaws.com';
const SSM = 'http://127.0.0.1:4566';

describe('host.awsEndpoints: the S3 and SSM endpoints the host scripts call instead of the regional ones', () => {
  const base = mkdtempSync(join(tmpdir(), 'lgtm-endpoints-'));
  const root = join(base, 'root');
  const fake = createFakeSystem(base);
  const config = testConfig((c) => ({ ...c, host: { ...c.host, awsEndpoints: { s3: S3, ssm: SSM } } }));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  beforeAll(() => {
    mkdirSync(join(root, 'etc/lgtm'), { recursive: true });
    writeFileSync(
      join(root, 'etc/lgtm/bootstrap.env'),
      `LGTM_BUCKET=b\nLGTM_PREFIX=p\nAWS_REGION=us-east-1\nAWS_ENDPOINT_URL_S3=${S3}\nAWS_ENDPOINT_URL_SSM=${SSM}\n`,
    );
  });

  test('GIVEN endpoints in the config THEN the user-data records them in the bootstrap file and fetches the installer and the manifest digest through them', () => {
    const userData = renderBootstrapUserData({
      bucket: 'b',
      prefix: 'p',
      region: 'us-east-1',
      dataVolumeId: 'vol-1',
      manifestParameter: '/lgtm/p/config-manifest-sha256',
      awsEndpoints: config.host.awsEndpoints,
    });
    expect(userData).toContain(`AWS_ENDPOINT_URL_S3=${S3}\nAWS_ENDPOINT_URL_SSM=${SSM}\nENV`);
    expect(userData).toMatch(new RegExp(`aws s3 cp [^\\n]*--endpoint-url=${S3.replace(/[.]/g, '\\.')} `));
    // It checks the installer against the config manifest's digest, read through the SSM endpoint.
    expect(userData).toMatch(new RegExp(`aws ssm get-parameter [^\\n]*--endpoint-url=${SSM.replace(/[.]/g, '\\.')} --name '/lgtm/p/config-manifest-sha256'`));
    const plain = renderBootstrapUserData({
      bucket: 'b',
      prefix: 'p',
      region: 'us-east-1',
      dataVolumeId: 'vol-1',
      manifestParameter: '/lgtm/p/config-manifest-sha256',
    });
    expect(plain).not.toContain('endpoint');
  });

  test('GIVEN the bootstrap file names an SSM endpoint THEN lgtm-secrets calls it', async () => {
    for (const s of hostSecrets(config)) writeFileSync(join(fake.ssm, s.parameter.replace(/\//g, '_')), `secret-${s.name}`);
    const script = join(base, 'lgtm-secrets');
    writeFileSync(script, renderSecretsScript(config));
    const result = await run('bash', [script], { ...fake.env, LGTM_ROOT: root });
    expect(result.stderr).toBe('');
    const calls = fake.calls().filter((c) => c.startsWith('aws ssm'));
    // One read per secret, then the OTLP CA certificate read and published (lib/telemetry/otlp-tls-script.ts).
    expect(calls.length).toBe(hostSecrets(config).length + 2);
    for (const call of calls)
      expect(call).toMatch(new RegExp(`^aws ssm (get|put)-parameter --endpoint-url=${SSM.replace(/[.:/]/g, '\\$&')} --region us-east-1`));
    expect(calls.filter((call) => call.includes('put-parameter'))).toHaveLength(1);
  });

  test('GIVEN the bootstrap file names an S3 endpoint THEN lgtm-sync pulls through it', async () => {
    fake.resetCalls();
    const script = join(base, 'lgtm-sync');
    writeFileSync(script, renderSyncScript(config));
    await run('bash', [script], { ...fake.env, LGTM_ROOT: root });
    expect(fake.calls().filter((c) => c.startsWith('aws s3'))).toEqual(
      [`aws s3 cp --endpoint-url=${S3} --recursive --only-show-errors s3://b/p/ ${root}/var/lib/lgtm-sync/run.`].map((c) => expect.stringContaining(c)),
    );
  });

  test.each([
    ['http://s3.example.com', 'expected an https:// URL (plain http:// only on a loopback address'],
    ['ftp://127.0.0.1', 'an absolute http:// or https:// URL'],
  ])('GIVEN the endpoint %s THEN the config is refused naming the path and what is allowed', (url, message) => {
    const raw = { ...testConfig(), host: { ...testConfig().host, awsEndpoints: { s3: url } } };
    expect(() => validatePlatformConfig(raw, 'platform.yaml')).toThrow(/host\.awsEndpoints\.s3/);
    expect(() => validatePlatformConfig(raw, 'platform.yaml')).toThrow(message);
  });
});
