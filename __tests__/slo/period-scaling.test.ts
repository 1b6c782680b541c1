import { validatePlatformConfig } from '../../lib/config/loader';
import { sloAlertRules, sloRecordingRules } from '../../lib/slo/slo-rules';
import { REFERENCE_PERIOD, planBurnRateTiers } from '../../lib/slo/burn-rate';
import { budgetSpent } from '../../lib/slo/error-budget';
import { promtoolRuleFiles, series, values, type AlertRuleTest, type PromtoolTestCase } from '../../lib/gameday/promtool';
import { diffusedSuccess } from '../../lib/gameday/scenario';
import { BURN_RATE_ALERTS, CONTEXT, DEFAULT_CONFIG, rulesReadBy, runPromtoolTests } from '../prometheus/promtool-harness';
import { compilePlatform } from '../../lib/model/compile';
import type { PlatformConfig, SloConfig } from '../../lib/config/schema';

/** The burn-rate plan the compile stage gives one SLO of the config. */
const planOf = (config: PlatformConfig, slo: SloConfig) => compilePlatform(config).slos.find((compiled) => compiled.slo === slo)!.plan;

/**
 * Burn windows scaled to the SLO's period: each tier spends the same share of the budget over its long window
 * as the 30d reference (2 % in 1h, 5 % in 6h, 10 % in 1d, 10 % in 3d), so a 7d SLO pages after 2 % of its
 * budget, not 8.6 %.
 */

const REFERENCE_SHARES = [0.02, 0.05, 0.1, 0.1];

describe('burn windows and factors scaled to the SLO period', () => {
  it.each<[string, string[][], number[]]>([
    [
      '30d',
      [
        ['1h', '5m'],
        ['6h', '30m'],
        ['1d', '2h'],
        ['3d', '6h'],
      ],
      [14.4, 6, 3, 1],
    ],
    [
      '28d',
      [
        ['56m', '5m'],
        ['5h36m', '28m'],
        ['22h24m', '1h52m'],
        ['2d19h12m', '5h36m'],
      ],
      [14.4, 6, 3, 1],
    ],
    [
      '7d',
      [
        ['14m', '5m'],
        ['1h24m', '7m'],
        ['5h36m', '28m'],
        ['16h48m', '1h24m'],
      ],
      [14.4, 6, 3, 1],
    ],
    // the short window keeps 5m at least and the long one twice that: the factor falls so the share stays 2 %
    [
      '3d',
      [
        ['10m', '5m'],
        ['36m', '5m'],
        ['2h24m', '12m'],
        ['7h12m', '36m'],
      ],
      [8.64, 6, 3, 1],
    ],
    [
      '90d',
      [
        ['3h', '15m'],
        ['18h', '1h30m'],
        ['3d', '6h'],
        ['9d', '18h'],
      ],
      [14.4, 6, 3, 1],
    ],
  ])('GIVEN a %s period THEN the windows scale with it and each tier spends the reference share of the budget', (period, windows, factors) => {
    const { tiers } = planBurnRateTiers(99.5, 'this SLO', period);
    expect(tiers.map((t) => [t.longWindow, t.shortWindow])).toEqual(windows);
    expect(tiers.map((t) => t.factor)).toEqual(factors);
    expect(tiers.map((t) => budgetSpent(t.factor, t.longWindow, period))).toEqual(REFERENCE_SHARES);
    expect(REFERENCE_PERIOD).toBe('30d');
  });

  it('GIVEN no period THEN the plan is the 30d reference (the workbook tiers)', () => {
    expect(planBurnRateTiers(99.5).tiers.map((t) => [t.longWindow, t.factor])).toEqual([
      ['1h', 14.4],
      ['6h', 6],
      ['1d', 3],
      ['3d', 1],
    ]);
  });

  it('GIVEN an unreachable factor on a 7d period THEN it is lowered as on 30d, and the note names the scaled windows', () => {
    const plan = planBurnRateTiers(90, 'services[0].slos[0] (a/b)', '7d');
    expect(plan.tiers.map((t) => t.factor)).toEqual([9, 6, 3, 1]);
    expect(plan.notes[0]).toMatch(/14\.4x over 14m\/5m can never be reached/);
  });

  const config7d = () => {
    const raw = structuredClone(DEFAULT_CONFIG) as any;
    raw.services[0].slos[0].window = '7d';
    return validatePlatformConfig(raw, 'config/platform.yaml');
  };

  it('GIVEN a 7d SLO THEN its rules record the scaled windows and the alerts read them', () => {
    const config = config7d();
    const service = config.services[0];
    const slo = service.slos[0];
    const records = sloRecordingRules(service, slo).map((r) => r.record);
    for (const window of ['14m', '1h24m', '7m', '5h36m', '28m', '16h48m']) expect(records).toContain(`slo:sli_error:ratio_rate${window}`);
    // the dashboard windows stay recorded
    for (const window of ['5m', '1h', '1d', '7d', '30d']) expect(records).toContain(`slo:sli_error:ratio_rate${window}`);
    const fast = sloAlertRules(config, CONTEXT, service, slo, planOf(config, slo)).find((r) => r.alert === 'SLOBurnRateFast')!;
    expect(fast.expr).toContain('slo:sli_error:ratio_rate14m{service="anvila-api",slo="availability"} / 0.005 > 14.4');
    expect(fast.expr).not.toContain('ratio_rate1h{');
    // the 30d SLOs of the same service keep the reference windows
    const other = sloAlertRules(config, CONTEXT, service, service.slos[1], planOf(config, service.slos[1])).find((r) => r.alert === 'SLOBurnRateFast')!;
    expect(other.expr).toContain('ratio_rate1h{service="anvila-api",slo="requests"} / 0.005 > 14.4');
  });

  describe('GIVEN a 7d probe SLO (99.5 %) under promtool test rules', () => {
    const HISTORY = 720;
    const probe = { job: 'blackbox-http', instance: 'https://api.anvila.example/health', service: 'anvila-api', environment: 'production' };
    const labels = (severity: string) => ({
      exp_labels: { service: 'anvila-api', environment: 'production', slo: 'availability', sli: 'probe', team: 'platform', severity },
    });
    const fast = (at: number, firing: boolean): AlertRuleTest => ({
      eval_time: `${at}m`,
      alertname: 'SLOBurnRateFast',
      exp_alerts: firing ? [labels('critical')] : [],
    });
    const slow = (at: number, firing: boolean): AlertRuleTest => ({
      eval_time: `${at}m`,
      alertname: 'SLOBurnRateSlow',
      exp_alerts: firing ? [labels('warning')] : [],
    });
    const run = (test: PromtoolTestCase) => {
      const config = config7d();
      const result = runPromtoolTests([test], { config, files: rulesReadBy(promtoolRuleFiles(config), BURN_RATE_ALERTS) });
      if (result.status !== 0) throw new Error(`promtool test rules failed for "${test.name}":\n${result.output}`);
      expect(result.status).toBe(0);
    };
    const probeInput = (length: number, bad: (m: number) => number) => [
      { series: series('probe_success', probe), values: values(diffusedSuccess(length, bad)) },
    ];

    it('WHEN the probe fails totally THEN it pages within 5 minutes', () => {
      run({
        name: '7d page',
        interval: '1m',
        input_series: probeInput(HISTORY + 11, (m) => (m >= HISTORY ? 1 : 0)),
        alert_rule_test: [fast(HISTORY - 1, false), fast(HISTORY + 5, true)],
      });
    });

    // 50x the sustainable rate: one probe in four fails. The unscaled 1h window crosses 14.4x after 17 minutes
    // (8.6 % of a 7d budget spent); the scaled 14m one after 4 (2 %).
    it('WHEN 50x burns THEN it pages within 10 minutes: over the scaled 14m/5m windows, not the 1h the 30d tiers wait for', () => {
      run({
        name: '7d page on a 2 % spend',
        interval: '1m',
        input_series: probeInput(HISTORY + 30, (m) => (m >= HISTORY && m < HISTORY + 20 ? 0.25 : 0)),
        alert_rule_test: [fast(HISTORY - 1, false), fast(HISTORY + 10, true)],
      });
    });

    it('WHEN 16x burns for 10 minutes (1.6 % of the budget, a blip) THEN nobody is paged and no ticket is opened', () => {
      run({
        name: '7d blip',
        interval: '1m',
        input_series: probeInput(HISTORY + 120, (m) => (m >= HISTORY && m < HISTORY + 10 ? 0.08 : 0)),
        alert_rule_test: [5, 10, 15, 30, 60, 119].flatMap((t) => [fast(HISTORY + t, false), slow(HISTORY + t, false)]),
      });
    });

    it('WHEN 2x burns for 18 hours THEN the 1x tier (16h48m/1h24m) opens a ticket within 10 hours, where the 3d window would wait 12, and nobody is paged', () => {
      run({
        name: '7d ticket',
        interval: '1m',
        input_series: probeInput(HISTORY + 1081, (m) => (m >= HISTORY ? 0.01 : 0)),
        alert_rule_test: [
          slow(HISTORY + 300, false),
          slow(HISTORY + 600, true),
          slow(HISTORY + 1080, true),
          fast(HISTORY + 600, false),
          fast(HISTORY + 1080, false),
        ],
      });
    });

    it('WHEN a 20-minute total outage ends THEN the page resolves within 10 minutes (the 30d tiers hold it for half an hour: their 30m short window)', () => {
      const end = HISTORY + 20;
      run({
        name: '7d recovery',
        interval: '1m',
        input_series: probeInput(end + 30, (m) => (m >= HISTORY && m < end ? 1 : 0)),
        alert_rule_test: [fast(end - 1, true), fast(end + 10, false)],
      });
    });
  });
});
