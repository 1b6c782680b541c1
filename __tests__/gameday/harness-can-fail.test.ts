import { compactValues, parsePromtoolFailures } from '../../lib/gameday/promtool';
import { formatResult, goDurationMinutes, runScenarios } from '../../lib/gameday/runner';
import { formatTable, runGameday } from '../../lib/gameday/session';
import type { Scenario } from '../../lib/gameday/scenario';
import { gamedayScenarios } from '../../lib/gameday/scenarios';
import { DEFAULT_CONFIG_FILE, loadConfig, withAlertExpr } from './support';

const config = loadConfig(DEFAULT_CONFIG_FILE);
const scenarios = gamedayScenarios(config);
const named = (name: string): Scenario => scenarios.find((s) => s.name === name)!;

describe('the game-day runner reports regressions', () => {
  it('GIVEN rule files whose ProbeFailing threshold is broken THEN every outage FAILs naming ProbeFailing, and the rest still PASS', () => {
    const files = withAlertExpr(config, 'ProbeFailing', (expr) => expr.replace('< 0.5', '< -1'));
    expect(JSON.stringify(files)).toContain('< -1');
    const chosen = [named('service-outage/anvila-api/production'), named('service-outage/anvila-api/staging'), named('host-pressure/cpu')];
    const results = runScenarios(config, chosen, { files });
    expect(results.map((r) => r.passed)).toEqual([false, false, true]);
    for (const r of results.slice(0, 2)) {
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatch(/^ProbeFailing did not fire as expected by minute \d+ .*got: nothing firing$/);
      expect(formatResult(r)).toMatch(/^FAIL service-outage\/anvila-api\/\w+ \(every probe of anvila-api/);
    }
    expect(formatResult(results[2])).toBe('PASS host-pressure/cpu');
  });

  it('GIVEN the broken ProbeFailing rule THEN the table shows what promtool observed: ProbeFailing never fired, SLOBurnRateFast did', () => {
    const files = withAlertExpr(config, 'ProbeFailing', (expr) => expr.replace('< 0.5', '< -1'));
    const outage = named('service-outage/anvila-api/production');
    const [row] = runGameday(config, [outage], { files });
    expect(row.alerts.map((a) => [a.alertname, a.firedAt])).toEqual([
      ['ProbeFailing', undefined],
      ['SLOBurnRateFast', expect.any(Number)],
    ]);
    const table = formatTable([row]).split('\n');
    expect(table[1]).toMatch(/^service-outage\/anvila-api\/production +ProbeFailing \(m\d+ \/ m\d+\) +- +- +FAIL$/);
    expect(table[3]).toMatch(/^FAIL service-outage\/anvila-api\/production \(every probe.*\): ProbeFailing did not fire/);
  });

  it('GIVEN scenarios expecting what cannot happen THEN each FAILs with what did not fire, resolve or stay quiet', () => {
    const quiet = named('quiet-baseline');
    const cpu = named('host-pressure/cpu');
    const outage = named('service-outage/anvila-api/production');
    const impossible: Scenario[] = [
      {
        ...quiet,
        name: 'cannot-fire',
        mustFire: [{ alertname: 'HostHighCpu', labels: { instance: 'anvila-monitoring', severity: 'warning' }, by: 100 }],
        mustStayQuiet: [],
      },
      // resolution demanded while the probe is still failing
      { ...outage, name: 'cannot-resolve', mustResolve: [{ alertname: 'ProbeFailing', by: outage.mustFire[0].by }], mustFire: [], mustStayQuiet: [] },
      { ...cpu, name: 'cannot-stay-quiet', mustFire: [], mustResolve: [], mustStayQuiet: ['HostHighCpu'] },
    ];
    const results = runScenarios(config, impossible);
    expect(results.map((r) => r.passed)).toEqual([false, false, false]);
    expect(results[0].problems).toEqual([
      'HostHighCpu did not fire as expected by minute 100 (expected exactly {instance="anvila-monitoring", severity="warning"}); got: nothing firing',
    ]);
    expect(results[1].problems).toEqual([
      `ProbeFailing did not resolve by minute ${outage.mustFire[0].by}; got: {alertname="ProbeFailing", environment="production", instance="https://api.anvila.example/health", job="blackbox-http", service="anvila-api", severity="critical", team="platform"}`,
    ]);
    expect(results[2].problems.length).toBeGreaterThan(0);
    expect(results[2].problems.every((p) => /^HostHighCpu fired at minute \d+ but must stay quiet/.test(p))).toBe(true);
  });

  it('GIVEN two scenarios with one name THEN the runner refuses them before running promtool', () => {
    expect(() => runScenarios(config, [named('host-pressure/cpu'), named('host-pressure/cpu')])).toThrow('two scenarios are named host-pressure/cpu');
  });
});

describe('runner helpers', () => {
  it('reads eval times as promtool prints them (Go durations)', () => {
    expect(goDurationMinutes('1h28m')).toBe(88);
    expect(goDurationMinutes('45m')).toBe(45);
    expect(goDurationMinutes('0s')).toBe(0);
    expect(goDurationMinutes('2h0m0s')).toBe(120);
    expect(goDurationMinutes('soon')).toBeUndefined();
  });

  it('writes per-minute samples in promtool notation that expands back to the same values', () => {
    const expand = (text: string): number[] =>
      text.split(' ').flatMap((part) => {
        const m = /^(-?[\d.e+]+?)([+-])([\d.e+]+)x(\d+)$/.exec(part);
        if (!m) return [Number(part)];
        const step = (m[2] === '-' ? -1 : 1) * Number(m[3]);
        return Array.from({ length: Number(m[4]) + 1 }, (_, i) => Number(m[1]) + i * step);
      });
    const samples = [1, 1, 1, 0, 1, 1, 5, 10, 15, 20, 3, 7];
    expect(compactValues(samples)).toBe('1+0x2 0 1 1 5+5x3 3+4x1');
    expect(expand(compactValues(samples))).toEqual(samples);
    expect(compactValues([2])).toBe('2');
  });

  it('parses promtool 2.42 failure blocks into test, alert and time', () => {
    const output = ['  FAILED:', '    name: outage/a,', '    alertname: ProbeFailing, time: 1h8m, ', '        exp:[], ', '        got:[]'].join('\n');
    expect(parsePromtoolFailures(output)).toEqual([{ test: 'outage/a', alertname: 'ProbeFailing', time: '1h8m', text: expect.stringContaining('exp:[]') }]);
  });
});
