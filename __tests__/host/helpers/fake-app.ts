import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One running fake app: its port on 127.0.0.1 and how many /health requests it answered. */
export interface FakeApp {
  readonly port: number;
  healthRequests(): number;
  close(): Promise<void>;
}

/**
 * A stand-in for one environment of a service, on 127.0.0.1 (`port`, or a free one): `GET /health` answers 200, `GET /metrics`
 * serves the app contract metrics (http_requests_total{status,route}, the http_request_duration_seconds histogram
 * with `buckets`, http_requests_in_progress). Every /health request counts as traffic, so the blackbox probe keeps
 * the request counters moving; a little earlier traffic (one 5xx among them) is recorded at start.
 */
export async function startFakeApp(buckets: readonly number[], port = 0): Promise<FakeApp> {
  const registry = new Registry();
  const requests = new Counter({ name: 'http_requests_total', help: 'Requests answered.', labelNames: ['status', 'route'], registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request.',
    labelNames: ['status', 'route'],
    buckets: [...buckets],
    registers: [registry],
  });
  const inProgress = new Gauge({ name: 'http_requests_in_progress', help: 'Requests being answered.', registers: [registry] });
  const record = (route: string, status: string, seconds: number) => {
    requests.inc({ route, status });
    duration.observe({ route, status }, seconds);
  };
  for (let i = 0; i < 20; i++) record('/items/{item_id}', '200', 0.02 + i * 0.01);
  record('/items/{item_id}', '500', 0.3);

  let health = 0;
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
      return;
    }
    const started = process.hrtime.bigint();
    inProgress.inc();
    const route = req.url === '/health' ? '/health' : 'none';
    const status = route === '/health' ? 200 : 404;
    if (status === 200) health++;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok\n' : 'not found\n');
    inProgress.dec();
    record(route, String(status), Number(process.hrtime.bigint() - started) / 1e9);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    healthRequests: () => health,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
