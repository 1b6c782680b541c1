import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePlatform } from '../../lib/model/compile';
import { renderRuleFiles } from '../../lib/prometheus/rule-files';
import { otlpEnvironments } from '../../lib/telemetry/otlp-sources';
import { waitFor, type Daemon } from '../../bench/processes';
import { platformConfig } from '../helpers/platform-fixtures';
import { makeOtlpHostFiles, postOverTls as post, startHostCollector, startRemoteWritePrometheus } from '../helpers/otlp-host';

/**
 * The per-environment series budget, with the pinned collector and Prometheus: GIVEN the rendered host collector
 * (TLS receivers, a token per environment, the pushed-series guards) remote-writing into Prometheus, which loads
 * the rendered rule file holding PushedSeriesOverBudget, and a budget of 20 series per environment
 * (`alerting.thresholds.pushedSeriesPerEnvironment`) WHEN staging pushes 30 series and production 5
 * THEN the alert is active for staging only, with the count as its value.
 * Only listen addresses, ports, the credential paths and the evaluation interval are rewritten; the rule is as rendered.
 */

const BUDGET = 20;
const config = platformConfig((raw) => {
  raw.alerting = { ...(raw.alerting ?? {}), thresholds: { ...(raw.alerting?.thresholds ?? {}), pushedSeriesPerEnvironment: BUDGET } };
});
const [staging, production] = otlpEnvironments(config);
const RUN = `s4_19edge_budget_${process.pid}`;
const nanos = (ms: number) => `${BigInt(ms) * 1000000n}`;

/** `count` series of one gauge, told apart by an unbounded-looking label. */
function manySeries(name: string, count: number): string {
  const dataPoints = Array.from({ length: count }, (_, i) => ({
    asDouble: 1,
    timeUnixNano: nanos(Date.now()),
    attributes: [{ key: 'user_id', value: { stringValue: `user-${i}` } }],
  }));
  return JSON.stringify({ resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [{ metrics: [{ name, gauge: { dataPoints } }] }] }] });
}

describe('live: the per-environment series budget (the pinned collector and Prometheus)', () => {
  const base = mkdtempSync(join(tmpdir(), 'lgtm-s4-19edge-budget-'));
  const daemons: Daemon[] = [];
  const tokens = { [staging.name]: `${RUN}-staging`, [production.name]: `${RUN}-production` };
  const hostPorts: Record<string, number> = {};
  let promPort = 0;
  let ca = '';

  beforeAll(async () => {
    const hostFiles = await makeOtlpHostFiles(config, base, tokens);
    ca = hostFiles.ca;
    const rules = renderRuleFiles(compilePlatform(config), { grafanaUrl: 'https://grafana.example.com' }).find((file) =>
      file.content.includes('alert: PushedSeriesOverBudget'),
    );
    if (!rules) throw new Error('no rendered rule file holds PushedSeriesOverBudget');
    writeFileSync(join(base, 'rules.yml'), rules.content);
    const prometheus = await startRemoteWritePrometheus(base, {
      global: { scrape_interval: '15s', evaluation_interval: '1s' },
      rule_files: [join(base, 'rules.yml')],
    });
    daemons.push(prometheus.daemon);
    promPort = prometheus.port;
    const host = await startHostCollector(config, base, hostFiles, promPort);
    daemons.push(host.daemon);
    Object.assign(hostPorts, host.httpPorts);
  }, 120000);

  afterAll(async () => {
    for (const daemon of daemons.reverse()) await daemon.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it(`WHEN staging pushes more than ${BUDGET} series and production fewer THEN PushedSeriesOverBudget is active for staging only`, async () => {
    const send = (environment: typeof staging, count: number) =>
      post(
        hostPorts[environment.name],
        '/v1/metrics',
        manySeries(`${RUN}_${environment.name}`, count),
        { authorization: `Bearer ${tokens[environment.name]}` },
        ca,
      );
    expect(await send(staging, BUDGET + 10)).toEqual({ status: 200 });
    expect(await send(production, 5)).toEqual({ status: 200 });
    const active = await waitFor(
      'PushedSeriesOverBudget active',
      async () => {
        const body = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/alerts`)).json()) as {
          data: { alerts: { labels: Record<string, string>; state: string; value: string }[] };
        };
        const alerts = body.data.alerts.filter((a) => a.labels.alertname === 'PushedSeriesOverBudget');
        return alerts.length > 0 ? alerts : undefined;
      },
      90000,
      500,
    );
    expect(active.map((a) => [a.labels.environment, a.state, Number(a.value)])).toEqual([['staging', 'pending', BUDGET + 10]]);
  }, 120000);
});
