import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { renderAgentOtelcolConfig } from '../../lib/agent/agent-otelcol';
import { DEFAULT_LATENCY_BUCKETS } from '../../lib/config/schema';
import { PORTS } from '../../lib/contracts/ports';
import { UNMATCHED_ROUTE } from '../../lib/prometheus/scrape-config';
import { SLI_METRICS } from '../../lib/slo/sli';
import { APP_CONTRACT_METRICS, OTEL_APP_CONTRACT_METRICS } from '../../lib/grafana/metric-catalog';
import { METRIC_CONVENTIONS } from '../../lib/slo/conventions';
import { agentConfig, targetOf } from './fixtures';

/** docs/instrumenting-your-app.md names the contract the code enforces; this keeps them from drifting apart. */
const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'instrumenting-your-app.md'), 'utf8');
const HISTOGRAM_SUFFIXES = /_(bucket|count|sum)$/;

describe('docs/instrumenting-your-app.md', () => {
  test('names every metric the SLIs read, and the in-progress gauge the dashboards read', () => {
    for (const name of [SLI_METRICS.requests, SLI_METRICS.durationBucket.replace(HISTOGRAM_SUFFIXES, ''), 'http_requests_in_progress'])
      expect(DOC).toContain(`\`${name}\``);
  });

  test('names every series and label the opentelemetry convention reads, and the config key that selects it', () => {
    const otel = METRIC_CONVENTIONS.opentelemetry;
    for (const name of [otel.durationHistogram, otel.statusLabel, otel.inProgress]) expect(DOC).toContain(`\`${name}\``);
    expect(otel.requests).toBe(`${otel.durationHistogram}_count`);
    expect(DOC).toContain('`metricConvention: opentelemetry`');
  });

  test("every http_* metric it mentions is in the app contract of the dashboards' metric catalog", () => {
    const known = new Set<string>([...APP_CONTRACT_METRICS, ...OTEL_APP_CONTRACT_METRICS]);
    // the semantic-convention labels the doc names are labels, not metrics
    const labels = new Set<string>([METRIC_CONVENTIONS.opentelemetry.statusLabel, 'http_route']);
    const mentioned = new Set([...DOC.matchAll(/\bhttp_[a-z_]+\b/g)].map((m) => m[0]).filter((name) => !labels.has(name)));
    expect(mentioned.size).toBeGreaterThanOrEqual(3);
    for (const name of mentioned)
      expect({ name, known: known.has(name) || known.has(`${name.replace(HISTOGRAM_SUFFIXES, '')}_bucket`) }).toEqual({ name, known: true });
  });

  test("gives the default bucket boundaries exactly, in the examples' code too", () => {
    const list = DEFAULT_LATENCY_BUCKETS.join(', ');
    expect(DOC).toContain(`\n${list}\n`);
    expect(DOC).toContain(`LATENCY_BUCKETS = (${list})`);
    expect(DOC).toContain(`LATENCY_BUCKETS = [${list}]`);
  });

  test("points the SDK at the agent's loopback OTLP ports, as the agent's collector listens", () => {
    const otlp = (load(renderAgentOtelcolConfig(agentConfig(), targetOf(agentConfig(), 'anvila-api-production'))) as any).receivers.otlp.protocols;
    expect(otlp.grpc.endpoint).toBe(`127.0.0.1:${PORTS.otlpGrpc}`);
    expect(DOC).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT=http://${otlp.grpc.endpoint}`);
    expect(DOC).toContain(`http://${otlp.http.endpoint}`);
    expect(DOC).toContain(`127.0.0.1:${PORTS.otelcolHealth}`);
  });

  test('names the unmatched-route value the scrape rewrites to, and the Loki labels the agent produces', () => {
    expect(DOC).toContain(`route="${UNMATCHED_ROUTE}"`);
    expect(DOC).toContain('{service_name="anvila-api", deployment_environment="production"}');
  });
});
