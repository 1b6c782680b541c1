import { alertDefinition } from '../../lib/alerting/packs';
import { ruleDurationSeconds } from '../../lib/shared/durations';
import { runScenarios } from '../../lib/gameday/runner';
import { gamedayScenarios } from '../../lib/gameday/scenarios';
import { platformConfig } from '../helpers/platform-fixtures';
import { expectAllPassed } from './support';

const base = platformConfig();
/** How much longer every raised alert must hold in the overridden description. */
const LONGER_MINUTES = 10;
const raised = [...new Set(gamedayScenarios(base).flatMap((s) => s.mustFire.map((f) => f.alertname)))].sort();
const packMinutes = (alertname: string) => ruleDurationSeconds(alertDefinition(alertname).for) / 60;
// through the schema, as a user's file would give them
const overridden = platformConfig(
  (raw) => (raw.alerting.alertOverrides = Object.fromEntries(raised.map((alertname) => [alertname, { for: `${packMinutes(alertname) + LONGER_MINUTES}m` }]))),
);

describe('game days of a description whose alertOverrides hold every raised alert 10 minutes longer', () => {
  it('GIVEN the default config THEN its game days raise static and burn-rate alerts alike (the overrides reach both kinds)', () => {
    expect(raised).toEqual(expect.arrayContaining(['ProbeFailing', 'HostHighCpu', 'PlatformComponentDown', 'SLOBurnRateFast', 'SLOBurnRateSlow']));
  });

  it("THEN each scenario's deadline for an alert is at least the pack's deadline plus the extra hold", () => {
    const before = new Map(gamedayScenarios(base).map((s) => [s.name, s]));
    for (const scenario of gamedayScenarios(overridden))
      for (const expected of scenario.mustFire) {
        const old = before.get(scenario.name)?.mustFire.find((f) => f.alertname === expected.alertname);
        if (old)
          expect({ scenario: scenario.name, alert: expected.alertname, by: expected.by >= old.by + LONGER_MINUTES }).toEqual({
            scenario: scenario.name,
            alert: expected.alertname,
            by: true,
          });
      }
  });

  it('WHEN every scenario runs through promtool against the overridden rule files THEN all pass', () => {
    expectAllPassed(runScenarios(overridden, gamedayScenarios(overridden)));
  });
});
