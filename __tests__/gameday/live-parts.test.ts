import * as yaml from 'js-yaml';
import { compressDuration, compressExpr, compressRuleFile, mergeRuleFiles } from '../../gameday/compress';
import { parseExposition } from '../../lib/gameday/deployment-failure';
import { GamedayTestService } from '../../gameday/test-service';
import { renderedRuleFile } from '../alerting/live-stack';
import { CONTEXT, defaultConfig } from '../alerting/support';

describe('time compression of the rendered rules (live game days)', () => {
  it('divides ranges, subqueries and `for` by the factor and leaves everything else alone', () => {
    expect(compressDuration('5m', 60)).toBe('5s');
    expect(compressDuration('5m', 40)).toBe('7500ms');
    expect(compressDuration('30d', 60)).toBe('43200s');
    expect(compressDuration('0s', 60)).toBe('0s');
    expect(compressExpr('avg_over_time(probe_success{job="x"}[5m]) < 0.5 and rate(a[1h]) > 0 or max_over_time(b[30m:1m]) > 1', 60)).toBe(
      'avg_over_time(probe_success{job="x"}[5s]) < 0.5 and rate(a[60s]) > 0 or max_over_time(b[30s:1s]) > 1',
    );
    expect(() => compressDuration('5 minutes', 60)).toThrow('not a Prometheus duration');
  });

  it('GIVEN the rendered SLO and probe rule files THEN only durations change, rule by rule', () => {
    const config = defaultConfig();
    const original = renderedRuleFile(config, CONTEXT, 'slo');
    type Doc = { groups: Array<{ name: string; rules: Array<Record<string, unknown>> }> };
    const before = (yaml.load(original) as Doc).groups.flatMap((g) => g.rules);
    const after = (yaml.load(compressRuleFile(original, 60)) as Doc).groups.flatMap((g) => g.rules);
    expect(after).toHaveLength(before.length);
    after.forEach((rule, i) => {
      const strip = (r: Record<string, unknown>) => ({ ...r, expr: String(r.expr).replace(/\[[^\]]+\]/g, '[]'), for: undefined });
      expect(strip(rule)).toEqual(strip(before[i]));
      expect(String(rule.expr)).not.toMatch(/\[\d+[mhdw]\]/);
    });
    const probes = renderedRuleFile(config, CONTEXT, 'probes');
    const merged = yaml.load(mergeRuleFiles([original, probes])) as Doc;
    // the default config's team makes probes.yml start with the services' routing labels, then its alerts
    expect((yaml.load(probes) as Doc).groups.map((g) => g.name)).toEqual(['service-alert-labels', 'probes']);
    expect(merged.groups.map((g) => g.name)).toEqual([...(yaml.load(original) as Doc).groups.map((g) => g.name), 'service-alert-labels', 'probes']);
  });
});

describe('the game-day test service', () => {
  const app = new GamedayTestService([0.5]);
  beforeAll(() => app.start());
  afterAll(() => app.stop());
  const control = async (query: string) => (await fetch(`http://127.0.0.1:${app.port}/control?${query}`, { method: 'POST' })).json();
  const metrics = async () => parseExposition(await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text());
  const value = (samples: Awaited<ReturnType<typeof metrics>>, name: string, labels: Record<string, string> = {}) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  it('GIVEN injected latency and errors THEN its metrics show them in the SLO buckets and the status counter', async () => {
    expect(await control('latencyMs=600&errorRate=0.5')).toEqual({ latencyMs: 600, errorRate: 0.5 });
    const statuses = await Promise.all([1, 2].map(async () => (await fetch(app.url)).status));
    expect(statuses.sort()).toEqual([200, 503]);
    const after = await metrics();
    expect(value(after, 'http_requests_total', { status: '503' })).toBe(1);
    expect(value(after, 'http_requests_total', { status: '200' })).toBe(1);
    // both took longer than the 0.5 s threshold bucket the latency SLO reads
    expect(value(after, 'http_request_duration_seconds_bucket', { le: '0.5' })).toBe(0);
    expect(value(after, 'http_request_duration_seconds_count')).toBe(2);

    expect(await control('reset')).toEqual({ latencyMs: 0, errorRate: 0 });
    expect((await fetch(app.url)).status).toBe(200);
    expect(value(await metrics(), 'http_request_duration_seconds_bucket', { le: '0.5' })).toBe(1);
  });

  it('refuses a fault that is not a number, and forSeconds clears the faults by itself', async () => {
    expect((await fetch(`http://127.0.0.1:${app.port}/control?latencyMs=slow`, { method: 'POST' })).status).toBe(400);
    await control('errorRate=1&forSeconds=0.2');
    expect(app.faults.errorRate).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(app.faults).toEqual({ latencyMs: 0, errorRate: 0 });
  });
});
