import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderSecretsScript, hostSecrets, RENEW_TLS_ARGUMENT } from '../../lib/host/secrets';
import { INGEST_CA_FILE, ingestTokenFile } from '../../lib/telemetry/ingest-collector';
import { INGEST_TLS_BOOT_ARGUMENT, renderIngestTlsScript } from '../../lib/scale/ingest-user-data';
import { OTLP_TLS_CREDENTIALS, OTLP_TLS_FILES, otlpCaParameter, otlpIngestTlsParameters } from '../../lib/telemetry/otlp-sources';
import { run } from '../host/helpers/artifact-server';
import { createFakeSystem } from '../host/helpers/fake-system';
import { shellcheck } from '../helpers/shellcheck';
import { distributedConfig } from './fixtures';

/**
 * The ingest node's certificate, end to end through the two rendered scripts with a stand-in SSM: the host's
 * lgtm-secrets issues and publishes it (and renews it), the node's lgtm-ingest-tls installs it, refuses what is not
 * the host CA's or not a matching pair, and restarts the collector only when a renewed pair arrives.
 */
describe('GIVEN the host published the ingest certificate WHEN a node runs lgtm-ingest-tls', () => {
  const config = distributedConfig();
  const parameters = otlpIngestTlsParameters(config);
  const base = mkdtempSync(join(tmpdir(), 'lgtm-s4-19edge-node-tls-'));
  const hostRoot = join(base, 'host');
  const nodeRoot = join(base, 'node');
  const fake = createFakeSystem(base);
  const ssmFile = (parameter: string) => join(fake.ssm, parameter.replace(/\//g, '_'));
  const hostScript = join(base, 'lgtm-secrets');
  const nodeScript = join(base, 'lgtm-ingest-tls');
  const hostEnv = { ...fake.env, LGTM_ROOT: hostRoot, AWS_REGION: 'us-east-1', LGTM_OTLP_TLS_NAMES: 'IP:10.0.0.5' };
  const nodeEnv = { ...fake.env, LGTM_ROOT: nodeRoot, LGTM_INGEST_TLS_RETRY_SECONDS: '1' };
  const installed = (credential: string) => join(nodeRoot, ingestTokenFile(credential));
  const restarts = () => fake.calls().filter((c) => c.startsWith('systemctl'));

  beforeAll(async () => {
    for (const s of hostSecrets(config)) writeFileSync(ssmFile(s.parameter), `secret-${s.name}`);
    writeFileSync(ssmFile(parameters.names), 'DNS:otlp-1234.elb.us-east-1.amazonaws.com');
    writeFileSync(hostScript, renderSecretsScript(config));
    writeFileSync(nodeScript, renderIngestTlsScript(config));
    const host = await run('bash', [hostScript], hostEnv);
    if (host.code !== 0) throw new Error(host.stderr);
    // The node's user-data writes the published CA certificate before it runs the script.
    mkdirSync(dirname(join(nodeRoot, INGEST_CA_FILE)), { recursive: true });
    writeFileSync(join(nodeRoot, INGEST_CA_FILE), readFileSync(ssmFile(otlpCaParameter(config))));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  test('THEN the script is shellcheck-clean', () => {
    expect(shellcheck('lgtm-ingest-tls', renderIngestTlsScript(config))).toEqual({ status: 0, output: '' });
  });

  test('THEN at boot it installs the pair root-only, for the load balancer, and restarts nothing', async () => {
    fake.resetCalls();
    const boot = await run('bash', [nodeScript, INGEST_TLS_BOOT_ARGUMENT], nodeEnv);
    expect(boot.stderr).toBe('');
    expect(boot.code).toBe(0);
    expect(readFileSync(installed(OTLP_TLS_CREDENTIALS.certificate), 'utf8').trim()).toBe(readFileSync(ssmFile(parameters.certificate), 'utf8').trim());
    expect(readFileSync(installed(OTLP_TLS_CREDENTIALS.key), 'utf8').trim()).toBe(readFileSync(ssmFile(parameters.key), 'utf8').trim());
    expect(statSync(installed(OTLP_TLS_CREDENTIALS.key)).mode & 0o777).toBe(0o600);
    const verify = spawnSync(
      'openssl',
      [
        'verify',
        '-CAfile',
        join(nodeRoot, INGEST_CA_FILE),
        '-verify_hostname',
        'otlp-1234.elb.us-east-1.amazonaws.com',
        installed(OTLP_TLS_CREDENTIALS.certificate),
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(verify.status).toBe(0);
    expect(fake.calls()).toContain(`aws ssm get-parameter --region us-east-1 --name ${parameters.key} --with-decryption --query Parameter.Value --output text`);
    expect(restarts()).toEqual([]);
    expect(boot.stdout).not.toContain(readFileSync(ssmFile(parameters.key), 'utf8').split('\n')[1]);
  });

  test('WHEN nothing changed THEN the daily run restarts nothing; WHEN the host renewed the pair THEN it is installed and the collector restarts', async () => {
    fake.resetCalls();
    expect((await run('bash', [nodeScript], nodeEnv)).code).toBe(0);
    expect(restarts()).toEqual([]);

    writeFileSync(ssmFile(parameters.names), 'DNS:otlp-5678.elb.us-east-1.amazonaws.com');
    expect((await run('bash', [hostScript, RENEW_TLS_ARGUMENT], hostEnv)).code).toBe(0);
    fake.resetCalls();
    const refreshed = await run('bash', [nodeScript], nodeEnv);
    expect(refreshed.code).toBe(0);
    expect(readFileSync(installed(OTLP_TLS_CREDENTIALS.certificate), 'utf8').trim()).toBe(readFileSync(ssmFile(parameters.certificate), 'utf8').trim());
    expect(restarts()).toEqual(['systemctl try-restart otelcol.service']);
  });

  test('WHEN the certificate is not from the host CA, or the key is not its key THEN it keeps the installed pair and fails', async () => {
    const good = readFileSync(installed(OTLP_TLS_CREDENTIALS.certificate), 'utf8');
    const goodCertificateParameter = readFileSync(ssmFile(parameters.certificate), 'utf8');
    const goodKeyParameter = readFileSync(ssmFile(parameters.key), 'utf8');
    const other = join(base, 'other');
    mkdirSync(other);
    const selfSigned = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=otlp-5678.elb.us-east-1.amazonaws.com',
      '-keyout',
      join(other, 'key'),
      '-out',
      join(other, 'crt'),
    ]);
    expect(selfSigned.status).toBe(0);
    writeFileSync(ssmFile(parameters.certificate), readFileSync(join(other, 'crt')));
    writeFileSync(ssmFile(parameters.key), readFileSync(join(other, 'key')));
    fake.resetCalls();
    const foreign = await run('bash', [nodeScript], nodeEnv);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain(`${parameters.certificate} holds no server certificate from the monitoring host's CA`);

    // A half-published renewal: the host's certificate with another key.
    writeFileSync(ssmFile(parameters.certificate), goodCertificateParameter);
    const mismatched = await run('bash', [nodeScript], nodeEnv);
    expect(mismatched.code).toBe(1);
    expect(mismatched.stderr).toContain(`${parameters.key} is not the key of ${parameters.certificate}`);
    expect(readFileSync(installed(OTLP_TLS_CREDENTIALS.certificate), 'utf8')).toBe(good);
    expect(restarts()).toEqual([]);
    writeFileSync(ssmFile(parameters.key), goodKeyParameter);
    // The host's own server certificate lives apart: a node never holds the host's key.
    expect(readFileSync(join(hostRoot, OTLP_TLS_FILES.key), 'utf8')).not.toBe(goodKeyParameter);
  });

  test('GIVEN nothing published yet WHEN a node boots THEN it waits, then fails naming what the host must publish', async () => {
    rmSync(ssmFile(parameters.certificate));
    fake.resetCalls();
    const result = await run('bash', [nodeScript, INGEST_TLS_BOOT_ARGUMENT], { ...nodeEnv, LGTM_INGEST_TLS_WAIT_SECONDS: '2' });
    expect(result.code).toBe(1);
    expect(fake.calls().filter((c) => c.includes(`--name ${parameters.certificate}`)).length).toBeGreaterThanOrEqual(2);
    expect(result.stderr).toContain(`cannot read ${parameters.certificate} and ${parameters.key}; the monitoring host publishes them`);
  });
});
