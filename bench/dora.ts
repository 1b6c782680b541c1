import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleDoraExporter } from '../lib/dora/dora-exporter-files';
import { DoraExporter } from '../lib/dora/exporter/exporter';
import { FakeGitHub, linearHistory, standInConfig, type RepoFixture, type RunFixture } from '../lib/dora/exporter/fake-github';
import { announcedPort, waitFor } from './processes';
import { summarize, type Summary } from './stats';

/**
 * Item 5: the bundled DORA exporter, run as on the host (`node dora-exporter.js --config FILE`) against a fake
 * GitHub API on 127.0.0.1 holding 10 repositories with a month of deploys. Counts the API requests of a poll
 * after which nothing changed, and how many of them were conditional and answered 304, and reads the
 * process's resident memory.
 */
export const DORA_REPOSITORIES = 10;
const DEPLOYS_PER_REPOSITORY = 12;

export interface DoraResult {
  readonly repositories: number;
  /** Requests of the first poll (cold: every ETag unknown). */
  readonly firstPollRequests: Summary;
  /** Requests of a poll when nothing changed. */
  readonly noChangeRequests: Summary;
  /** Of those, conditional (If-None-Match) and answered 304. */
  readonly noChange304: Summary;
  readonly noChangeUnconditional: Summary;
  /** Resident set after the polls (VmRSS) and its peak (VmHWM), MiB. */
  readonly rssMiB: Summary;
  readonly peakRssMiB: Summary;
  /** GitHub requests of one busy repository (deterministic: counted once). */
  readonly budget: DoraBudget;
}

/** Request budget of one repository with BUSY_DEPLOYS deploys in 30 days (no GitHub deployments, one commit each). */
export interface DoraBudget {
  readonly deploys: number;
  /** First poll with an empty state. */
  readonly coldBackfill: number;
  /** What the same backfill cost before this exporter listed deployments per environment: 3 + run pages + 2 per deploy. */
  readonly previousColdBackfill: number;
  /** A poll when nothing changed (all conditional, answered 304). */
  readonly noChangePoll: number;
  /** A poll after one more deploy. */
  readonly oneDeployPoll: number;
  /** A backfill stopped by an exhausted rate limit after `rateLimit` requests, then resumed by a restarted process. */
  readonly rateLimit: number;
  readonly resumedTotal: number;
  /** Per-deploy answers (compare, attempts, statuses) of the stopped try asked for again by the resumed one. */
  readonly askedAgain: number;
}

export const BUSY_DEPLOYS = 250;

/** `count` successful deploys of one repository over 30 days, evenly spaced, each shipping one commit. */
export function repoFixture(now: number, count = DEPLOYS_PER_REPOSITORY): RepoFixture {
  const runs: RunFixture[] = [];
  const spacing = (30 * 86400_000) / (count + 1);
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let i = 0; i < count; i++) {
    const created = now - (count - i) * spacing;
    const sha = `s${i}`;
    runs.push({
      id: 1000 + i,
      head_sha: sha,
      head_branch: 'main',
      display_title: `deploy ${sha}`,
      status: 'completed',
      conclusion: 'success',
      created_at: iso(created),
      run_started_at: iso(created + 60_000),
      updated_at: iso(created + 600_000),
      head_commit: { id: sha, message: `feat: change ${i}`, timestamp: iso(created - 3600_000) },
    });
  }
  const commits = linearHistory(runs.map((r) => ({ sha: r.head_sha, authored: r.head_commit.timestamp })));
  return { default_branch: 'main', runs: { 'deploy.yml': runs }, commits, deployments: [], statuses: {}, issues: [] };
}

/** Counts the GitHub requests of the busy repository's backfill, no-change poll, one-deploy poll, and a backfill resumed after a rate limit. */
export async function benchDoraBudget(): Promise<DoraBudget> {
  const github = new FakeGitHub();
  await github.start();
  const dir = mkdtempSync(join(tmpdir(), 'bench-dora-budget-'));
  try {
    const now = Date.now();
    let clock = now;
    writeFileSync(join(dir, 'token'), `${github.token}\n`);
    const config = (stateFile: string) =>
      standInConfig(github.url, dir, {
        stateFile: join(dir, stateFile),
        repositories: [{ repo: 'acme/busy', deployWorkflow: 'deploy.yml', environment: 'production' }],
      });
    const exporter = (stateFile: string) => new DoraExporter(config(stateFile), { now: () => clock, sleep: async () => undefined, log: () => undefined });
    const fixture = repoFixture(now - 3600_000, BUSY_DEPLOYS);
    github.repos['acme/busy'] = fixture;
    const requests = async (poll: () => Promise<void>) => {
      github.clearLog();
      await poll();
      return github.log.length;
    };

    const warm = exporter('state.json');
    const coldBackfill = await requests(() => warm.poll());
    clock += 300_000;
    const noChangePoll = await requests(() => warm.poll());
    const last = fixture.runs['deploy.yml'][BUSY_DEPLOYS - 1];
    const next = {
      ...last,
      id: last.id + 1,
      head_sha: 'next',
      created_at: new Date(clock - 900_000).toISOString(),
      run_started_at: new Date(clock - 840_000).toISOString(),
      updated_at: new Date(clock - 300_000).toISOString(),
    };
    fixture.runs['deploy.yml'].push(next);
    fixture.commits.push({ sha: 'next', parents: [last.head_sha], authored: new Date(clock - 1800_000).toISOString() });
    clock += 300_000;
    const oneDeployPoll = await requests(() => warm.poll());

    // a rate limit that runs out after 200 requests, resetting in an hour; then a restarted process resumes
    const rateLimit = 200;
    github.setRateLimit(rateLimit, Math.floor(clock / 1000) + 3600);
    github.clearLog();
    await exporter('resumed.json').poll();
    const stopped = github.log.filter((r) => r.status === 200).map((r) => `${r.path}?${r.query.toString()}`);
    const first = github.log.length;
    github.setRateLimit(5000);
    clock += 3600_000;
    github.clearLog();
    await exporter('resumed.json').poll();
    const perDeploy = /\/(compare|statuses|attempts)\b/;
    const askedAgain = github.log.filter((r) => r.status === 200 && perDeploy.test(r.path) && stopped.includes(`${r.path}?${r.query.toString()}`)).length;
    const runPages = Math.ceil(BUSY_DEPLOYS / 100);
    return {
      deploys: BUSY_DEPLOYS,
      coldBackfill,
      previousColdBackfill: 3 + runPages + 2 * BUSY_DEPLOYS,
      noChangePoll,
      oneDeployPoll,
      rateLimit,
      resumedTotal: first + github.log.length,
      askedAgain,
    };
  } finally {
    await github.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

interface OneRun {
  first: number;
  noChange: number;
  noChange304: number;
  unconditional: number;
  rss: number;
  hwm: number;
}

async function runOnce(program: string): Promise<OneRun> {
  const github = new FakeGitHub();
  await github.start();
  const dir = mkdtempSync(join(tmpdir(), 'bench-dora-'));
  const repos = Array.from({ length: DORA_REPOSITORIES }, (_, i) => `acme/service-${i + 1}`);
  const now = Date.now();
  for (const repo of repos) github.repos[repo] = repoFixture(now);
  writeFileSync(join(dir, 'token'), `${github.token}\n`);
  const config = standInConfig(github.url, dir, {
    stateFile: join(dir, 'state.json'),
    pollIntervalSeconds: 2,
    repositories: repos.map((repo) => ({ repo, deployWorkflow: 'deploy.yml', environment: 'production' })),
  });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const child = spawn(process.execPath, [program, '--config', join(dir, 'config.json')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    const announced = announcedPort(child);
    const port = await announced.port;
    const successfulPolls = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/^dora_exporter_polls_total\{result="success"\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const waitForPolls = (n: number) =>
      waitFor(`${n} finished polls of the exporter`, async () => ((await successfulPolls()) >= n ? true : undefined), 25_000, 100).catch((error: Error) => {
        throw new Error(`${error.message}: ${announced.stderr()}`);
      });
    await waitForPolls(1);
    const first = github.log.length;
    github.clearLog();
    await waitForPolls(2);
    const log = [...github.log];
    const memory = memoryOf(child.pid!);
    return {
      first,
      noChange: log.length,
      noChange304: log.filter((r) => r.ifNoneMatch !== undefined && r.status === 304).length,
      unconditional: log.filter((r) => r.ifNoneMatch === undefined).length,
      rss: memory.rss,
      hwm: memory.hwm,
    };
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await github.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchDora(runs: number): Promise<DoraResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dora-program-'));
  try {
    const program = join(dir, 'dora-exporter.js');
    writeFileSync(program, bundleDoraExporter());
    const results: OneRun[] = [];
    for (let i = 0; i < runs; i++) results.push(await runOnce(program));
    const budget = await benchDoraBudget();
    const s = (pick: (r: OneRun) => number) => summarize(results.map(pick));
    return {
      repositories: DORA_REPOSITORIES,
      firstPollRequests: s((r) => r.first),
      noChangeRequests: s((r) => r.noChange),
      noChange304: s((r) => r.noChange304),
      noChangeUnconditional: s((r) => r.unconditional),
      rssMiB: s((r) => r.rss),
      peakRssMiB: s((r) => r.hwm),
      budget,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
