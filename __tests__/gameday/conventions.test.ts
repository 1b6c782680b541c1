import { validatePlatformConfig } from '../../lib/config/loader';
import { runScenarios } from '../../lib/gameday/runner';
import { gamedayScenarios } from '../../lib/gameday/scenarios';
import { DEFAULT_CONFIG } from '../prometheus/promtool-harness';
import { expectAllPassed } from './support';

/**
 * Game days for services of the other metric conventions: the world writes their requests and durations in the
 * names their convention reads (opentelemetry: the duration histogram's _count by http_response_status_code;
 * explicit: the spelled-out names under their job), so their error spikes and latency degradations are played
 * and checked against the real rule files like those of a prometheus-client service.
 */
const raw = structuredClone(DEFAULT_CONFIG) as any;
raw.services.push(
  {
    name: 'checkout',
    team: 'payments',
    metricConvention: 'opentelemetry',
    environments: [{ name: 'production', probeUrl: 'https://checkout.example/health' }],
    slos: [
      { name: 'requests', objective: 99.5, sli: 'errors' },
      { name: 'latency', objective: 99, sli: { latency: { threshold: 0.25 } } },
    ],
  },
  {
    name: 'ledger',
    metricConvention: { requests: 'rpc_calls_total', statusLabel: 'code', durationHistogram: 'rpc_call_seconds', matchers: 'job="ledger-metrics"' },
    environments: [{ name: 'production', probeUrl: 'https://ledger.example/health' }],
    slos: [{ name: 'requests', objective: 99.5, sli: 'errors' }],
  },
);
const config = validatePlatformConfig(raw, 'config/platform.yaml');
const OTHER_CONVENTIONS = ['error-spike/checkout/production', 'latency-degradation/checkout/production', 'error-spike/ledger/production'];

describe('game days of services of the opentelemetry and explicit conventions', () => {
  const scenarios = gamedayScenarios(config).filter((scenario) => OTHER_CONVENTIONS.includes(scenario.name));

  it('GIVEN an opentelemetry and an explicit service without a metricsTarget THEN each gets its error spike, and the latency SLO its degradation', () => {
    expect(scenarios.map((s) => s.name).sort()).toEqual([...OTHER_CONVENTIONS].sort());
    const spike = scenarios.find((s) => s.name === 'error-spike/checkout/production')!;
    // App5xxRatioHigh and the SLO's page, with the service's team
    expect(spike.mustFire.map((f) => [f.alertname, f.labels.team])).toEqual([
      ['App5xxRatioHigh', 'payments'],
      ['SLOBurnRateFast', 'payments'],
    ]);
    // the world speaks the convention: the opentelemetry histogram's count by status, the explicit names under their job
    expect(
      spike.input.some((s) => s.series.startsWith('http_server_request_duration_seconds_count{') && s.series.includes('http_response_status_code="500"')),
    ).toBe(true);
    expect(
      scenarios.find((s) => s.name === 'error-spike/ledger/production')!.input.some((s) => s.series.startsWith('rpc_calls_total{job="ledger-metrics"')),
    ).toBe(true);
  });

  it('WHEN they run through promtool against the real rule files THEN they pass', () => {
    expectAllPassed(runScenarios(config, scenarios));
  });
});
