import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertQualityConfig, minutesOf, naiveRuleFile, outcomeOf, requestSeries, HISTORY_MINUTES, WATCH_MINUTES } from '../../bench/alert-quality';
import { generatedConfig, generatedConfigYaml } from '../../bench/generate-config';
import {
  benchmarksMarkdown,
  charts,
  CHART_FILES,
  readBenchResults,
  slothSection,
  table,
  verdicts,
  withSlothSection,
  type BenchResults,
} from '../../bench/report';
import { benchDoraBudget } from '../../bench/dora';
import { consumerTsNodeAppFiles, CONSUMER_APP_FILES, installedAppDir, plainNodeAppFiles } from '../../bench/installed-synth';
import { countSloRules, parseGroupDurations, ruleFilesOf, servicesFor, syntheticMetrics } from '../../bench/rules';
import { scaleGrowth, type ScalePoint } from '../../bench/scale';
import { benchRuns, formatSummary, linearFit, summarize, type Summary } from '../../bench/stats';
import { barChart, escapeXml, lineChart, niceScale } from '../../bench/svg-chart';
import { initStyleAppFiles } from '../../bench/synth';
import { runMeasured } from '../../bench/measure';
import { parsePlatformConfig } from '../../lib/config/loader';
import { promqlProblems } from '../../lib/promql/validate';
import { DEFAULT_CONFIG } from '../prometheus/promtool-harness';

const one = (v: number): Summary => summarize([v]);

describe('bench statistics', () => {
  it('GIVEN repeated measurements THEN median, min and max are those of the sorted values', () => {
    expect(summarize([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3, runs: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4, runs: 4 });
    expect(() => summarize([])).toThrow('at least one');
    expect(() => summarize([1, NaN])).toThrow('finite');
    expect(formatSummary(summarize([1, 2, 3]), 1, 's')).toBe('2.0 s (1.0–3.0)');
    expect(formatSummary(one(5), 0, 'MiB')).toBe('5 MiB');
  });

  it('GIVEN points on a line THEN the fit finds it; BENCH_RUNS is checked', () => {
    const fit = linearFit([
      [1, 3],
      [2, 5],
      [4, 9],
    ]);
    expect(fit.slope).toBeCloseTo(2, 10);
    expect(fit.intercept).toBeCloseTo(1, 10);
    expect(fit.r2).toBeCloseTo(1, 10);
    expect(benchRuns({})).toBe(3);
    expect(benchRuns({ BENCH_RUNS: '5' })).toBe(5);
    expect(() => benchRuns({ BENCH_RUNS: '0' })).toThrow('BENCH_RUNS must be a whole number from 1 to 50, found "0"');
  });

  it('GIVEN scale points THEN growth reports the extra time per extra service between sizes', () => {
    const point = (services: number, seconds: number): ScalePoint => ({ services, wallSeconds: one(seconds), peakRssMiB: one(200) });
    const growth = scaleGrowth([point(100, 3), point(1, 1.02), point(500, 7)]);
    expect(growth.marginalSecondsPerService).toEqual([
      { from: 1, to: 100, seconds: expect.closeTo(0.02, 10) },
      { from: 100, to: 500, seconds: expect.closeTo(0.01, 10) },
    ]);
  });
});

describe('bench SVG charts', () => {
  it('GIVEN values THEN the scale is a round number at or above the largest', () => {
    expect(niceScale(7.3)).toEqual({ top: 8, step: 2 });
    expect(niceScale(0.42)).toEqual({ top: 0.5, step: 0.1 });
    expect(niceScale(0)).toEqual({ top: 1, step: 0.2 });
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });

  it('GIVEN a curve THEN the line chart is well-formed SVG with a point, a whisker and the reference line', () => {
    const svg = lineChart(
      [
        {
          name: 'synth <s>',
          points: [
            { x: 1, median: 1, min: 0.9, max: 1.2 },
            { x: 500, median: 4 },
          ],
        },
      ],
      {
        title: 'T',
        xLabel: 'services',
        yLabel: 'seconds',
        reference: { value: 10, label: 'target' },
      },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray');
    expect(svg).toContain('synth &lt;s&gt;');
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  it('GIVEN bar groups THEN every bar is drawn, scaled within its group', () => {
    const svg = barChart('B', [
      {
        title: 'g1',
        bars: [
          { label: 'a', value: 10 },
          { label: 'b', value: 5, min: 4, max: 6 },
        ],
      },
      { title: 'g2', bars: [{ label: 'c', value: 1000 }] },
    ]);
    const widths = [...svg.matchAll(/<rect x="200" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(3);
    expect(widths[0]).toBeCloseTo(widths[1] * 2 * (10 / 10), 0); // a is twice b in its group
    expect(widths[2]).toBeCloseTo(widths[0], 5); // each group's largest bar spans the plot
    expect(svg).not.toMatch(/NaN|undefined/);
  });
});

describe('bench config generator', () => {
  it('GIVEN 500 services THEN the config passes the schema with 3 SLOs and 2 environments each, targets distinct', () => {
    const config = parsePlatformConfig(generatedConfigYaml({ services: 500 }), 'generated.yaml');
    expect(config.services).toHaveLength(500);
    expect(config.services.every((s) => s.slos.length === 3 && s.environments.length === 2)).toBe(true);
    const targets = config.services.map((s) => s.environments[0].metricsTarget);
    expect(new Set(targets).size).toBe(500);
    expect(() => generatedConfig({ services: 0 })).toThrow('services must be a whole number');
    expect(servicesFor(200)).toBe(67);
  });
});

describe('bench rules', () => {
  it('GIVEN the default config THEN per-SLO counts come from the rendered files (constants per environment)', () => {
    const counts = countSloRules(ruleFilesOf(DEFAULT_CONFIG), DEFAULT_CONFIG);
    expect(counts.map((c) => [c.slo, c.environments, c.alerts])).toEqual([
      // two burn-rate tiers, SLI absent, budget exhausted, and the default config's budget policy (SLOErrorBudgetPolicy)
      ['availability', 2, 5],
      ['requests', 1, 5],
      ['latency', 1, 5],
    ]);
    // one environment more costs three constant rules (objective, budget, period)
    expect(counts[0].recordingRules - counts[1].recordingRules).toBe(3);
  });

  it('GIVEN synthetic metrics THEN every series the SLIs read is exposed, parseable as exposition lines', () => {
    const config = parsePlatformConfig(generatedConfigYaml({ services: 2 }), 'g.yaml');
    const text = syntheticMetrics(config, 60);
    expect(text).toMatch(/^probe_success\{job="blackbox-http",service="svc-001",environment="staging",instance="[^"]+"\} [01]$/m);
    expect(text).toMatch(/^http_requests_total\{job="app",service="svc-002",environment="production",status="500"\} \d+$/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{job="app",service="svc-001",environment="staging",le="0.5"\} \d+$/m);
    expect(
      text
        .trim()
        .split('\n')
        .every((line) => /^[a-z_]+\{[^}]*\} [\d.]+$/.test(line)),
    ).toBe(true);
  });

  it('GIVEN Prometheus /metrics THEN group durations are read per file and group', () => {
    const metrics = [
      '# HELP prometheus_rule_group_last_duration_seconds x',
      'prometheus_rule_group_last_duration_seconds{rule_group="/tmp/x/rules/slo.yml;slo-a-recording"} 0.0125',
      'prometheus_rule_group_last_duration_seconds{rule_group="/tmp/x/rules/host.yml;host"} 1e-03',
      'prometheus_rule_group_interval_seconds{rule_group="/tmp/x/rules/host.yml;host"} 5',
    ].join('\n');
    expect([...parseGroupDurations(metrics)]).toEqual([
      ['slo.yml;slo-a-recording', 0.0125],
      ['host.yml;host', 0.001],
    ]);
  });
});

describe('bench alert quality', () => {
  it('GIVEN firing minutes THEN page, clear and page count follow from them', () => {
    expect(outcomeOf([5, 6, 7, 40], 30)).toEqual({ minutesToPage: 5, minutesToClear: 11, pages: 2 });
    expect(outcomeOf([], 2)).toEqual({ pages: 0 });
    expect(outcomeOf([3, WATCH_MINUTES], 30).minutesToClear).toBeUndefined();
    expect(minutesOf('6h5m')).toBe(365);
    expect(minutesOf('370m')).toBe(370);
  });

  it('GIVEN an outage THEN only its minutes add failed requests; the naive rule is valid PromQL', () => {
    const { ok, failed } = requestSeries({ name: 'x', outageMinutes: 2 });
    expect(failed[HISTORY_MINUTES]).toBe(0);
    expect(failed[HISTORY_MINUTES + 2] - failed[HISTORY_MINUTES]).toBeGreaterThan(0);
    expect(failed[HISTORY_MINUTES + 3]).toBe(failed[HISTORY_MINUTES + 2]);
    expect(ok[HISTORY_MINUTES + 2]).toBe(ok[HISTORY_MINUTES]);
    const expr = naiveRuleFile().groups[0].rules[0].expr;
    expect(expr).toMatch(/\[1h\].* > 0\.072$/);
    expect(promqlProblems(expr)).toEqual([]);
    expect(alertQualityConfig().services[0].slos[0].objective).toBe(99.5);
  });
});

describe('bench stock app and report', () => {
  it('GIVEN a repository with 250 deploys in 30 days THEN its request budget is counted on the GitHub stand-in', async () => {
    const budget = await benchDoraBudget();
    // the repository, 3 pages of runs, the first deploy's history, the deployments, 249 compares, the incidents
    expect(budget).toEqual({
      deploys: 250,
      coldBackfill: 256,
      previousColdBackfill: 506,
      noChangePoll: 3,
      oneDeployPoll: 5,
      rateLimit: 200,
      resumedTotal: budget.resumedTotal,
      askedAgain: 0,
    });
    // the stopped try (200 answered, 1 refused) and the resumed one together cost about one cold backfill
    expect(budget.resumedTotal).toBeLessThanOrEqual(budget.coldBackfill + 10);
  });

  it('GIVEN the project root THEN the stock app imports the provider namespace and runs under ts-node', () => {
    const files = initStyleAppFiles('/p', '/p/config/platform.yaml');
    expect(files['main.ts']).toContain("import * as aws from '@cdktf/provider-aws';");
    expect(files['main.ts']).toContain('"/p/lib/platform"');
    expect(JSON.parse(files['cdktf.json']).app).toBe('npx ts-node main.ts');
    expect(JSON.parse(files['tsconfig.json']).extends).toBe('/p/tsconfig.json');
  });

  it('GIVEN the consumer fixture THEN the installed-package apps synthesize the default config through the package root', () => {
    const fixture = join(__dirname, '..', 'consumer', 'app');
    const configFile = join(__dirname, '..', '..', 'config', 'platform.yaml');
    const defaultConfig = readFileSync(configFile, 'utf8');
    const tsNode = consumerTsNodeAppFiles(fixture, configFile);
    // the fixture's own app, byte for byte, so the bench cannot drift from what the consumer contract runs
    for (const name of CONSUMER_APP_FILES) expect(tsNode[name]).toBe(readFileSync(join(fixture, name), 'utf8'));
    expect(JSON.parse(tsNode['cdktf.json']).app).toBe('npx ts-node main.ts');
    expect(tsNode['observability.ts']).toContain('from "lgtm-platform"');
    // the fixture's small config is swapped for the default one, so the bundled app does the same work
    expect(tsNode['platform.yaml']).toBe(defaultConfig);
    const plain = plainNodeAppFiles(configFile);
    expect(JSON.parse(plain['cdktf.json']).app).toBe('node main.js');
    expect(plain['main.js']).toContain("require('lgtm-platform')");
    expect(plain['main.js']).not.toMatch(/require\('\.|\/lib\//);
    expect(plain['platform.yaml']).toBe(defaultConfig);
  });

  it("GIVEN the install script's stdout THEN the app folder is its only line, and anything else is refused", () => {
    expect(installedAppDir('/home/u/.cache/lgtm-platform/consumer/app\n')).toBe('/home/u/.cache/lgtm-platform/consumer/app');
    expect(() => installedAppDir('added 3 packages\n/home/u/app\n')).toThrow("should print the app's folder alone");
    expect(() => installedAppDir('')).toThrow("should print the app's folder alone");
  });

  const results: BenchResults = {
    machine: { cpus: 2, cpuModel: 'cpu', memoryGiB: 24, node: 'v20.0.0', prometheus: 'Prometheus 2.42.0', date: '2026-11-25T09:00:00Z' },
    runs: 3,
    totalSeconds: 300,
    synth: {
      ours: { wallSeconds: summarize([2.5, 2.6, 2.7]), peakRssMiB: one(270) },
      stock: { wallSeconds: summarize([10, 11, 12]), peakRssMiB: one(1500) },
      timeRatio: 11 / 2.6,
      memoryRatio: 1500 / 270,
    },
    installedSynth: {
      bundled: { wallSeconds: summarize([2.5, 2.6, 2.7]), peakRssMiB: one(270) },
      installedNode: { wallSeconds: summarize([2.4, 2.5, 2.9]), peakRssMiB: one(260) },
      installedTsNode: { wallSeconds: summarize([9, 9.5, 10]), peakRssMiB: one(900) },
      nodeTimeRatio: 2.5 / 2.6,
      nodeMemoryRatio: 260 / 270,
    },
    scale: {
      points: [1, 10, 100, 500].map((services) => ({ services, wallSeconds: one(1.5 + services * 0.005), peakRssMiB: one(200 + services / 5) })),
      fit: { slope: 0.005, intercept: 1.5, r2: 1 },
      marginalSecondsPerService: [
        { from: 1, to: 10, seconds: 0.005 },
        { from: 10, to: 100, seconds: 0.005 },
        { from: 100, to: 500, seconds: 0.005 },
      ],
    },
    ruleCounts: [{ service: 'a', slo: 'x', environments: 2, recordingRules: 20, alerts: 2 }],
    ruleEval: {
      slos: 201,
      services: 67,
      groups: 139,
      rules: 4035,
      series: 2680,
      rounds: 6,
      allGroupsMs: summarize([0.3, 3, 54]),
      slowestGroup: { name: 'slo.yml;slo-svc-001-recording', medianMs: 11, maxMs: 21 },
      perRoundTotalMs: one(600),
      recordedErrorRatioSeries: 402,
    },
    alertQuality: {
      objective: 99.5,
      rows: [
        { scenario: { name: 'full outage, 30 min', outageMinutes: 30 }, alert: 'SLOBurnRateFast', outcome: { minutesToPage: 5, minutesToClear: 30, pages: 1 } },
        { scenario: { name: 'full outage, 30 min', outageMinutes: 30 }, alert: 'NaiveBurnRate1h', outcome: { minutesToPage: 5, minutesToClear: 56, pages: 1 } },
        { scenario: { name: '2-minute blip', outageMinutes: 2 }, alert: 'SLOBurnRateFast', outcome: { pages: 0 } },
        { scenario: { name: '2-minute blip', outageMinutes: 2 }, alert: 'NaiveBurnRate1h', outcome: { pages: 0 } },
      ],
    },
    dora: {
      repositories: 10,
      firstPollRequests: one(260),
      noChangeRequests: one(30),
      noChange304: one(30),
      noChangeUnconditional: one(0),
      rssMiB: summarize([88, 89, 90]),
      peakRssMiB: one(92),
      budget: {
        deploys: 250,
        coldBackfill: 256,
        previousColdBackfill: 506,
        noChangePoll: 3,
        oneDeployPoll: 5,
        rateLimit: 200,
        resumedTotal: 263,
        askedAgain: 0,
      },
    },
  };

  it('GIVEN results THEN every target is judged from them', () => {
    expect(verdicts(results).map((v) => [v.item, v.met])).toEqual([
      ['synth time', true],
      ['synth memory', true],
      ['installed package synth', true],
      ['500 services', true],
      ['growth', true],
      ['rule evaluation', true],
      ['page', true],
      ['clear', true],
      ['blip', true],
      ['DORA no-change poll', true],
      ['DORA backfill after a rate limit', true],
    ]);
    const restarting = { ...results, dora: { ...results.dora, budget: { ...results.dora.budget, askedAgain: 3 } } };
    expect(
      verdicts(restarting)
        .filter((v) => !v.met)
        .map((v) => v.item),
    ).toEqual(['DORA backfill after a rate limit']);
    const slow = { ...results, ruleEval: { ...results.ruleEval, allGroupsMs: summarize([1, 150]) }, synth: { ...results.synth, timeRatio: 3.9 } };
    expect(
      verdicts(slow)
        .filter((v) => !v.met)
        .map((v) => v.item),
    ).toEqual(['synth time', 'rule evaluation']);
    // 100 -> 500 costing twice as much per service as 10 -> 100 is superlinear
    const marginal = [
      { from: 1, to: 10, seconds: 0.005 },
      { from: 10, to: 100, seconds: 0.005 },
      { from: 100, to: 500, seconds: 0.01 },
    ];
    const superlinear = { ...results, scale: { ...results.scale, marginalSecondsPerService: marginal } };
    expect(
      verdicts(superlinear)
        .filter((v) => !v.met)
        .map((v) => v.item),
    ).toEqual(['growth']);
    // a noisy middle size (the 10-service median high, so 10 -> 100 looks free) is no superlinear growth: the last
    // step is judged against the whole span before it (1 -> 100: 11 ms per service)
    const noisyMiddle = [
      { from: 1, to: 10, seconds: 0.1211 },
      { from: 10, to: 100, seconds: 0.0001 },
      { from: 100, to: 500, seconds: 0.0036 },
    ];
    expect(verdicts({ ...results, scale: { ...results.scale, marginalSecondsPerService: noisyMiddle } }).find((v) => v.item === 'growth')).toMatchObject({
      met: true,
    });
    const slowInstall = { ...results, installedSynth: { ...results.installedSynth!, nodeTimeRatio: 1.2 } };
    expect(
      verdicts(slowInstall)
        .filter((v) => !v.met)
        .map((v) => v.item),
    ).toEqual(['installed package synth']);
    // an older benchmarks.json (--report-only) has no installed figures: judged not met, shown as not measured
    const older = { ...results, installedSynth: undefined };
    expect(verdicts(older).find((v) => v.item === 'installed package synth')).toMatchObject({ measured: 'not measured', met: false });
    expect(benchmarksMarkdown(older)).toContain('| synth, installed package | not measured in this run |');
  });

  it('GIVEN a run on a machine busy with other work THEN the doc says so, with the load it saw', () => {
    const shared = { ...results, machine: { ...results.machine, loadAverage: { start: 7.9, end: 12.25 } } };
    expect(benchmarksMarkdown(shared)).toContain(
      'The machine was shared: its 1-minute load average was 7.9 at the start and 12.3 at the end, on 2 cores, so the timings are slower than an idle machine would give.',
    );
    const idle = { ...results, machine: { ...results.machine, loadAverage: { start: 0.4, end: 1.1 } } };
    expect(benchmarksMarkdown(idle)).toContain('The 1-minute load average was 0.4 at the start and 1.1 at the end, on 2 cores.');
  });

  describe('GIVEN a benchmarks.json for --report-only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-only-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const written = (name: string, content: unknown) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(content));
      return file;
    };

    it('WHEN it holds every measurement THEN it is read as it is (the installed-package figures may be absent)', () => {
      expect(readBenchResults(written('current.json', results))).toEqual(results);
      const older = { ...results, installedSynth: undefined };
      expect(readBenchResults(written('no-installed.json', older)).installedSynth).toBeUndefined();
    });

    it('WHEN an older bench wrote it (no DORA request budget, no rule evaluation) THEN it is refused, naming the file and every missing measurement', () => {
      const { budget: _budget, ...doraWithoutBudget } = results.dora;
      const { ruleEval: _ruleEval, ...withoutRuleEval } = results;
      const file = written('old.json', { ...withoutRuleEval, dora: doraWithoutBudget });
      expect(() => readBenchResults(file)).toThrow(`${file}: found no ruleEval, dora.budget; expected every measurement the report shows`);
      expect(() => readBenchResults(file)).toThrow('run `npm run bench` to measure them');
    });

    it('WHEN it is not a JSON object THEN it is refused with the file named', () => {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '[1, 2');
      expect(() => readBenchResults(file)).toThrow(`${file}: found no JSON object`);
      expect(() => readBenchResults(written('array.json', [1, 2]))).toThrow('found no JSON object');
    });
  });

  it('GIVEN results without the sloth comparison (an older run) THEN the doc says sloth was not measured and how to measure it', () => {
    const doc = benchmarksMarkdown(results);
    expect(doc).toContain('## 6. Against sloth');
    expect(doc).toContain('Not measured in this run: `npm run bench -- --only sloth`');
    expect(doc).toContain('not measured (run `npm run bench -- --only sloth`)');
  });

  it('GIVEN a doc of an older run WHEN only the sloth section is measured THEN that section is replaced (or appended) and the rest kept', () => {
    const older = '# Benchmarks\n\n## 5. DORA exporter\n\nold figures\n';
    const missing = slothSection(undefined);
    const appended = withSlothSection(older, missing);
    expect(appended).toBe(`${older}${missing}`);
    expect(withSlothSection(appended, '\n## 6. Against sloth\n\nnew\n')).toBe(`${older}\n## 6. Against sloth\n\nnew\n`);
  });

  it('GIVEN a measured sloth comparison THEN its rule counts and every scenario row are in the doc, the chart and the table', () => {
    const never = { pages: 0 };
    const withSloth: BenchResults = {
      ...results,
      slothComparison: {
        slothVersion: '0.16.0',
        measuredAt: '2026-12-01T19:00:00Z',
        objective: 99.5,
        period: '30d',
        historyMinutes: 4320,
        watchMinutes: 720,
        rules: { ours: { recording: 23, alerts: 4 }, sloth: { recording: 17, alerts: 2 } },
        rows: [
          {
            scenario: { name: 'full outage, 30 min', minutes: 30, errorRatio: 1 },
            tool: 'ours',
            page: { minutesToPage: 2, minutesToClear: 4, pages: 1 },
            ticket: never,
          },
          {
            scenario: { name: 'full outage, 30 min', minutes: 30, errorRatio: 1 },
            tool: 'sloth',
            page: { minutesToPage: 1, minutesToClear: 5, pages: 1 },
            ticket: never,
          },
        ],
      },
    };
    const doc = benchmarksMarkdown(withSloth);
    expect(doc).toContain('| sloth 0.16.0 | 17 | 2 |');
    // 30 minutes of every request failing, against 0.5 % of 30 days of requests: 30 / 216 of the budget
    expect(doc).toContain('| full outage, 30 min | 13.9 % | sloth 0.16.0 | 1 | 5 | 1 | never | — |');
    expect(doc).toContain('| full outage, 30 min | 13.9 % | this project | 2 | 4 | 1 | never | — |');
    expect(doc).toContain('17 recording, 2 alerts');
    expect(charts(withSloth)[CHART_FILES.rules]).toContain('sloth 0.16.0');
    expect(table(withSloth)).toContain('vs sloth, full outage, 30 min: sloth');
  });

  it('GIVEN results THEN the doc has the machine facts, every section and links to every chart', () => {
    const doc = benchmarksMarkdown(results);
    expect(doc).toContain('Machine: 2 cores (cpu), 24 GiB memory, Node v20.0.0, Prometheus 2.42.0; measured 2026-11-25T09:00:00Z');
    expect(doc).not.toContain('load average');
    for (const heading of ['## 1. Synth', '## 2. Scale', '## 3. Rules', '## 4. Alert quality', '## 5. DORA exporter', '## 6. Against sloth'])
      expect(doc).toContain(heading);
    expect(doc).toContain('| synth time | ≥ 4x faster than the stock cdktf init app | 4.2x | met |');
    expect(doc).toContain('2.60 s (2.50–2.70)');
    for (const file of Object.values(CHART_FILES)) expect(doc).toContain(`](${file})`);
    expect(doc).not.toMatch(/NaN|undefined/);
    expect(Object.keys(charts(results)).sort()).toEqual(Object.values(CHART_FILES).sort());
    expect(table(results)).toContain('naive 1h burn rate');
    expect(doc).toContain('### Through the installed package');
    expect(doc).toContain('| synth, installed package, plain node | 2.50 s (2.40–2.90), 260 MiB |');
    expect(doc).toContain('| synth, installed package, consumer ts-node app | 9.50 s (9.00–10.00), 900 MiB |');
    expect(table(results)).toMatch(/synth ratio \(installed plain node \/ bundled\)\s+1\.0x time, 1\.0x memory/);
    // the doc's tables are valid Markdown tables: every row of a table has as many cells as its header
    const tables = doc.split('\n\n').filter((block) => block.startsWith('|'));
    for (const block of tables) {
      const counts = block.split('\n').map((row) => row.split(' | ').length);
      expect(new Set(counts).size).toBe(1);
    }
  });
});

describe('bench process runs (bench/measure.ts)', () => {
  it('GIVEN a command that fails after much output THEN the error keeps the end of it, where the reason is', () => {
    const script = "process.stdout.write('warning\\n'.repeat(1000)); console.error('the real reason'); process.exit(1)";
    expect(() => runMeasured(process.execPath, ['-e', script])).toThrow(/exited with 1:[\s\S]*the real reason/);
  });
});
