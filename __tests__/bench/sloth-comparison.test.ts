import { realpathSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { alertQualityConfig } from '../../bench/alert-quality';
import {
  comparisonScenarios,
  countRules,
  OUR_ROLES,
  pageTicketTimeline,
  scenarioSeries,
  slothBinary,
  slothRules,
  slothSpec,
  SLOTH_ROLES,
} from '../../bench/sloth-comparison';
import { SLOTH_VERSION } from '../../bench/sloth-pin';
import { promtoolRuleFiles } from '../../lib/gameday/promtool';
import { renderRuleFile } from '../../lib/prometheus/rule-files';
import type { RuleFile } from '../../lib/promql/rule-types';
import { errorsSliRates } from '../../lib/slo/sli';

interface SlothSpec {
  version: string;
  service: string;
  slos: { name: string; objective: number; sli: { events: { error_query: string; total_query: string } } }[];
}

const config = alertQualityConfig();
const service = config.services[0];
const slo = service.slos[0];
const fullOutage = comparisonScenarios(slo.objective)[0];
/** Short runs: a full outage pages within minutes, so an hour of history and 40 watched minutes show it. */
const SHORT = { history: 60, watch: 40 } as const;

describe('the sloth comparison (bench/sloth-comparison.ts)', () => {
  it("GIVEN the compared SLO THEN sloth's spec carries its objective, and the 5xx and total queries the platform records its error ratio from", () => {
    const spec = yaml.load(slothSpec(config)) as SlothSpec;
    expect(spec.version).toBe('prometheus/v1');
    expect(spec.service).toBe(service.name);
    expect(spec.slos).toHaveLength(1);
    expect(spec.slos[0].name).toBe(slo.name);
    expect(spec.slos[0].objective).toBe(slo.objective);
    const rates = errorsSliRates(service, slo, '5m');
    const { error_query, total_query } = spec.slos[0].sli.events;
    expect(error_query.split('{{.window}}').join('5m')).toBe(rates.bad);
    expect(total_query.split('{{.window}}').join('5m')).toBe(rates.total);
    // the same text is in what the platform renders for the 5m window, so both tools read the same series
    const rendered = promtoolRuleFiles(config).map(renderRuleFile).join('\n');
    expect(rendered).toContain(rates.bad);
    expect(rendered).toContain(rates.total);
  });

  it('GIVEN the three scenarios THEN only the incident minutes add failures, 2x burn failing twice the error budget', () => {
    const [, twice, blip] = comparisonScenarios(99.5);
    expect(twice).toEqual({ name: '2x burn for 6 h', minutes: 360, errorRatio: 0.01 });
    const { ok, failed } = scenarioSeries(twice, 10, 400);
    expect(failed[10]).toBe(0);
    expect(failed[11] - failed[10]).toBe(6);
    expect(ok[11] - ok[10]).toBe(594);
    expect(failed[370] - failed[369]).toBe(6);
    expect(failed[371] - failed[370]).toBe(0);
    const b = scenarioSeries(blip, 10, 5);
    expect(b.failed.slice(10)).toEqual([0, 600, 1200, 1200, 1200, 1200]);
  });

  describe('GIVEN sloth built by scripts/oracles.sh', () => {
    let sloth: RuleFile;
    beforeAll(() => {
      sloth = slothRules(slothSpec(config), slo.window);
    });

    it('THEN it is the pinned release from the oracle cache, and its rules for the SLO are counted from its output', () => {
      expect(realpathSync(slothBinary())).toContain(`/sloth/${SLOTH_VERSION}/`);
      const count = countRules(sloth);
      expect(count.alerts).toBe(2);
      expect(count.recording).toBeGreaterThan(7);
    });

    it('WHEN a full outage runs through promtool THEN sloth pages and so do we; with its alerts removed sloth gives no page', () => {
      const run = (files: RuleFile[], roles = SLOTH_ROLES) => pageTicketTimeline(files, roles, fullOutage, config, SHORT.history, SHORT.watch);
      const slothTimeline = run([sloth]);
      expect(slothTimeline.page.length).toBeGreaterThan(0);
      expect(Math.min(...slothTimeline.page)).toBeLessThan(fullOutage.minutes);
      const ours = run(
        promtoolRuleFiles(config).filter((f) => f.groups.some((g) => g.name.startsWith('slo-'))),
        OUR_ROLES,
      );
      expect(ours.page.length).toBeGreaterThan(0);
      const withoutAlerts: RuleFile = { ...sloth, groups: sloth.groups.map((g) => ({ ...g, rules: g.rules.filter((r) => !('alert' in r)) })) };
      expect(run([withoutAlerts])).toEqual({ page: [], ticket: [] });
    }, 120_000);
  });
});
