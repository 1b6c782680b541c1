import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExporterConfig } from '../dora/exporter/config';
import { DoraExporter } from '../dora/exporter/exporter';
import { FakeGitHub, linearHistory, type RepoFixture, type RunFixture } from '../dora/exporter/fake-github';
import { DORA_METRICS } from '../dora/exporter/metric-names';
import type { DoraConfig, PlatformConfig } from '../config/schema';

type DoraRepositoryConfig = DoraConfig['repositories'][number];
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { renderDoraExporterConfig } from '../dora/dora-exporter-files';
import { hostInstanceName } from '../prometheus/scrape-config';
import { compactValues, series, type InputSeries } from './promtool';
import { forMinutes, quietExcept, severityOf, type Scenario } from './scenario';
import { worldSeries } from './world';

/**
 * Deployment failure: a deploy reaches production and breaks it; an incident issue naming the deploy's run is
 * opened, and a hotfix deploy follows. The real DORA exporter (lib/dora/exporter/exporter.ts, with the config
 * rendered for the host) polls a local GitHub stand-in (lib/dora/exporter/fake-github.ts) on a simulated clock,
 * one scrape of its /metrics per scenario minute; the scraped series then feed the real rule files under
 * promtool. The history holds just enough successful deploys that the one change failure lifts the 30-day
 * change failure rate above `doraChangeFailureRatePercent` and the hotfix deploy brings it back under:
 * DoraChangeFailureRateHigh must fire, then resolve; the time-to-restore alert stays quiet (the incident is
 * still open). A red pipeline run would not do: it never reached production, so it is no change failure.
 */

/** A fixed noon, so "N days ago" never crosses the scenario. */
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const MINUTE = 60_000;
/** Minute the breaking deploy starts (it completes 5 minutes later); the incident opens 5 minutes after that. */
const BREAKING_START = 10;
const RUN_MINUTES = 5;
const INCIDENT_AFTER = 5;
const BREAKING_RUN = 2000;

/** Successful deploys before the failure: 1/(s+1) above the threshold, 1/(s+2) at or under it. */
export function priorSuccesses(thresholdPercent: number): number {
  return Math.max(0, Math.ceil(100 / thresholdPercent) - 2);
}

export interface DeploymentFailurePlan {
  readonly successes: number;
  readonly pollMinutes: number;
  /** Minute the breaking deploy completes. */
  readonly deployedAt: number;
  /** Minute the incident naming it is opened, and the first poll that sees it. */
  readonly incidentAt: number;
  readonly seenAt: number;
  readonly by: number;
  /** Minute the hotfix deploy completes, and the first poll that sees it. */
  readonly fixedAt: number;
  readonly fixSeenAt: number;
  readonly resolveBy: number;
  readonly minutes: number;
}

export function deploymentFailurePlan(config: PlatformConfig): DeploymentFailurePlan {
  if (!config.dora) throw new Error('a deployment-failure game day needs config.dora');
  const pollMinutes = Math.max(1, Math.round(config.dora.pollIntervalSeconds / 60));
  const nextPoll = (m: number) => Math.ceil(m / pollMinutes) * pollMinutes;
  const deployedAt = BREAKING_START + RUN_MINUTES;
  const incidentAt = deployedAt + INCIDENT_AFTER;
  const seenAt = nextPoll(incidentAt);
  const by = seenAt + forMinutes('DoraChangeFailureRateHigh', config) + 1;
  const fixedAt = by + 5;
  const fixSeenAt = nextPoll(fixedAt);
  const resolveBy = fixSeenAt + 2;
  return {
    successes: priorSuccesses(config.alerting.thresholds.doraChangeFailureRatePercent),
    pollMinutes,
    deployedAt,
    incidentAt,
    seenAt,
    by,
    fixedAt,
    fixSeenAt,
    resolveBy,
    minutes: resolveBy + 10,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function deployRun(id: number, sha: string, startMs: number, branch: string, title = `deploy ${sha}`): RunFixture {
  return {
    id,
    head_sha: sha,
    head_branch: branch,
    display_title: title,
    status: 'completed',
    conclusion: 'success',
    created_at: iso(startMs),
    run_started_at: iso(startMs),
    updated_at: iso(startMs + RUN_MINUTES * MINUTE),
    head_commit: { id: sha, message: title, timestamp: iso(startMs - 30 * MINUTE) },
  };
}

/** A repository whose deploy workflow has `successes` successful runs over the past days, on a linear history that already holds the commits deployed later. */
function healthyRepo(repo: DoraRepositoryConfig, successes: number): RepoFixture {
  const branch = repo.branch ?? 'main';
  const runs = Array.from({ length: successes }, (_, i) => deployRun(1000 + i, `ok${i}`, T0 - (successes - i) * 4 * 86400_000, branch));
  const later = [
    { sha: 'broken', authored: iso(T0 + (BREAKING_START - 30) * MINUTE) },
    { sha: 'fixed', authored: iso(T0) },
  ];
  const commits = linearHistory([...runs.map((r) => ({ sha: r.head_sha, authored: r.head_commit.timestamp })), ...later]);
  return { default_branch: branch, runs: { [repo.deployWorkflow]: runs }, commits, deployments: [], statuses: {}, issues: [] };
}

/** One Prometheus exposition sample line: name, labels, value. */
export function parseExposition(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const out: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const l of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value = Number(match[3].replace(/^\+Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity'));
    out.push({ name: match[1], labels, value });
  }
  return out;
}

/** Values with `_` for minutes without a sample (promtool's notation), compact when all are present. */
function sampleValues(samples: readonly (number | undefined)[]): string {
  if (samples.every((v) => v !== undefined && Number.isFinite(v))) return compactValues(samples as number[]);
  return samples.map((v) => (v === undefined ? '_' : Number.isFinite(v) ? String(v) : v > 0 ? 'Inf' : '-Inf')).join(' ');
}

/**
 * Runs the real exporter for `plan.minutes` simulated minutes: the failed run of `target` appears when it
 * completes, the fixing run likewise; the exporter polls every `pollMinutes` and is scraped every minute.
 * Returns the scraped series (with the scrape job's `job` and `instance`).
 */
export async function exportedDoraSeries(config: PlatformConfig, target: DoraRepositoryConfig, plan: DeploymentFailurePlan): Promise<InputSeries[]> {
  const github = new FakeGitHub();
  const dir = mkdtempSync(join(tmpdir(), 'gameday-dora-'));
  let clock = T0;
  try {
    await github.start();
    const rendered = JSON.parse(renderDoraExporterConfig(config)) as ExporterConfig;
    const exporterConfig: ExporterConfig = {
      ...rendered,
      apiUrl: github.url,
      tokenFile: join(dir, 'token'),
      stateFile: join(dir, 'state.json'),
      listen: { host: '127.0.0.1', port: 0 },
    };
    writeFileSync(join(dir, 'token'), `${github.token}\n`);
    for (const repo of config.dora!.repositories) github.repos[repo.repo] ??= healthyRepo(repo, plan.successes);
    const exporter = new DoraExporter(exporterConfig, { now: () => clock, sleep: async () => undefined, random: () => 0.5, log: () => undefined });
    const fixture = github.repos[target.repo];
    const branch = target.branch ?? 'main';
    const samples = new Map<string, { name: string; labels: Record<string, string>; values: (number | undefined)[] }>();
    const instance = hostInstanceName(config);
    for (let m = 0; m < plan.minutes; m++) {
      clock = T0 + m * MINUTE;
      if (m === plan.deployedAt) fixture.runs[target.deployWorkflow].push(deployRun(BREAKING_RUN, 'broken', T0 + BREAKING_START * MINUTE, branch));
      if (m === plan.incidentAt)
        fixture.issues.push({
          number: 1,
          title: 'Checkout fails',
          body: `Since https://github.com/${target.repo}/actions/runs/${BREAKING_RUN}`,
          created_at: iso(clock),
          updated_at: iso(clock),
          closed_at: null,
          labels: [{ name: config.dora!.incidentLabel }],
        });
      if (m === plan.fixedAt)
        fixture.runs[target.deployWorkflow].push(deployRun(BREAKING_RUN + 1, 'fixed', T0 + (plan.fixedAt - RUN_MINUTES) * MINUTE, branch, 'hotfix: checkout'));
      if (m % plan.pollMinutes === 0) await exporter.poll();
      for (const sample of parseExposition(await exporter.registry.metrics())) {
        if (!sample.name.startsWith('dora_')) continue;
        const labels = { job: SCRAPE_JOBS.dora, instance, ...sample.labels };
        const key = series(sample.name, labels);
        if (!samples.has(key)) samples.set(key, { name: sample.name, labels, values: Array.from({ length: plan.minutes }, () => undefined) });
        samples.get(key)!.values[m] = sample.value;
      }
    }
    return [...samples.entries()].map(([key, s]) => ({ series: key, values: sampleValues(s.values) }));
  } finally {
    await github.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function deploymentFailureScenario(config: PlatformConfig, target: DoraRepositoryConfig): Promise<Scenario> {
  const plan = deploymentFailurePlan(config);
  const doraSeries = await exportedDoraSeries(config, target, plan);
  const threshold = config.alerting.thresholds.doraChangeFailureRatePercent;
  return {
    name: `deployment-failure/${target.repo}/${target.environment}`,
    family: 'deployment-failure',
    broken: `after ${plan.successes} good deploys, a deploy of ${target.repo} (${target.deployWorkflow}) reaches production at minute ${plan.deployedAt} and an incident naming it opens at minute ${plan.incidentAt}; a hotfix deploy follows at minute ${plan.fixedAt} (DORA exporter polling a GitHub stand-in every ${plan.pollMinutes} min)`,
    minutes: plan.minutes,
    input: worldSeries(config, plan.minutes, { doraSeries }),
    mustFire: [
      {
        alertname: 'DoraChangeFailureRateHigh',
        labels: {
          job: SCRAPE_JOBS.dora,
          instance: hostInstanceName(config),
          repo: target.repo,
          workflow: target.deployWorkflow,
          environment: target.environment,
          window: '30d',
          severity: severityOf('DoraChangeFailureRateHigh'),
        },
        by: plan.by,
      },
    ],
    mustResolve: [{ alertname: 'DoraChangeFailureRateHigh', by: plan.resolveBy }],
    mustStayQuiet: quietExcept('DoraChangeFailureRateHigh'),
    chart: {
      title: `change failure rate (30d) of ${target.repo}, as the exporter serves it`,
      expr: `max(100 * ${DORA_METRICS.changeFailureRate}{repo="${target.repo}",environment="${target.environment}",window="30d"})`,
      unit: '%',
      thresholds: [{ label: `DoraChangeFailureRateHigh (> ${threshold}%)`, value: threshold }],
    },
  };
}

/** One per configured repository; none without `dora`. */
export async function deploymentFailureScenarios(config: PlatformConfig): Promise<Scenario[]> {
  if (!config.dora || config.alerting.thresholds.doraChangeFailureRatePercent >= 100) return [];
  const out: Scenario[] = [];
  for (const repo of config.dora.repositories) out.push(await deploymentFailureScenario(config, repo));
  return out;
}
