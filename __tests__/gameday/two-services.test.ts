import { planBurnRateTiers } from '../../lib/slo/burn-rate';
import { runScenarios } from '../../lib/gameday/runner';
import { gamedayScenarios } from '../../lib/gameday/scenarios';
import { HISTORY_MINUTES } from '../../lib/gameday/service-outage';
import { TWO_SERVICES_FILE, expectAllPassed, loadConfig } from './support';

const config = loadConfig(TWO_SERVICES_FILE);
const scenarios = gamedayScenarios(config);

describe('game days of two-services.yaml (checkout 99.9/99.9/95, search 90% latency in two environments)', () => {
  it('GIVEN two services THEN each gets its outages, spikes, degradations and slow burns per environment and SLO', () => {
    const names = scenarios.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'service-outage/checkout/production',
        'service-outage/search/canary',
        'error-spike/search/canary',
        'latency-degradation/checkout/production',
        'latency-degradation/search/production',
        'latency-degradation/search/canary',
        'slow-burn/checkout/production/fast',
        'slow-burn/search/canary/latency',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it('GIVEN the 90% latency SLO whose 14.4x tier is lowered THEN its deadline follows the planned tier, not 14.4x', () => {
    // the SLO's period is 7d: its fast tier reads 14m/5m (scaled from 1h/5m of the 30d reference)
    const tiers = planBurnRateTiers(90, undefined, '7d').tiers;
    expect(tiers[0]).toEqual(expect.objectContaining({ alert: 'SLOBurnRateFast', longWindow: '14m', adjusted: true, factor: 9 }));
    const degradation = scenarios.find((s) => s.name === 'latency-degradation/search/production')!;
    const fast = degradation.mustFire.find((f) => f.alertname === 'SLOBurnRateFast')!;
    expect(fast.labels).toEqual({ service: 'search', environment: 'production', slo: 'latency', sli: 'latency', severity: 'critical' });
    // an error ratio above 0.9 over the whole 14m window takes most of it to build up (14.4x would be unreachable)
    expect(fast.by - HISTORY_MINUTES).toBeGreaterThan(11);
    expect(fast.by - HISTORY_MINUTES).toBeLessThan(30);
  });

  it('GIVEN two-services.yaml WHEN every scenario runs through promtool against its real rule files THEN all pass', () => {
    expectAllPassed(runScenarios(config, scenarios));
  });
});
