import { validatePlatformConfig } from '../../lib/config/loader';
import { renderRuleFiles } from '../../lib/prometheus/rule-files';
import { BURN_RATE_TIERS, planBurnRateTiers } from '../../lib/slo/burn-rate';
import { CONTEXT, DEFAULT_CONFIG } from '../prometheus/promtool-harness';
import { compilePlatform } from '../../lib/model/compile';

function withObjective(objective: number) {
  const raw = structuredClone(DEFAULT_CONFIG) as unknown as { services: { slos: { objective: number }[] }[] };
  raw.services[0].slos[0].objective = objective;
  return validatePlatformConfig(raw);
}

describe('burn-rate tiers', () => {
  it('GIVEN the default tiers THEN they are the workbook pairs with the 3x tier', () => {
    expect(BURN_RATE_TIERS.map((t) => [t.alert, t.longWindow, t.shortWindow, t.factor])).toEqual([
      ['SLOBurnRateFast', '1h', '5m', 14.4],
      ['SLOBurnRateFast', '6h', '30m', 6],
      ['SLOBurnRateSlow', '1d', '2h', 3],
      ['SLOBurnRateSlow', '3d', '6h', 1],
    ]);
  });

  it('GIVEN 99.5% and 95% THEN every factor is reachable and kept', () => {
    for (const objective of [99.5, 95]) {
      const plan = planBurnRateTiers(objective);
      expect(plan.notes).toEqual([]);
      expect(plan.tiers.map((t) => t.factor)).toEqual([14.4, 6, 3, 1]);
    }
    expect(planBurnRateTiers(99.5).tiers[0].errorRatioThreshold).toBe(0.072);
  });

  it('GIVEN 90% (at most 10x) THEN 14.4x is lowered to 9x and the plan says so', () => {
    const plan = planBurnRateTiers(90, 'services[0].slos[0] (anvila-api/availability)');
    expect(plan.tiers.map((t) => t.factor)).toEqual([9, 6, 3, 1]);
    expect(plan.tiers[0]).toMatchObject({ requestedFactor: 14.4, adjusted: true });
    expect(plan.notes).toHaveLength(1);
    expect(plan.notes[0]).toMatch(
      /services\[0\]\.slos\[0\] \(anvila-api\/availability\).*14\.4x over 1h\/5m can never be reached.*10x.*alerting at 9x instead/,
    );
  });

  it('GIVEN 80% (at most 5x) THEN both fast factors are lowered to 4.5x', () => {
    expect(planBurnRateTiers(80).tiers.map((t) => t.factor)).toEqual([4.5, 4.5, 3, 1]);
    expect(planBurnRateTiers(80).notes).toHaveLength(2);
  });

  it('GIVEN a config with a 90% SLO THEN synth reports it and writes the note into slo.yml', () => {
    expect(compilePlatform(DEFAULT_CONFIG).burnRateNotes).toEqual([]);
    const config = withObjective(90);
    expect(compilePlatform(config).burnRateNotes).toHaveLength(1);
    const slo = renderRuleFiles(compilePlatform(config), CONTEXT).find((f) => f.path === '/etc/prometheus/rules/slo.yml');
    expect(slo?.content).toMatch(/^# NOTE: services\[0\]\.slos\[0\].*alerting at 9x instead/m);
    expect(slo?.content).toContain('slo:sli_error:ratio_rate1h{service="anvila-api",slo="availability"} / 0.1 > 9 and');
    expect(slo?.content).not.toContain('/ 0.1 > 14.4');
  });
});
