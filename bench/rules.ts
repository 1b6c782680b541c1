import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { parsePlatformConfig } from '../lib/config/loader';
import type { PlatformConfig } from '../lib/config/schema';
import { DEFAULT_LATENCY_BUCKETS } from '../lib/config/schema';
import { SCRAPE_JOBS } from '../lib/contracts/scrape-jobs';
import { renderRuleFile, ruleFiles } from '../lib/prometheus/rule-files';
import { compilePlatform } from '../lib/model/compile';
import type { RuleFile } from '../lib/promql/rule-types';
import { PROMTOOL_CONTEXT } from '../lib/gameday/promtool';
import { generatedConfigYaml } from './generate-config';
import { freePort, startDaemon, waitForHttp } from './processes';
import { summarize, type Summary } from './stats';

/**
 * Item 3: how many rules an SLO costs (ours, counted from the rendered rule files; sloth's for the same SLO is
 * counted from its own output in bench/sloth-comparison.ts) and how long Prometheus takes to evaluate the rule groups of 200 SLOs over live synthetic series.
 */

/** Recording rules and alerts of one SLO, as rendered. */
export interface SloRuleCount {
  readonly service: string;
  readonly slo: string;
  readonly environments: number;
  readonly recordingRules: number;
  readonly alerts: number;
}

/** Counts the recording rules and alerts of every SLO in rendered rule files (by their `slo` label). */
export function countSloRules(files: readonly RuleFile[], config: PlatformConfig): SloRuleCount[] {
  const rendered = files.map(
    (file) => yaml.load(renderRuleFile(file)) as { groups: { name: string; rules: { record?: string; alert?: string; labels?: Record<string, string> }[] }[] },
  );
  return config.services.flatMap((service) =>
    service.slos.map((slo) => {
      const mine = rendered
        .flatMap((f) => f.groups)
        .filter((g) => g.name === `slo-${service.name}-recording` || g.name === `slo-${service.name}-alerts`)
        .flatMap((g) => g.rules)
        .filter((r) => r.labels?.slo === slo.name);
      const environments = new Set(mine.map((r) => r.labels?.environment).filter((e): e is string => e !== undefined)).size;
      return {
        service: service.name,
        slo: slo.name,
        environments,
        recordingRules: mine.filter((r) => r.record !== undefined).length,
        alerts: mine.filter((r) => r.alert !== undefined).length,
      };
    }),
  );
}

/** Per-group evaluation duration, sampled once per evaluation round. */
export interface RuleEvalResult {
  readonly slos: number;
  readonly services: number;
  readonly groups: number;
  readonly rules: number;
  readonly series: number;
  readonly rounds: number;
  /** Over every group of every round. */
  readonly allGroupsMs: Summary;
  /** The slowest group's median, and the slowest single evaluation of any group. */
  readonly slowestGroup: { readonly name: string; readonly medianMs: number; readonly maxMs: number };
  /** Sum of all groups' durations per round: the rule evaluation work of one evaluation interval. */
  readonly perRoundTotalMs: Summary;
  /** Series the SLO engine recorded in the last round (proof the rules matched the synthetic series). */
  readonly recordedErrorRatioSeries: number;
}

/** Synthetic /metrics of every service: probes, request counters by status, and latency histograms. */
export function syntheticMetrics(config: PlatformConfig, elapsedSeconds: number): string {
  const lines: string[] = [];
  const t = Math.max(elapsedSeconds, 0);
  config.services.forEach((service, s) => {
    for (const env of service.environments) {
      const base = `service="${service.name}",environment="${env.name}"`;
      lines.push(`probe_success{job="${SCRAPE_JOBS.probe}",${base},instance="${env.probeUrl}"} ${(Math.floor(t / 5) + s) % 50 === 0 ? 0 : 1}`);
      const app = `job="${SCRAPE_JOBS.app}",${base}`;
      const total = Math.floor(t * 20);
      const errors = Math.floor(t * 0.05 * (1 + (s % 3)));
      lines.push(`http_requests_total{${app},status="200"} ${total - errors}`);
      lines.push(`http_requests_total{${app},status="500"} ${errors}`);
      const buckets = service.latencyBuckets ?? DEFAULT_LATENCY_BUCKETS;
      buckets.forEach((le, i) =>
        lines.push(`http_request_duration_seconds_bucket{${app},le="${le}"} ${Math.floor(total * Math.min(1, 0.5 + (i + 1) / (buckets.length + 1)))}`),
      );
      lines.push(`http_request_duration_seconds_bucket{${app},le="+Inf"} ${total}`);
      lines.push(`http_request_duration_seconds_count{${app}} ${total}`);
      lines.push(`http_request_duration_seconds_sum{${app}} ${(total * 0.12).toFixed(3)}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

/** `prometheus_rule_group_last_duration_seconds` per group from Prometheus's own /metrics. */
export function parseGroupDurations(metrics: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const match of metrics.matchAll(/^prometheus_rule_group_last_duration_seconds\{rule_group="([^"]+)"\} (\S+)$/gm)) {
    out.set(match[1].replace(/^.*\//, ''), Number(match[2]));
  }
  return out;
}

/** Services needed for at least `slos` SLOs at 3 per service. */
export function servicesFor(slos: number): number {
  return Math.ceil(slos / 3);
}

const EVAL_INTERVAL_SECONDS = 5;

/**
 * Starts the pinned `prometheus` on 127.0.0.1 with the rules of `slos` SLOs and a scrape of synthetic series,
 * lets `rounds` evaluation rounds pass after a warm-up, and reads every group's last evaluation duration
 * after each round. The process is stopped in every case.
 */
export async function benchRuleEvaluation(slos: number, rounds: number): Promise<RuleEvalResult> {
  const services = servicesFor(slos);
  const config = parsePlatformConfig(generatedConfigYaml({ services }), 'generated.yaml');
  const files = ruleFiles(compilePlatform(config), PROMTOOL_CONTEXT);
  const dir = mkdtempSync(join(tmpdir(), 'bench-prometheus-'));
  const started = Date.now();
  const server: Server = createServer((req, res) => {
    const body = syntheticMetrics(config, (Date.now() - started) / 1000);
    res.writeHead(req.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' }).end(req.url === '/metrics' ? body : '');
  });
  const metricsPort = await freePort();
  await new Promise<void>((resolve) => server.listen(metricsPort, '127.0.0.1', resolve));
  const port = await freePort();
  mkdirSync(join(dir, 'rules'));
  for (const file of files) writeFileSync(join(dir, 'rules', file.name), renderRuleFile(file));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    yaml.dump({
      global: { scrape_interval: `${EVAL_INTERVAL_SECONDS}s`, evaluation_interval: `${EVAL_INTERVAL_SECONDS}s` },
      rule_files: [join(dir, 'rules', '*.yml')],
      scrape_configs: [{ job_name: 'synthetic', honor_labels: true, static_configs: [{ targets: [`127.0.0.1:${metricsPort}`] }] }],
    }),
  );
  const daemon = startDaemon('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  try {
    await waitForHttp(port, '/-/ready', 30_000, daemon);
    const metrics = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(3 * EVAL_INTERVAL_SECONDS * 1000); // warm-up: the first rounds see no rate() data yet
    const perGroup = new Map<string, number[]>();
    const totals: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await sleep(EVAL_INTERVAL_SECONDS * 1000);
      const durations = parseGroupDurations(await metrics());
      let total = 0;
      for (const [group, seconds] of durations) {
        perGroup.set(group, [...(perGroup.get(group) ?? []), seconds * 1000]);
        total += seconds * 1000;
      }
      totals.push(total);
    }
    const query = await (await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('count(slo:sli_error:ratio_rate5m)')}`)).json();
    const recorded = Number((query as { data?: { result?: { value: [number, string] }[] } }).data?.result?.[0]?.value[1] ?? 0);
    let slowest = { name: '', medianMs: -1, maxMs: 0 };
    for (const [name, values] of perGroup) {
      const s = summarize(values);
      if (s.median > slowest.medianMs) slowest = { name, medianMs: s.median, maxMs: s.max };
    }
    const all = [...perGroup.values()].flat();
    return {
      slos: config.services.reduce((n, s) => n + s.slos.length, 0),
      services,
      groups: perGroup.size,
      rules: files.reduce((n, f) => n + f.groups.reduce((m, g) => m + g.rules.length, 0), 0),
      series: syntheticMetrics(config, 0).trim().split('\n').length,
      rounds,
      allGroupsMs: summarize(all),
      slowestGroup: slowest,
      perRoundTotalMs: summarize(totals),
      recordedErrorRatioSeries: recorded,
    };
  } finally {
    await daemon.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The default config's services, for the per-SLO table. */
export function ruleFilesOf(config: PlatformConfig): RuleFile[] {
  return ruleFiles(compilePlatform(config), PROMTOOL_CONTEXT);
}
