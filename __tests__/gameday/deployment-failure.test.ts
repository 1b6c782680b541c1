import { DORA_METRICS } from '../../lib/dora/exporter/metric-names';
import { validatePlatformConfig } from '../../lib/config/loader';
import { deploymentFailurePlan, deploymentFailureScenario, exportedDoraSeries, priorSuccesses } from '../../lib/gameday/deployment-failure';
import { runGameday } from '../../lib/gameday/session';
import { DEFAULT_CONFIG_FILE, expectAllPassed, loadConfig, withAlertExpr } from './support';

const config = loadConfig(DEFAULT_CONFIG_FILE);
const repo = config.dora!.repositories[0];

/** The per-minute values of one series of promtool input (`_` = no sample). */
function expand(values: string): (number | undefined)[] {
  return values.split(' ').flatMap((part) => {
    if (part === '_') return [undefined];
    const m = /^(-?[\d.e+]+?)([+-])([\d.e+]+)x(\d+)$/.exec(part);
    if (!m) return [Number(part)];
    const step = (m[2] === '-' ? -1 : 1) * Number(m[3]);
    return Array.from({ length: Number(m[4]) + 1 }, (_, i) => Number(m[1]) + i * step);
  });
}

describe('deployment failure, through the real DORA exporter and a fake GitHub', () => {
  it('GIVEN a 30% threshold THEN two good deploys come first: the broken deploy blamed by an incident makes 1/3, the hotfix 1/4', () => {
    expect(priorSuccesses(30)).toBe(2);
    expect(priorSuccesses(25)).toBe(2);
    expect(priorSuccesses(50)).toBe(0);
    expect(priorSuccesses(10)).toBe(8);
  });

  it('GIVEN a deploy, an incident naming it and a hotfix THEN the exporter serves a change failure rate that rises over the threshold and falls back', async () => {
    const plan = deploymentFailurePlan(config);
    const input = await exportedDoraSeries(config, repo, plan);
    const cfr = input.find((s) => s.series.startsWith(`${DORA_METRICS.changeFailureRate}{`) && s.series.includes('window="30d"'))!;
    expect(cfr.series).toBe(
      `${DORA_METRICS.changeFailureRate}{job="dora-exporter",instance="anvila-monitoring",repo="acme/anvila-api",workflow="deploy.yml",environment="production",window="30d"}`,
    );
    const values = expand(cfr.values);
    expect(values).toHaveLength(plan.minutes);
    expect(values[plan.seenAt - 1]).toBe(0);
    expect(values[plan.seenAt]).toBeCloseTo(1 / 3);
    expect(values[plan.fixSeenAt - 1]).toBeCloseTo(1 / 3);
    expect(values[plan.fixSeenAt]).toBeCloseTo(1 / 4);
    // the DORA panel's counters move too: a change failure, a rework deploy, no pipeline failure
    const counter = (name: string) => expand(input.find((s) => s.series.startsWith(`${name}{`))!.values);
    expect(counter(DORA_METRICS.changeFailures)[plan.seenAt - 1]).toBe(0);
    expect(counter(DORA_METRICS.changeFailures)[plan.minutes - 1]).toBe(1);
    expect(counter(DORA_METRICS.reworkDeployments)[plan.minutes - 1]).toBe(1);
    expect(counter(DORA_METRICS.failedDeployments)[plan.minutes - 1]).toBe(0);
    expect(counter(DORA_METRICS.deployments)[plan.minutes - 1]).toBe(4);
  });

  it('GIVEN the default rules THEN DoraChangeFailureRateHigh fires after its `for` and resolves after the fix, observed by promtool', async () => {
    const scenario = await deploymentFailureScenario(config, repo);
    const [row] = runGameday(config, [scenario]);
    expectAllPassed([row.result]);
    const plan = deploymentFailurePlan(config);
    expect(row.alerts).toEqual([expect.objectContaining({ alertname: 'DoraChangeFailureRateHigh', firedAt: plan.seenAt + 30, resolvedAt: plan.fixSeenAt })]);
    expect(row.timeline.values[plan.seenAt]).toBeCloseTo(100 / 3);
  });

  it('GIVEN a threshold of 50% THEN the history adapts and the game day still passes', async () => {
    const raw = structuredClone(config) as unknown as { alerting: { thresholds: Record<string, number> } };
    raw.alerting.thresholds.doraChangeFailureRatePercent = 50;
    const strict = validatePlatformConfig(raw);
    const [row] = runGameday(strict, [await deploymentFailureScenario(strict, strict.dora!.repositories[0])]);
    expectAllPassed([row.result]);
  });

  it('GIVEN a rule whose threshold is broken THEN the game day FAILs and the table shows it never fired', async () => {
    const scenario = await deploymentFailureScenario(config, repo);
    const files = withAlertExpr(config, 'DoraChangeFailureRateHigh', (expr) => expr.replace('> 30', '> 90'));
    const [row] = runGameday(config, [scenario], { files });
    expect(row.result.passed).toBe(false);
    expect(row.result.problems[0]).toMatch(/^DoraChangeFailureRateHigh did not fire as expected by minute \d+/);
    expect(row.alerts[0].firedAt).toBeUndefined();
  });
});
