import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { benchAlertQuality } from './alert-quality';
import { benchDora } from './dora';
import { benchInstalledSynth } from './installed-synth';
import { requireGnuTime } from './measure';
import { benchmarksMarkdown, charts, readBenchResults, slothSection, table, withSlothSection, type BenchResults } from './report';
import { benchRuleEvaluation, countSloRules, ruleFilesOf } from './rules';
import { benchScale } from './scale';
import { benchSlothComparison } from './sloth-comparison';
import { benchRuns } from './stats';
import { benchSynth } from './synth';
import { loadPlatformConfig } from '../lib/config/loader';
import { PACKAGE_ROOT } from '../lib/package-root';
import { ORACLES_BIN } from '../__tests__/helpers/oracles';

/**
 * `npm run bench`: measures synth speed and memory against the stock cdktf init app and through the packed,
 * installed library (which it builds, packs and installs into the consumer app first), synth at scale, rule
 * counts and rule evaluation in a real Prometheus, alert timing by promtool, and the DORA exporter's API
 * requests and memory; prints a table and writes docs/benchmarks.md with SVG charts.
 * BENCH_RUNS (default 3) runs per timing; BENCH_OUT (default docs) where the report goes.
 * `npm run bench -- --report-only` rewrites the doc and charts from the last run's benchmarks.json;
 * `npm run bench -- --only sloth` measures the sloth comparison alone and keeps the rest of that file.
 * The programs run are the pinned oracles (scripts/oracles.sh), put first on PATH as the tests do.
 */
async function main(): Promise<void> {
  const root = PACKAGE_ROOT;
  const out = resolve(root, process.env.BENCH_OUT ?? 'docs');
  process.env.PATH = `${ORACLES_BIN}${delimiter}${process.env.PATH ?? ''}`;
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only !== undefined) {
    if (only !== 'sloth') {
      process.stderr.write(`bench --only: found ${JSON.stringify(only ?? '')}; allowed: sloth\n`);
      process.exit(2);
    }
    measureSlothOnly(out);
    return;
  }
  if (process.argv.includes('--report-only')) {
    let previous: BenchResults;
    try {
      previous = readBenchResults(join(out, 'benchmarks.json'));
    } catch (error) {
      // the file's fault, not the bench's: its message says what to do, a stack would only bury it
      process.stderr.write(`bench --report-only: ${(error as Error).message}\n`);
      process.exit(1);
    }
    writeReport(out, previous);
    return;
  }
  requireGnuTime();
  const runs = benchRuns();
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const step = (what: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${what}\n`);

  step(`synth: this project vs the stock cdktf init app (${runs} runs each)`);
  const synth = benchSynth(root, runs);
  step(`synth through the packed, installed library: build, pack, install, then plain node and ts-node consumers (${runs} runs each)`);
  const installedSynth = benchInstalledSynth(root, runs);
  step('scale: 1, 10, 100, 500 services');
  const scale = benchScale(root, runs);
  step('rules: counts, and evaluation of 200 SLOs in Prometheus');
  const defaultConfig = loadPlatformConfig(join(root, 'config', 'platform.yaml'));
  const ruleCounts = countSloRules(ruleFilesOf(defaultConfig), defaultConfig);
  const ruleEval = await benchRuleEvaluation(200, Math.max(6, runs));
  step('alert quality: promtool scenarios');
  const alertQuality = benchAlertQuality();
  step('against sloth: the same SLO through sloth generate and promtool');
  const slothComparison = benchSlothComparison();
  step('DORA exporter: 10 repositories');
  const dora = await benchDora(runs);

  const results: BenchResults = {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      prometheus: `Prometheus ${/version (\S+)/.exec(spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown'}`,
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      loadAverage: { start: loadAtStart, end: loadavg()[0] },
    },
    runs,
    totalSeconds: (Date.now() - started) / 1000,
    synth,
    installedSynth,
    scale,
    ruleCounts,
    ruleEval,
    alertQuality,
    dora,
    slothComparison,
  };
  writeReport(out, results);
  writeFileSync(join(out, 'benchmarks.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${table(results)}\nWrote ${join(out, 'benchmarks.md')} in ${Math.round(results.totalSeconds)} s.\n`);
}

/**
 * `--only sloth`: measures the sloth comparison and keeps every other figure of benchmarks.json. When that file is
 * complete the whole report is rendered again; when it is from an older bench (which --report-only refuses),
 * only the sloth section of benchmarks.md is rewritten, so no figure of the older run is rendered differently.
 */
function measureSlothOnly(out: string): void {
  const file = join(out, 'benchmarks.json');
  const slothComparison = benchSlothComparison();
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, `${JSON.stringify({ ...raw, slothComparison }, null, 2)}\n`);
  let results: BenchResults | undefined;
  try {
    results = readBenchResults(file);
  } catch (error) {
    process.stderr.write(`bench --only sloth: the rest of the report is not rendered again (${(error as Error).message})\n`);
  }
  if (results) writeReport(out, results);
  else writeFileSync(join(out, 'benchmarks.md'), withSlothSection(readFileSync(join(out, 'benchmarks.md'), 'utf8'), slothSection(slothComparison)));
  process.stdout.write(`Wrote the sloth comparison (${slothComparison.rows.length} scenario runs) into ${file} and ${join(out, 'benchmarks.md')}.\n`);
}

function writeReport(out: string, results: BenchResults): void {
  for (const [file, svg] of Object.entries(charts(results))) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file), svg);
  }
  writeFileSync(join(out, 'benchmarks.md'), benchmarksMarkdown(results));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
