import { validatePlatformConfig } from '../../lib/config/loader';
import { SLO_ERROR_RATIO_WINDOWS } from '../../lib/contracts/slo-series';
import { promqlProblems } from '../../lib/promql/validate';
import { sliErrorRatioExpr, sliKind, sloEnvironments } from '../../lib/slo/sli';
import { sloRecordingRules } from '../../lib/slo/slo-rules';
import { DEFAULT_CONFIG } from '../prometheus/promtool-harness';

/** The default config with one more service, `billing`, whose only SLO has the SLI `sli`. */
function withSli(sli: unknown) {
  const raw = structuredClone(DEFAULT_CONFIG) as unknown as { services: unknown[] };
  raw.services.push({
    name: 'billing',
    environments: [
      { name: 'staging', probeUrl: 'https://staging.billing.example/health' },
      { name: 'production', probeUrl: 'https://billing.example/health' },
    ],
    slos: [{ name: 'custom', objective: 99.5, sli }],
  });
  return raw;
}

function rejection(sli: unknown): string {
  try {
    validatePlatformConfig(withSli(sli), 'config/platform.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(sli)}`);
}

function billingSlo(sli: unknown) {
  const config = validatePlatformConfig(withSli(sli));
  const service = config.services[1];
  return { service, slo: service.slos[0] };
}

const RATIO = { errors: 'rate(rpc_requests_total{code="error"}[{{window}}])', total: 'rate(rpc_requests_total[{{window}}])' };
const AT = 'config/platform.yaml: services[1].slos[0].sli';

describe('user-named SLIs: what the config accepts', () => {
  it.each<[string, unknown, string]>([
    [
      'a ratio query without {{window}}',
      { ratio: { ...RATIO, total: 'rate(rpc_requests_total[5m])' } },
      `${AT}.ratio.total: found "rate(rpc_requests_total[5m])"; expected a PromQL query with {{window}} as its range, e.g. rate(rpc_requests_total{code="error"}[{{window}}])`,
    ],
    [
      'a ratio query PromQL rejects',
      { ratio: { ...RATIO, errors: 'rate(x[{{window}}]) +' } },
      `${AT}.ratio.errors: found "rate(x[{{window}}]) +"; expected a valid PromQL query (with {{window}} as 5m: syntax error at offset 13: "e(x[5m]) +"; binary expression must contain only scalar and instant vector types (at ""))`,
    ],
    [
      'a ratio with both errors and good',
      { ratio: { ...RATIO, good: RATIO.total } },
      `${AT}.ratio: found a mapping; a ratio SLI takes exactly one of errors or good, and total`,
    ],
    [
      'a ratio with neither errors nor good',
      { ratio: { total: RATIO.total } },
      `${AT}.ratio: found a mapping; a ratio SLI takes exactly one of errors or good, and total`,
    ],
    [
      'a classic user histogram without buckets',
      { latency: { threshold: 0.3, metric: 'rpc_seconds' } },
      `${AT}.latency.buckets: found nothing; a classic histogram's threshold must be a bucket boundary: list the boundaries of rpc_seconds in buckets, or set native: true for a native histogram`,
    ],
    [
      'a threshold between buckets',
      { latency: { threshold: 0.3, metric: 'rpc_seconds', buckets: [1, 0.1] } },
      `${AT}.latency.threshold: found number 0.3; the threshold must be a bucket boundary of rpc_seconds; its boundaries (services[1].slos[0].sli.latency.buckets) are 0.1, 1`,
    ],
    [
      'buckets on a native histogram',
      { latency: { threshold: 0.3, native: true, buckets: [0.1] } },
      `${AT}.latency.buckets: found a list of 1; a native histogram has no fixed buckets: drop buckets, or set native: false`,
    ],
    [
      'a metric name with a dash',
      { boolGauge: { metric: 'queue-ok' } },
      `${AT}.boolGauge.metric: found "queue-ok"; expected the name of a 0/1 gauge: letters, digits, _ and :, not starting with a digit`,
    ],
    [
      'matchers that close the selector',
      { boolGauge: { metric: 'ok', matchers: 'a="b"} or vector(1) or m{x="y"' } },
      `${AT}.boolGauge.matchers: found "a=\\"b\\"} or vector(1) or m{x=\\"y\\""; expected label matchers such as route!="/health",method="GET": label op "value", separated by commas`,
    ],
    [
      'a matcher on service',
      { boolGauge: { metric: 'ok', matchers: 'service="other"' } },
      `${AT}.boolGauge.matchers: found "service=\\"other\\""; expected matchers on labels other than service: synth selects the service's own series already`,
    ],
  ])('GIVEN %s THEN synth refuses it, naming the file, the path, what was found and what is allowed', (_, sli, message) => {
    expect(rejection(sli)).toBe(message);
  });

  it('GIVEN a native histogram THEN the threshold need not be a bucket boundary', () => {
    expect(billingSlo({ latency: { threshold: 0.3, native: true } }).slo.sli).toEqual({ latency: { threshold: 0.3, native: true } });
  });
});

describe('user-named SLIs: the error ratio they record', () => {
  it('GIVEN a ratio of errors over total THEN each window is filled in, summed by (service, environment), with 0 when nothing failed', () => {
    const { service, slo } = billingSlo({ ratio: RATIO });
    expect(sliKind(slo)).toBe('ratio');
    expect(sliErrorRatioExpr(service, slo, '30m')).toBe(
      '(sum by (service, environment) (rate(rpc_requests_total{code="error"}[30m])) or 0 * sum by (service, environment) (rate(rpc_requests_total[30m]))) / sum by (service, environment) (rate(rpc_requests_total[30m]))',
    );
  });

  it('GIVEN a ratio of good over total THEN the error ratio is one minus it', () => {
    const { service, slo } = billingSlo({ ratio: { good: 'rate(jobs_total{outcome="done"}[{{window}}])', total: 'rate(jobs_total[{{window}}])' } });
    expect(sliErrorRatioExpr(service, slo, '1h')).toBe(
      '1 - sum by (service, environment) (rate(jobs_total{outcome="done"}[1h])) / sum by (service, environment) (rate(jobs_total[1h]))',
    );
  });

  it('GIVEN a classic user histogram THEN it reads the threshold bucket and the count of that histogram, for the service, with the extra matchers', () => {
    const { service, slo } = billingSlo({ latency: { threshold: 1, metric: 'rpc_seconds', buckets: [0.5, 1], matchers: 'route!="/health"' } });
    expect(sliErrorRatioExpr(service, slo, '5m')).toBe(
      '1 - sum by (service, environment) (rate(rpc_seconds_bucket{service="billing",le=~"1|1\\\\.0",route!="/health"}[5m])) / sum by (service, environment) (rate(rpc_seconds_count{service="billing",route!="/health"}[5m]))',
    );
  });

  it('GIVEN a native histogram THEN histogram_fraction up to the threshold is the good share; the built-in name stays on the app job', () => {
    const named = billingSlo({ latency: { threshold: 0.3, metric: 'rpc_seconds', native: true } });
    expect(sliErrorRatioExpr(named.service, named.slo, '5m')).toBe(
      '1 - histogram_fraction(0, 0.3, sum by (service, environment) (rate(rpc_seconds{service="billing"}[5m])))',
    );
    const builtIn = billingSlo({ latency: { threshold: 0.3, native: true } });
    expect(sliErrorRatioExpr(builtIn.service, builtIn.slo, '5m')).toBe(
      '1 - histogram_fraction(0, 0.3, sum by (service, environment) (rate(http_request_duration_seconds{job="app",service="billing"}[5m])))',
    );
  });

  it('GIVEN a bool gauge THEN the error ratio is one minus its mean over the window', () => {
    const { service, slo } = billingSlo({ boolGauge: { metric: 'queue_consumer_healthy', matchers: 'queue="invoices"' } });
    expect(sliKind(slo)).toBe('boolGauge');
    expect(sliErrorRatioExpr(service, slo, '6h')).toBe(
      '1 - avg by (service, environment) (avg_over_time(queue_consumer_healthy{service="billing",queue="invoices"}[6h]))',
    );
  });

  it.each<[string, unknown]>([
    ['ratio', { ratio: RATIO }],
    ['classic histogram', { latency: { threshold: 0.5, metric: 'rpc_seconds', buckets: [0.5] } }],
    ['native histogram', { latency: { threshold: 0.3, native: true } }],
    ['bool gauge', { boolGauge: { metric: 'ok' } }],
  ])('GIVEN a %s SLI THEN every recording rule passes the PromQL grammar and every environment gets an objective (data may come by OTLP)', (_, sli) => {
    const { service, slo } = billingSlo(sli);
    const rules = sloRecordingRules(service, slo);
    for (const rule of rules) expect({ record: rule.record, problems: promqlProblems(rule.expr) }).toEqual({ record: rule.record, problems: [] });
    expect(rules.filter((r) => r.record.startsWith('slo:sli_error:ratio_rate')).length).toBe(SLO_ERROR_RATIO_WINDOWS.length);
    expect(sloEnvironments(service, slo)).toEqual(['staging', 'production']);
  });
});
