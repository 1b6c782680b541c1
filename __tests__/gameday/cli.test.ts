import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DEFAULT_CONFIG_FILE, ROOT, TWO_SERVICES_FILE } from './support';

const tmp = mkdtempSync(join(tmpdir(), 'gameday-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function gameday(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, ['scripts/run-ts.cjs', 'scripts/gameday.ts', ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 60000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run gameday', () => {
  it('GIVEN a config and a family prefix THEN it runs those scenarios with promtool, prints the table, writes the report and exits 0', () => {
    const report = join(tmp, 'report-two');
    const run = gameday(['--config', TWO_SERVICES_FILE, '--scenario', 'host-pressure', '--report', report]);
    // the lowered fast tier of search's 90% SLO is announced, as render does
    expect(run.stderr).toMatch(
      /^note: services\[1\]\.slos\[0\] \(search\/latency\) \(objective 90%\): SLOBurnRateFast burn factor 14\.4x .* alerting at 9x instead/,
    );
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^SCENARIO +EXPECTED ALERTS \(fire by \/ resolve by\) +FIRED AT +RESOLVED AT +RESULT$/);
    // fired/resolved times are what promtool observed: before the deadlines, not equal to them by construction
    expect(lines[1]).toMatch(/^host-pressure\/cpu +HostHighCpu \(m51 \/ m62\) +m(4[5-9]|5[01]) +m(5[6-9]|6[0-2]) +PASS$/);
    expect(lines[2]).toMatch(/^host-pressure\/disk-fill +HostDiskFillingUp \(m\d+ \/ -\) +m\d+ +- +PASS$/);
    expect(lines[3]).toMatch(/^host-pressure\/disk-fill-fast +HostDiskFillingUpCritical \(m\d+ \/ -\) +m\d+ +- +PASS$/);
    expect(lines[4]).toMatch(/^host-pressure\/unit-crash-loop +HostUnitCrashLooping \(m\d+ \/ m\d+\) +m\d+ +m\d+ +PASS$/);
    expect(lines[5]).toBe(`4 passed, 0 failed (${TWO_SERVICES_FILE}); report: ${join(report, 'index.html')}`);
    expect(existsSync(join(report, 'index.html'))).toBe(true);
    expect(run.status).toBe(0);
  });

  it('GIVEN promtool reports a failed check THEN it prints FAIL with what did not fire and exits 1', () => {
    const bin = join(tmp, 'failing-bin');
    mkdirSync(bin);
    const fake = join(bin, 'promtool');
    writeFileSync(
      fake,
      '#!/bin/sh\nprintf "  FAILED:\\n    name: host-pressure/cpu,\\n    alertname: HostHighCpu, time: 51m, \\n        exp:[...], \\n        got:[]\\n" >&2\nexit 1\n',
    );
    chmodSync(fake, 0o755);
    const run = gameday(['--config', DEFAULT_CONFIG_FILE, '--scenario', 'host-pressure/cpu', '--report', join(tmp, 'report-fail')], {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH}`,
    });
    expect(run.stdout).toMatch(/\nhost-pressure\/cpu +HostHighCpu \(m51 \/ m62\) +- +- +FAIL\n/);
    expect(run.stdout).toMatch(/\nFAIL host-pressure\/cpu \(.*\): HostHighCpu did not fire as expected by minute 51 .*got: nothing firing\n0 passed, 1 failed/);
    expect(run.status).toBe(1);
  });

  it('GIVEN no promtool on PATH THEN it says so and exits 1', () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const run = gameday(['--scenario', 'quiet-baseline'], { ...process.env, PATH: empty });
    expect(run.stderr).toContain('promtool was not found on PATH');
    expect(run.status).toBe(1);
  });

  it('GIVEN an invalid config THEN it prints the PlatformConfigError message and exits 1; an unknown scenario exits 2', () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'name: x\nregion: nowhere\n');
    const run = gameday(['--config', bad]);
    expect(run.stderr).toMatch(/^Invalid platform config: .*bad\.yaml/);
    expect(run.status).toBe(1);
    const unknown = gameday(['--scenario', 'no-such-thing']);
    expect(unknown.stderr).toContain('no scenario named no-such-thing');
    expect(unknown.stderr).toContain('  service-outage/anvila-api/production');
    expect(unknown.status).toBe(2);
  });
});
