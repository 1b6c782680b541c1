import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { validatePlatformConfig } from '../../lib/config/loader';
import { externalLabels, scrapeJobs } from '../../lib/prometheus/scrape-config';
import { DEFAULT_CONFIG } from './promtool-harness';
import { freePort, waitFor } from '../../bench/processes';

/**
 * GIVEN the rendered app scrape job pointed at a fake app on loopback
 * WHEN the pinned Prometheus (scripts/oracles.sh) scrapes it
 * THEN every series carries service and environment, and raw paths collapse into route="unmatched"; what leaves
 * Prometheus (federation here, alerts and remote write alike) carries the platform's external labels;
 * and an app that answers without a Content-Type (many hand-written /metrics handlers do) is still scraped:
 * Prometheus 3 fails such a scrape unless the job names a fallback_scrape_protocol.
 */

const EXPOSITION = [
  '# TYPE http_requests_total counter',
  'http_requests_total{route="/items/{item_id}",method="GET",status="200"} 5',
  'http_requests_total{route="/items/12345",method="GET",status="200"} 1',
  'http_requests_total{route="none",method="GET",status="404"} 2',
  'http_requests_total{route="/users/3f2a9c1e-8b7d-4e2f-9a1b-1234567890ab",method="GET",status="500"} 1',
  '# TYPE http_requests_in_progress gauge',
  'http_requests_in_progress 1',
  '',
].join('\n');

type Sample = { metric: Record<string, string> };

describe('live scrape of the app job by a real Prometheus', () => {
  let app: Server;
  let bareApp: Server;
  let prometheus: ChildProcess | undefined;
  let dir: string;
  let promPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prom-live-'));
    app = createServer((req, res) => {
      res.writeHead(req.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(req.url === '/metrics' ? EXPOSITION : '');
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const appPort = (app.address() as AddressInfo).port;
    bareApp = createServer((req, res) => {
      // No Content-Type header at all.
      res.sendDate = false;
      res.writeHead(req.url === '/metrics' ? 200 : 404);
      res.end(req.url === '/metrics' ? EXPOSITION : '');
    });
    await new Promise<void>((resolve) => bareApp.listen(0, '127.0.0.1', resolve));
    const bareAppPort = (bareApp.address() as AddressInfo).port;
    promPort = await freePort();

    const raw = structuredClone(DEFAULT_CONFIG) as unknown as { services: { environments: { metricsTarget?: string }[] }[] };
    raw.services[0].environments[0].metricsTarget = `127.0.0.1:${appPort}`;
    raw.services[0].environments[1].metricsTarget = `127.0.0.1:${bareAppPort}`;
    const appJob = scrapeJobs(validatePlatformConfig(raw)).find((j) => j.job_name === 'app');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      yaml.dump({ global: { scrape_interval: '1s', scrape_timeout: '1s', external_labels: externalLabels(DEFAULT_CONFIG) }, scrape_configs: [appJob] }),
    );
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
      const timer = setTimeout(() => prometheus!.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise((resolve) => app.close(resolve));
    await new Promise((resolve) => bareApp.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function query(expr: string): Promise<Sample[]> {
    return waitFor(
      `a result for ${expr}`,
      async () => {
        const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
        const body = (await res.json()) as { data?: { result: Sample[] } };
        return body.data && body.data.result.length > 0 ? body.data.result : undefined;
      },
      25000,
      500,
    );
  }

  it('THEN request series carry service and environment, and unknown routes collapse', async () => {
    const series = await query('http_requests_total{environment="staging"}');
    expect(series).toHaveLength(4);
    for (const s of series) expect(s.metric).toMatchObject({ job: 'app', service: 'anvila-api', environment: 'staging' });
    expect(series.map((s) => `${s.metric.route} ${s.metric.status}`).sort()).toEqual([
      '/items/{item_id} 200',
      'unmatched 200',
      'unmatched 404',
      'unmatched 500',
    ]);
  }, 40000);

  it('THEN up and gauges of the target carry service and environment too', async () => {
    for (const expr of ['up{job="app",environment="staging"}', 'http_requests_in_progress{environment="staging"}']) {
      const [sample] = await query(expr);
      expect(sample.metric).toMatchObject({ service: 'anvila-api', environment: 'staging' });
    }
  }, 40000);

  it('THEN series leaving Prometheus carry the platform name and region (external_labels)', async () => {
    await query('up{job="app"}');
    const federated = await (await fetch(`http://127.0.0.1:${promPort}/federate?match[]=${encodeURIComponent('up{job="app"}')}`)).text();
    expect(federated).toMatch(/^up\{[^}]*platform="anvila"[^}]*\}/m);
    expect(federated).toMatch(/^up\{[^}]*region="us-east-1"[^}]*\}/m);
  }, 40000);

  it('GIVEN an app answering without a Content-Type THEN its target is up and its series are stored', async () => {
    const [up] = await query('up{job="app",environment="production"} == 1');
    expect(up.metric).toMatchObject({ service: 'anvila-api', environment: 'production' });
    expect(await query('http_requests_total{environment="production"}')).toHaveLength(4);
  }, 40000);
});
