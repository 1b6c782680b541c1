/**
 * Every PromQL query of every dashboard (panels, annotations, variable selectors), with variables substituted,
 * is accepted by the pinned Prometheus (scripts/oracles.sh) started on 127.0.0.1 for this test: a query the official
 * grammar accepts but this Prometheus version does not would fail here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDashboards } from '../../lib/dashboards';
import { sampleVariableValues } from '../../lib/grafana/dashboard-checks';
import { dashboardQueries, substituteVariables } from '../../lib/grafana/dashboard-queries';
import type { DashboardKey } from '../../lib/contracts/dashboards';
import { TRACES_TO_METRICS_QUERIES } from '../../lib/grafana/data-sources';
import { grafanaTestConfig } from './fixtures';
import { freePort, waitFor } from '../../bench/processes';

function waitReady(url: string, process: ChildProcess, timeoutMs: number): Promise<true> {
  return waitFor(
    `prometheus at ${url}`,
    async () => {
      if (process.exitCode !== null) throw new Error(`prometheus exited with ${process.exitCode}`);
      return (await fetch(url)).ok ? true : undefined;
    },
    timeoutMs,
  );
}

describe('a real Prometheus accepts every dashboard query', () => {
  const dir = mkdtempSync(join(tmpdir(), 'grafana-prom-'));
  let prometheus: ChildProcess | undefined;
  let base = '';
  let log = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\n');
    prometheus = spawn(
      'prometheus',
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (chunk) => (log += chunk));
    prometheus.stderr?.on('data', (chunk) => (log += chunk));
    try {
      await waitReady(`${base}/-/ready`, prometheus, 20000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${log.slice(-2000)}`, { cause: error });
    }
  }, 30000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      const timer = setTimeout(() => prometheus!.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each query without error', async () => {
    const config = grafanaTestConfig();
    const values = sampleVariableValues(config);
    const dashboards = buildDashboards(config);
    const queries = (Object.keys(dashboards) as DashboardKey[]).flatMap((key) =>
      dashboardQueries(key, dashboards[key])
        .filter((q) => q.language === 'promql')
        .map((q) => ({ where: `${key} ${q.location} ${q.refId}`, expr: substituteVariables(q.expr, values) })),
    );
    for (const { name, query } of TRACES_TO_METRICS_QUERIES)
      queries.push({ where: `tempo tracesToMetrics ${name}`, expr: substituteVariables(query, { __tags: 'service="anvila-api"' }) });
    expect(queries.length).toBeGreaterThan(80);
    const failures: string[] = [];
    for (const { where, expr } of queries) {
      const response = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query: expr }).toString()}`);
      const body = (await response.json()) as { status: string; error?: string };
      if (body.status !== 'success') failures.push(`${where}: ${expr}: ${body.error}`);
    }
    expect(failures).toEqual([]);
  }, 30000);

  it('rejects a broken query (the check can fail)', async () => {
    const response = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query: 'sum(rate(up[1m])' }).toString()}`);
    expect(((await response.json()) as { status: string }).status).toBe('error');
  });
});
