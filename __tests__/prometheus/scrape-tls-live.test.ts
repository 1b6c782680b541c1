import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { validatePlatformConfig } from '../../lib/config/loader';
import { APP_TLS_JOB_PREFIX, scrapeJobs } from '../../lib/prometheus/scrape-config';
import { credentialPath, hostSecrets } from '../../lib/host/secrets';
import { DEFAULT_CONFIG } from './promtool-harness';
import { freePort, waitFor } from '../../bench/processes';

/**
 * GIVEN an app that serves /metrics over HTTPS only to clients with a certificate from its CA
 * WHEN a real Prometheus scrapes it with the rendered HTTPS app job (CA, server name, client pair as credential
 * files)
 * THEN the scrape succeeds and the series say job="app" with service and environment; with the wrong server
 * name, or without the client certificate, the same scrape fails (up = 0).
 */

const SERVER_NAME = 'metrics.anvila.internal';
type Sample = { metric: Record<string, string>; value: [number, string] };

/** A CA, a server certificate for SERVER_NAME and a client certificate, made with openssl in `dir`. */
function makeCertificates(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=issue-23 test CA');
  for (const [name, ext] of [
    ['server', `subjectAltName=DNS:${SERVER_NAME}`],
    ['client', 'extendedKeyUsage=clientAuth'],
  ]) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=issue-23 ${name}`);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  }
}

describe('live HTTPS scrape of the app job by a real Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lgtm-issue-23-tls-'));
  let app: Server;
  let prometheus: ChildProcess | undefined;
  let promPort = 0;

  beforeAll(async () => {
    makeCertificates(dir);
    const read = (file: string) => readFileSync(join(dir, file));
    app = createServer({ key: read('server.key'), cert: read('server.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      res.writeHead(req.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(req.url === '/metrics' ? '# TYPE http_requests_total counter\nhttp_requests_total{route="/items",method="GET",status="200"} 3\n' : '');
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const appPort = (app.address() as AddressInfo).port;

    const raw = structuredClone(DEFAULT_CONFIG) as any;
    raw.services[0].environments[0].metricsTarget = `127.0.0.1:${appPort}`;
    raw.services[0].environments[0].metricsTls = {
      caParameter: '/anvila/app-metrics-ca',
      serverName: SERVER_NAME,
      clientCertificateParameter: '/anvila/app-metrics-client-certificate',
      clientKeyParameter: '/anvila/app-metrics-client-key',
    };
    const config = validatePlatformConfig(raw);
    const job = scrapeJobs(config).find((j) => String(j.job_name).startsWith(APP_TLS_JOB_PREFIX)) as any;
    // the credential files the host would hand to Prometheus, here written where the test can
    const files: Record<string, string> = {};
    for (const secret of hostSecrets(config).filter((s) => s.configPath.includes('metricsTls')))
      files[credentialPath('prometheus', secret.name)] = join(
        dir,
        { caParameter: 'ca.pem', clientCertificateParameter: 'client.pem', clientKeyParameter: 'client.key' }[secret.configPath.split('.').pop()!]!,
      );
    for (const key of ['ca_file', 'cert_file', 'key_file']) job.tls_config[key] = files[job.tls_config[key]];
    const variant = (name: string, change: (tls: Record<string, string>) => void) => {
      const copy = structuredClone(job);
      copy.job_name = name;
      copy.relabel_configs = [{ target_label: 'job', replacement: name }];
      change(copy.tls_config);
      return copy;
    };
    const jobs = [
      job,
      variant('wrong-server-name', (tls) => (tls.server_name = 'other.anvila.internal')),
      variant('no-client-certificate', (tls) => {
        delete tls.cert_file;
        delete tls.key_file;
      }),
    ];
    writeFileSync(join(dir, 'prometheus.yml'), yaml.dump({ global: { scrape_interval: '1s', scrape_timeout: '1s' }, scrape_configs: jobs }));
    promPort = await freePort();
    prometheus = spawn(
      'prometheus',
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
      { stdio: 'ignore' },
    );
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => app.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const query = (expr: string) =>
    waitFor(
      `a result for ${expr}`,
      async () => {
        const body = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
          data?: { result: Sample[] };
        };
        return body.data && body.data.result.length > 0 ? body.data.result : undefined;
      },
      25000,
      500,
    );

  it('THEN the rendered job scrapes over HTTPS with the CA, server name and client certificate', async () => {
    const [up] = await query('up{job="app"} == 1');
    expect(up.metric).toMatchObject({ job: 'app', service: 'anvila-api', environment: 'staging' });
    const [requests] = await query('http_requests_total{job="app"}');
    expect(requests.metric).toMatchObject({ service: 'anvila-api', environment: 'staging', route: '/items' });
  }, 40000);

  it('THEN a wrong server name or a missing client certificate fails the scrape (the check can fail)', async () => {
    for (const job of ['wrong-server-name', 'no-client-certificate']) {
      const [up] = await query(`up{job="${job}"}`);
      expect({ job, up: up.value[1] }).toEqual({ job, up: '0' });
    }
  }, 40000);
});
