import { validatePlatformConfig } from '../../lib/config/loader';
import { compilePlatform } from '../../lib/model/compile';
import { sloAlertRules } from '../../lib/slo/slo-rules';
import { series, type InputSeries } from '../../lib/gameday/promtool';
import { CONTEXT, DEFAULT_CONFIG, runPromtoolTests } from '../prometheus/promtool-harness';

/**
 * The low-traffic guard (`minEventRate`) and the expansion of one SLO definition by a label (`expandBy`), under
 * `promtool test rules`. `quiet` serves 0.5 requests a second and guards its SLO at 1; `routes` expands its SLO
 * by route. Both fail completely from minute 60 on.
 */
function config(minEventRate = 1) {
  const raw = structuredClone(DEFAULT_CONFIG) as any;
  const service = (name: string, slo: Record<string, unknown>) => ({
    name,
    environments: [{ name: 'production', probeUrl: `https://${name}.example/health`, metricsTarget: '10.0.3.10:9000' }],
    slos: [{ name: 'requests', objective: 99.5, sli: 'errors', ...slo }],
  });
  raw.services.push(service('quiet', { minEventRate }), service('routes', { expandBy: ['route'] }));
  return validatePlatformConfig(raw, 'config/platform.yaml');
}

const app = (service: string, route: string, status: string) => ({ job: 'app', instance: '10.0.3.10:9000', service, environment: 'production', route, status });
/** A counter growing by `perMinute` each minute for `minutes`; `burst` is one that starts growing at minute 60. */
const counter = (labels: Record<string, string>, perMinute: number, minutes: number): InputSeries => ({
  series: series('http_requests_total', labels),
  values: `0+${perMinute}x${minutes}`,
});
const burst = (labels: Record<string, string>, perMinute: number, minutes: number): InputSeries => ({
  series: series('http_requests_total', labels),
  values: `0x60 0+${perMinute}x${minutes - 60}`,
});

const alertLabels = (service: string, extra: Record<string, string> = {}) => ({
  service,
  environment: 'production',
  slo: 'requests',
  sli: 'errors',
  severity: 'critical',
  ...extra,
});

describe('low-traffic guard and expansion by a label (promtool test rules)', () => {
  it('GIVEN a service below its minimum event rate WHEN every request fails THEN the burn alerts hold; an expanded SLO pages for the failing route only', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'guard and expansion',
          interval: '1m',
          input_series: [
            // quiet: 30 requests a minute (0.5/s), all failing from minute 60
            counter(app('quiet', '/a', '200'), 30, 60),
            burst(app('quiet', '/a', '500'), 30, 90),
            // routes: /pay fails from minute 60, /cart stays healthy
            counter(app('routes', '/pay', '200'), 600, 60),
            burst(app('routes', '/pay', '500'), 600, 90),
            counter(app('routes', '/cart', '200'), 600, 90),
          ],
          alert_rule_test: [{ eval_time: '80m', alertname: 'SLOBurnRateFast', exp_alerts: [{ exp_labels: alertLabels('routes', { route: '/pay' }) }] }],
        },
      ],
      { config: config() },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });

  it('GIVEN the same traffic with the guard below it THEN the quiet service pages too (the guard, not the data, held it)', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'guard lowered',
          interval: '1m',
          input_series: [counter(app('quiet', '/a', '200'), 30, 60), burst(app('quiet', '/a', '500'), 30, 90)],
          alert_rule_test: [{ eval_time: '80m', alertname: 'SLOBurnRateFast', exp_alerts: [{ exp_labels: alertLabels('quiet') }] }],
        },
      ],
      { config: config(0.1) },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });

  it('GIVEN a guard on a probe SLI THEN synth refuses it: probes are samples, not events', () => {
    const raw = structuredClone(DEFAULT_CONFIG) as any;
    raw.services[0].slos[0].minEventRate = 1;
    expect(() => validatePlatformConfig(raw, 'config/platform.yaml')).toThrow(
      'config/platform.yaml: services[0].slos[0].minEventRate: found number 1; a low-traffic guard counts events: probe and boolGauge SLIs take samples, so drop minEventRate here',
    );
  });

  it('GIVEN expandBy THEN the burn alerts join the guard on the expanded labels too', () => {
    const raw = structuredClone(DEFAULT_CONFIG) as any;
    raw.services[0].slos[1].expandBy = ['route'];
    raw.services[0].slos[1].minEventRate = 2;
    const cfg = validatePlatformConfig(raw);
    const [fast] = sloAlertRules(cfg, CONTEXT, cfg.services[0], cfg.services[0].slos[1], compilePlatform(cfg).slos[1].plan);
    expect(fast.expr).toContain(
      ' and on (service, environment, route) sum by (service, environment, route) (rate(http_requests_total{job="app",service="anvila-api"}[1h])) >= 2)',
    );
  });
});
