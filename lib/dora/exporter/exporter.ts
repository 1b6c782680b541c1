import { readFileSync } from 'node:fs';
import type { ExporterConfig } from './config';
import { GitHubClient } from './github-client';
import { GitHubSource, PartialRuns } from './github-source';
import { ExporterHealth, pollErrorReason } from './health';
import { applyIncidents, applyRuns, ensureSeries, prune, seriesKey, type DoraState } from './history';
import { buildRegistry } from './registry';
import { loadStateOrStartOver, saveState } from './state-store';
import type { Registry } from 'prom-client';

export interface ExporterDeps {
  readonly fetch?: typeof fetch;
  /** Backoff waits; tests pass one that returns at once. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
  readonly log?: (message: string) => void;
}

/** Days of records kept beyond the look-back, so the 30-day gauges and incident blame stay complete. */
const RETENTION_SLACK_DAYS = 2;

/**
 * The exporter: polls GitHub, folds what is new into the state, saves it, and serves metrics computed from
 * it. A GitHub error never escapes a poll: that repository's state stays as it was (last good values keep
 * being served) and the error is counted.
 */
export class DoraExporter {
  readonly health = new ExporterHealth();
  readonly registry: Registry;
  private state: DoraState;
  private readonly client: GitHubClient;
  private readonly source: GitHubSource;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** Read from the token file at the start of every poll (the host may rotate it). */
  private token?: string;

  constructor(
    private readonly config: ExporterConfig,
    deps: ExporterDeps = {},
  ) {
    this.now = deps.now ?? Date.now;
    this.log = deps.log ?? ((message) => console.error(message));
    const loaded = loadStateOrStartOver(config.stateFile);
    if (loaded.problem) this.log(`dora-exporter: ${loaded.problem}`);
    this.state = loaded.state;
    for (const entry of config.repositories)
      ensureSeries(this.state, { repo: entry.repo, workflow: entry.deployWorkflow, environment: entry.environment });
    this.client = new GitHubClient({
      apiUrl: config.apiUrl,
      token: () => this.token,
      fetch: deps.fetch,
      sleep: deps.sleep,
      random: deps.random,
      now: this.now,
      observer: this.health,
    });
    this.source = new GitHubSource(this.client, config.perPage);
    this.registry = buildRegistry({ state: () => this.state, health: this.health, now: () => Math.floor(this.now() / 1000) });
  }

  /** The current state (read-only use). */
  get snapshot(): DoraState {
    return this.state;
  }

  /**
   * One poll of every repository; resolves even when GitHub fails. Each repository is read on a copy of the
   * state that replaces the state after each deploy series is read, or, when a request fails half-way through
   * its deploy runs, with the runs observed until then and the compare answers already fetched (the cursor does
   * not move, so the next poll resumes after them). The state file is written after every repository, so a
   * restart loses no progress either.
   */
  async poll(): Promise<void> {
    const now = Math.floor(this.now() / 1000);
    const notBefore = now - this.config.lookbackDays * 86400;
    this.token = this.readToken();
    let ok = true;
    const branches = new Map<string, string>();
    const repos = [...new Set(this.config.repositories.map((entry) => entry.repo))];
    for (const repo of repos) {
      const entries = this.config.repositories.filter((entry) => entry.repo === repo);
      const next = structuredClone(this.state);
      try {
        for (const entry of entries) {
          let branch = entry.branch;
          if (branch === undefined) {
            branch = branches.get(repo) ?? (await this.source.defaultBranch(repo));
            branches.set(repo, branch);
          }
          const labels = { repo, workflow: entry.deployWorkflow, environment: entry.environment };
          const key = ensureSeries(next, labels);
          let found: Awaited<ReturnType<GitHubSource['deployRuns']>>;
          try {
            found = await this.source.deployRuns(entry, branch, next.cursors[key], notBefore, next.answers, now);
          } catch (error) {
            if (!(error instanceof PartialRuns)) throw error;
            applyRuns(next, labels, error.runs, this.config.rollbackMarkers);
            this.state = next;
            throw error.cause;
          }
          applyRuns(next, labels, found.runs, this.config.rollbackMarkers);
          next.cursors[key].scanFrom = found.scanFrom;
          // Kept even if the incidents below fail: they are read again from their unchanged watermark.
          this.state = next;
        }
        const incidents = await this.source.incidents(repo, this.config.incidentLabel, next.repos[repo]?.issuesWatermark, notBefore);
        const first = entries[0];
        const fallback = seriesKey({ repo, workflow: first.deployWorkflow, environment: first.environment });
        applyIncidents(next, repo, fallback, incidents, notBefore, this.config.timeToRestoreFrom);
        next.repos[repo].lastSuccessfulPoll = now;
        this.state = next;
        this.health.repositoryPolled(repo);
      } catch (error) {
        ok = false;
        const reason = pollErrorReason(error);
        this.health.repositoryPolled(repo, reason);
        this.log(`dora-exporter: poll of ${repo} failed (${reason}), keeping its last values: ${(error as Error).message}`);
      }
      ok = this.save() && ok;
    }
    prune(this.state, notBefore - Math.max(0, 30 - this.config.lookbackDays) * 86400 - RETENTION_SLACK_DAYS * 86400);
    if (ok) {
      this.state.lastSuccessfulPoll = now;
      this.health.polls.success += 1;
    } else this.health.polls.failure += 1;
    this.save();
  }

  private save(): boolean {
    try {
      saveState(this.config.stateFile, this.state);
      return true;
    } catch (error) {
      this.log(`dora-exporter: cannot write ${this.config.stateFile}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Polls now and then every `pollIntervalSeconds` until stop(). */
  start(): void {
    const loop = async () => {
      this.running = this.poll().catch((error: Error) => this.log(`dora-exporter: poll failed: ${error.stack ?? error.message}`));
      await this.running;
      // loop handles its own errors (poll's catch above); the bundled exporter's bytes stay as they were.
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      if (!this.stopped) this.timer = setTimeout(loop, this.config.pollIntervalSeconds * 1000);
    };
    void loop();
  }

  /** Stops polling and waits for a poll under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private readToken(): string | undefined {
    try {
      const token = readFileSync(this.config.tokenFile, 'utf8').trim();
      return token.length > 0 ? token : undefined;
    } catch (error) {
      this.log(`dora-exporter: cannot read token file ${this.config.tokenFile} (${(error as NodeJS.ErrnoException).code}); calling GitHub without a token`);
      return undefined;
    }
  }
}
