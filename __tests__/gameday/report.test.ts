import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG_FILE, ROOT } from './support';

const tmp = mkdtempSync(join(tmpdir(), 'gameday-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const VOID_ELEMENTS = new Set(['br', 'meta']);

/** Every element is closed in order (HTML void elements aside); the SVG charts must be well-formed to render. */
function unbalancedTags(xml: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing || VOID_ELEMENTS.has(name)) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) problems.push(`</${name}> at ${m.index}`);
  }
  return [...problems, ...stack.map((s) => `<${s}> never closed`)];
}

describe('npm run gameday, end to end on the default config', () => {
  let stdout = '';
  let status: number | null = null;
  const reportDir = join(tmp, 'report');

  beforeAll(() => {
    const run = spawnSync(process.execPath, ['scripts/run-ts.cjs', 'scripts/gameday.ts', '--config', DEFAULT_CONFIG_FILE, '--report', reportDir], {
      cwd: ROOT,
      encoding: 'utf8',
      // every scenario of the default config in one promtool run: about 70 s alone, longer on a shared 2-core machine
      timeout: 170000,
    });
    stdout = run.stdout;
    status = run.status;
  }, 180000);

  it('GIVEN every scenario of the default config THEN all pass, the table has a row per scenario and the CLI names the report', () => {
    const lines = stdout.trimEnd().split('\n');
    // a failing scenario's problems come first in the failure message
    expect(lines.filter((l) => l.startsWith('FAIL '))).toEqual([]);
    expect(status).toBe(0);
    expect(lines[lines.length - 1]).toBe(`25 passed, 0 failed (${DEFAULT_CONFIG_FILE}); report: ${join(reportDir, 'index.html')}`);
    // the five seed scenarios are all there: deployment failure, latency, CPU pressure, outage, monitoring self-failure
    for (const name of [
      'deployment-failure/acme/anvila-api/production',
      'latency-degradation/anvila-api/staging',
      'host-pressure/cpu',
      'service-outage/anvila-api/production',
      'platform-self-failure/alertmanager-notifications',
      'platform-self-failure/prometheus-down',
      'platform-self-failure/rule-evaluation-failures',
      'platform-self-failure/config-push-refused',
    ]) {
      expect(lines.some((l) => l.startsWith(`${name} `) && l.endsWith('PASS'))).toBe(true);
    }
    // the production outage pages within 5 minutes of the breakage (minute 60), as observed
    const outage = lines.findIndex((l) => l.startsWith('service-outage/anvila-api/production '));
    const fast = /SLOBurnRateFast \(m\d+ \/ m\d+\) +m(\d+) +m(\d+)/.exec(lines[outage + 1]);
    expect(fast).not.toBeNull();
    expect(Number(fast![1])).toBeGreaterThanOrEqual(60);
    expect(Number(fast![1])).toBeLessThanOrEqual(65);
  });

  it('THEN the report is one self-contained HTML file with a well-formed chart per scenario', () => {
    const file = join(reportDir, 'index.html');
    expect(existsSync(file)).toBe(true);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(unbalancedTags(html.replace(/<!DOCTYPE[^>]*>/, ''))).toEqual([]);
    // nothing to fetch: no scripts, stylesheets or images, links only to anchors of the page itself
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/);
    expect(html).not.toMatch(/\bsrc=/);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBe(25);
    for (const href of hrefs) expect(html).toContain(`id="${href.slice(1)}"`);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(25);
    // every scenario but the quiet baseline draws its value; alert bands show firing where alerts fired
    expect(svgs.filter((s) => /<path d="M/.test(s))).toHaveLength(24);
    const outage = svgs.find((s) => s.includes('aria-label="service-outage/anvila-api/production"'))!;
    expect(outage).toContain('burn rate (1h) of anvila-api/production/availability');
    expect(outage).toContain('SLOBurnRateFast 14.4x');
    expect((outage.match(/class="firing"/g) ?? []).length).toBe(2);
    const quiet = svgs.find((s) => s.includes('aria-label="quiet-baseline"'))!;
    expect(quiet).not.toContain('class="firing"');
  });
});
