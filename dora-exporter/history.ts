import { emptyTally, observe, type Tally } from './tally';

/**
 * The exporter's memory: cumulative totals per series (what counters and histograms expose), recent records
 * (what the 7d/30d gauges are computed from) and cursors (what has been processed). It is plain JSON so it
 * can be saved as the state file; every change goes through the functions below, which never count a run
 * attempt or an incident twice.
 */

/** One configured (repo, workflow, environment): the label set of every DORA series. */
export interface SeriesLabels {
  readonly repo: string;
  readonly workflow: string;
  readonly environment: string;
}

export interface SeriesTotals {
  readonly labels: SeriesLabels;
  deployments: number;
  failedDeployments: number;
  changeFailures: number;
  leadTime: Tally;
  leadTimeQueue: Tally;
  leadTimePipeline: Tally;
  leadTimeConfirmation: Tally;
  timeToRestore: Tally;
}

/** A finished deploy run attempt (epoch seconds). */
export interface DeployRecord {
  readonly series: string;
  readonly runKey: string;
  readonly sha: string;
  readonly conclusion: 'success' | 'failure';
  readonly completedAt: number;
  /** Per shipped commit: commit time to deployed (confirmation when known, else run completion). */
  readonly leadTimes: number[];
  /** Set when a later rollback/hotfix or an incident blames this deploy. */
  changeFailure: boolean;
}

export interface RestoreRecord {
  readonly series: string;
  readonly restoredAt: number;
  readonly seconds: number;
}

export interface SeriesCursor {
  /** Last successful deploy: the base of the next compare and the target of a rollback marker. */
  lastSuccess?: { runKey: string; sha: string; completedAt: number };
  /** Completion time of the first failed run of the current failure streak. */
  failingSince?: number;
  /** Oldest creation time the next scan must reach (unfinished runs, newest run seen). */
  scanFrom?: number;
  /** Processed run attempts (`id:attempt`) and their creation time, for pruning. */
  processed: Record<string, number>;
}

export interface IncidentRecord {
  readonly createdAt: number;
  /** Series the incident was attributed to. */
  readonly series: string;
  restored: boolean;
}

export interface RepoCursor {
  /** Newest `updated_at` seen in the incident listing. */
  issuesWatermark?: number;
  incidents: Record<string, IncidentRecord>;
}

export interface DoraState {
  version: 1;
  series: Record<string, SeriesTotals>;
  deploys: DeployRecord[];
  restores: RestoreRecord[];
  cursors: Record<string, SeriesCursor>;
  repos: Record<string, RepoCursor>;
}

export function seriesKey(labels: SeriesLabels): string {
  return `${labels.repo}|${labels.workflow}|${labels.environment}`;
}

export function emptyState(): DoraState {
  return { version: 1, series: {}, deploys: [], restores: [], cursors: {}, repos: {} };
}

/** Makes sure every configured series exists (so counters are exposed at 0 from the start). */
export function ensureSeries(state: DoraState, labels: SeriesLabels): string {
  const key = seriesKey(labels);
  state.series[key] ??= {
    labels: { repo: labels.repo, workflow: labels.workflow, environment: labels.environment },
    deployments: 0,
    failedDeployments: 0,
    changeFailures: 0,
    leadTime: emptyTally(),
    leadTimeQueue: emptyTally(),
    leadTimePipeline: emptyTally(),
    leadTimeConfirmation: emptyTally(),
    timeToRestore: emptyTally(),
  };
  state.cursors[key] ??= { processed: {} };
  state.repos[labels.repo] ??= { incidents: {} };
  return key;
}

/** A completed deploy run attempt, with what the GitHub source found about it (epoch seconds). */
export interface ObservedRun {
  readonly runKey: string;
  readonly sha: string;
  readonly conclusion: 'success' | 'failure';
  readonly createdAt: number;
  readonly startedAt: number;
  readonly completedAt: number;
  /** Run title and head commit message, searched for rollback markers. */
  readonly text: string;
  /** Commit times of the commits this deploy shipped first (successful runs only). */
  readonly commitTimes: readonly number[];
  /** First successful GitHub deployment status for this run's sha and environment. */
  readonly confirmedAt?: number;
}

/** True when `text` contains one of the markers as a whole word (case-insensitive). */
export function hasRollbackMarker(text: string, markers: readonly string[]): boolean {
  return markers.some((marker) => {
    const escaped = marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`, 'i').test(text);
  });
}

function markChangeFailure(state: DoraState, key: string, runKey: string): boolean {
  const record = state.deploys.find((d) => d.series === key && d.runKey === runKey);
  if (!record || record.changeFailure) return false;
  record.changeFailure = true;
  state.series[key].changeFailures += 1;
  return true;
}

function restore(state: DoraState, key: string, from: number, to: number): void {
  const seconds = Math.max(0, to - from);
  observe(state.series[key].timeToRestore, seconds);
  state.restores.push({ series: key, restoredAt: to, seconds });
}

/**
 * Applies finished runs (any order; sorted here by completion) to one series. Already processed run attempts
 * are ignored, so applying the same runs again changes nothing.
 */
export function applyRuns(state: DoraState, labels: SeriesLabels, runs: readonly ObservedRun[], markers: readonly string[]): void {
  const key = ensureSeries(state, labels);
  const totals = state.series[key];
  const cursor = state.cursors[key];
  const fresh = runs
    .filter((run) => cursor.processed[run.runKey] === undefined)
    .sort((a, b) => a.completedAt - b.completedAt || a.createdAt - b.createdAt);
  for (const run of fresh) {
    cursor.processed[run.runKey] = run.createdAt;
    if (run.conclusion === 'failure') {
      totals.failedDeployments += 1;
      totals.changeFailures += 1;
      cursor.failingSince ??= run.completedAt;
      state.deploys.push({ series: key, runKey: run.runKey, sha: run.sha, conclusion: 'failure', completedAt: run.completedAt, leadTimes: [], changeFailure: true });
      continue;
    }
    totals.deployments += 1;
    const pipeline = Math.max(0, run.completedAt - run.startedAt);
    const deployedAt = run.confirmedAt === undefined ? run.completedAt : Math.max(run.completedAt, run.confirmedAt);
    observe(totals.leadTimePipeline, pipeline);
    if (run.confirmedAt !== undefined) observe(totals.leadTimeConfirmation, deployedAt - run.completedAt);
    const leadTimes = run.commitTimes.map((time) => Math.max(0, deployedAt - time));
    for (const time of run.commitTimes) observe(totals.leadTimeQueue, Math.max(0, run.startedAt - time));
    for (const lead of leadTimes) observe(totals.leadTime, lead);
    state.deploys.push({ series: key, runKey: run.runKey, sha: run.sha, conclusion: 'success', completedAt: run.completedAt, leadTimes, changeFailure: false });

    const previous = cursor.lastSuccess;
    if (cursor.failingSince !== undefined) {
      restore(state, key, cursor.failingSince, run.completedAt);
      cursor.failingSince = undefined;
    } else if (previous && hasRollbackMarker(run.text, markers) && markChangeFailure(state, key, previous.runKey)) {
      restore(state, key, previous.completedAt, run.completedAt);
    }
    cursor.lastSuccess = { runKey: run.runKey, sha: run.sha, completedAt: run.completedAt };
  }
}

/** An issue carrying the incident label (epoch seconds). */
export interface ObservedIncident {
  readonly id: string;
  readonly createdAt: number;
  readonly closedAt?: number;
  readonly updatedAt: number;
}

/**
 * Applies incidents of one repository: each new incident blames the latest successful deploy of that
 * repository before it was opened (a change failure, once per deploy); its close is a restore, observed once.
 * `fallback` is the series of incidents that no deploy precedes.
 */
export function applyIncidents(state: DoraState, repo: string, fallback: string, incidents: readonly ObservedIncident[], notBefore: number): void {
  const cursor = (state.repos[repo] ??= { incidents: {} });
  for (const incident of [...incidents].sort((a, b) => a.createdAt - b.createdAt)) {
    cursor.issuesWatermark = Math.max(cursor.issuesWatermark ?? 0, incident.updatedAt);
    let record = cursor.incidents[incident.id];
    if (!record) {
      if (incident.createdAt < notBefore) continue;
      const blamed = state.deploys
        .filter((d) => d.conclusion === 'success' && d.completedAt <= incident.createdAt && state.series[d.series]?.labels.repo === repo)
        .sort((a, b) => b.completedAt - a.completedAt)[0];
      const series = blamed?.series ?? fallback;
      if (blamed) markChangeFailure(state, blamed.series, blamed.runKey);
      record = cursor.incidents[incident.id] = { createdAt: incident.createdAt, series, restored: false };
    }
    if (!record.restored && incident.closedAt !== undefined) {
      record.restored = true;
      restore(state, record.series, incident.createdAt, incident.closedAt);
    }
  }
}

/** Drops records and cursors older than `before` (epoch seconds); totals are untouched. */
export function prune(state: DoraState, before: number): void {
  state.deploys = state.deploys.filter((d) => d.completedAt >= before);
  state.restores = state.restores.filter((r) => r.restoredAt >= before);
  for (const cursor of Object.values(state.cursors))
    for (const [runKey, createdAt] of Object.entries(cursor.processed)) if (createdAt < before) delete cursor.processed[runKey];
  for (const repo of Object.values(state.repos))
    for (const [id, incident] of Object.entries(repo.incidents))
      if (incident.restored && incident.createdAt < before) delete repo.incidents[id];
}
