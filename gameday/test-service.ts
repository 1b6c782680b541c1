import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';
import { SLI_METRICS } from '../lib/slo/sli';

/**
 * The game-day test service: a small HTTP app on 127.0.0.1 whose root endpoint can be made slow or failing on
 * demand, with the request metrics the platform's SLOs read (`http_requests_total{status}`,
 * `http_request_duration_seconds` with the SLO thresholds among its buckets) on /metrics via prom-client.
 *
 * - `GET /` (and `/health`): answers 200 `ok`, or 503 for a share `errorRate` of requests, after `latencyMs`;
 * - `GET /metrics`: Prometheus exposition;
 * - `GET /control`: the current faults as JSON; `POST /control?latencyMs=2000&errorRate=0.5`: sets them
 *   (missing parameters keep their value; `POST /control?reset` clears both; `forSeconds=N` clears them by
 *   itself after N seconds, so a fault outlives no forgotten game day). This is the control contract the
 *   operator script gameday/operator/latency-toggle.sh speaks to a staging app.
 */
export interface Faults {
  latencyMs: number;
  errorRate: number;
}

export class GamedayTestService {
  readonly registry = new Registry();
  readonly faults: Faults = { latencyMs: 0, errorRate: 0 };
  private server?: Server;
  private readonly requests: Counter<'status'>;
  private readonly duration: Histogram<string>;
  private served = 0;
  private revert?: NodeJS.Timeout;
  port = 0;

  /** `latencyThresholds`: bucket boundaries the SLOs read (seconds); a default ladder is added. */
  constructor(latencyThresholds: readonly number[] = []) {
    const buckets = [...new Set([0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, ...latencyThresholds])].sort((a, b) => a - b);
    this.requests = new Counter({ name: SLI_METRICS.requests, help: 'Requests served, by status.', labelNames: ['status'], registers: [this.registry] });
    this.duration = new Histogram({
      name: SLI_METRICS.durationCount.replace(/_count$/, ''),
      help: 'Request duration in seconds.',
      buckets,
      registers: [this.registry],
    });
    // series exist from the start, so rate() sees the first 5xx as an increase
    this.requests.inc({ status: '200' }, 0);
    this.requests.inc({ status: '503' }, 0);
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  set(faults: Partial<Faults>): void {
    if (faults.latencyMs !== undefined) this.faults.latencyMs = Math.max(0, faults.latencyMs);
    if (faults.errorRate !== undefined) this.faults.errorRate = Math.min(1, Math.max(0, faults.errorRate));
  }

  async stop(): Promise<void> {
    clearTimeout(this.revert);
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': this.registry.contentType }).end(await this.registry.metrics());
      return;
    }
    if (url.pathname === '/control') {
      if (req.method === 'POST') {
        if (url.searchParams.has('reset')) this.set({ latencyMs: 0, errorRate: 0 });
        const number = (name: string) => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : undefined);
        const latencyMs = number('latencyMs');
        const errorRate = number('errorRate');
        if ((latencyMs !== undefined && !Number.isFinite(latencyMs)) || (errorRate !== undefined && !Number.isFinite(errorRate))) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('latencyMs and errorRate must be numbers\n');
          return;
        }
        this.set({ latencyMs, errorRate });
        const forSeconds = number('forSeconds');
        clearTimeout(this.revert);
        if (forSeconds !== undefined && Number.isFinite(forSeconds) && forSeconds > 0) {
          this.revert = setTimeout(() => this.set({ latencyMs: 0, errorRate: 0 }), forSeconds * 1000);
          this.revert.unref();
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(this.faults)}\n`);
      return;
    }
    if (url.pathname !== '/' && url.pathname !== '/health') {
      res.writeHead(404).end();
      return;
    }
    const started = process.hrtime.bigint();
    const { latencyMs, errorRate } = this.faults;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    // failures spread evenly: every 1/errorRate-th request fails
    this.served += 1;
    const failing = errorRate > 0 && Math.floor(this.served * errorRate) > Math.floor((this.served - 1) * errorRate);
    const status = failing ? 503 : 200;
    this.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    this.requests.inc({ status: String(status) });
    res.writeHead(status, { 'content-type': 'text/plain' }).end(failing ? 'injected failure\n' : 'ok\n');
  }
}
