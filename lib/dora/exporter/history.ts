import { emptyTally, observe, type Tally } from './tally';

/**
 * The exporter's memory: cumulative totals per series (what counters and histograms expose), recent records
 * (what the 7d/30d gauges are computed from) and cursors (what has been processed). It is plain JSON so it
 * can be saved as the state file; every change goes through the functions below, which never count a run
 * attempt, a commit or an incident twice.
 */

/** One configured (repo, workflow, environment): the label set of every DORA series. */
export interface SeriesLabels {
  readonly repo: string;
  readonly workflow: string;
  readonly environment: string;
}

/** How an incident was tied to a deploy: named by it (commit SHA or run link), the latest deploy before it, or none. */
export type IncidentAttribution = 'linked' | 'latest_deploy' | 'none';
export const INCIDENT_ATTRIBUTIONS: readonly IncidentAttribution[] = ['linked', 'latest_deploy', 'none'];

/**
 * Where a restore starts. `deployed`: when the failed deployment reached production (its run's completion, or
 * its GitHub deployment confirmation when later), for rollbacks, hotfixes and incidents tied to a deploy alike.
 * `incident_opened`: incidents run from their issue's opening instead (Four Keys' choice); rollbacks and
 * hotfixes still start at the failed deployment.
 */
export type RestoreStart = 'deployed' | 'incident_opened';

export interface SeriesTotals {
  readonly labels: SeriesLabels;
  /** Successful deploy runs: deployments that reached production. */
  deployments: number;
  /** Failed deploy runs (pipeline failures; they never reached production). */
  failedDeployments: number;
  /** Deployments followed by a rollback, hotfix or an incident tied to them. */
  changeFailures: number;
  /** Deployments that were a rollback or hotfix of the deployment before them. */
  reworkDeployments: number;
  incidents: Record<IncidentAttribution, number>;
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
  readonly runId: number;
  readonly sha: string;
  readonly conclusion: 'success' | 'failure';
  readonly completedAt: number;
  /** Reached production: the later of completion and the deployment confirmation. */
  readonly deployedAt: number;
  /** Per commit this deploy shipped first: authored time to deployed. */
  readonly leadTimes: number[];
  /** A rollback or hotfix of the deployment before it. */
  readonly rework: boolean;
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
  lastSuccess?: { runKey: string; sha: string; deployedAt: number };
  /** Oldest creation time the next scan must reach (unfinished runs, newest run seen). */
  scanFrom?: number;
  /** Processed run attempts (`id:attempt`) and their creation time, for pruning. */
  processed: Record<string, number>;
  /** Commits already counted for lead time, and when they were deployed, so a rollback or redeploy never counts one again. */
  shipped: Record<string, number>;
}

export interface IncidentRecord {
  readonly createdAt: number;
  /** Series the incident was attributed to. */
  readonly series: string;
  readonly attribution: IncidentAttribution;
  /** Start of its restore, or undefined when the deploy it blames was already restored (by a rollback). */
  readonly restoreFrom?: number;
  restored: boolean;
}

export interface RepoCursor {
  /** Newest `updated_at` seen in the incident listing. */
  issuesWatermark?: number;
  incidents: Record<string, IncidentRecord>;
  /** Epoch seconds of the last poll that read all of this repository. */
  lastSuccessfulPoll?: number;
}

export interface DoraState {
  version: 2;
  series: Record<string, SeriesTotals>;
  deploys: DeployRecord[];
  restores: RestoreRecord[];
  cursors: Record<string, SeriesCursor>;
  repos: Record<string, RepoCursor>;
  /** Epoch seconds of the last poll that read every repository. */
  lastSuccessfulPoll?: number;
  /**
   * Answers that never change, by request (`repo compare BASE...HEAD`): the commits between two commits, with
   * their author dates, and when they were asked for (for pruning). A poll stopped before the deploy in flight
   * was recorded does not ask again after a restart.
   */
  answers: Record<string, { at: number; commits: ShippedCommit[] }>;
}

export const STATE_VERSION = 2;

export function seriesKey(labels: SeriesLabels): string {
  return `${labels.repo}|${labels.workflow}|${labels.environment}`;
}

export function emptyState(): DoraState {
  return { version: STATE_VERSION, series: {}, deploys: [], restores: [], cursors: {}, repos: {}, answers: {} };
}

/** Makes sure every configured series exists (so counters are exposed at 0 from the start). */
export function ensureSeries(state: DoraState, labels: SeriesLabels): string {
  const key = seriesKey(labels);
  state.series[key] ??= {
    labels: { repo: labels.repo, workflow: labels.workflow, environment: labels.environment },
    deployments: 0,
    failedDeployments: 0,
    changeFailures: 0,
    reworkDeployments: 0,
    incidents: { linked: 0, latest_deploy: 0, none: 0 },
    leadTime: emptyTally(),
    leadTimeQueue: emptyTally(),
    leadTimePipeline: emptyTally(),
    leadTimeConfirmation: emptyTally(),
    timeToRestore: emptyTally(),
  };
  state.cursors[key] ??= { processed: {}, shipped: {} };
  state.repos[labels.repo] ??= { incidents: {} };
  return key;
}

/** A commit a deploy shipped, with its author date (epoch seconds). */
export interface ShippedCommit {
  readonly sha: string;
  readonly authoredAt: number;
}

/** A completed deploy run attempt, with what the GitHub source found about it (epoch seconds). */
export interface ObservedRun {
  readonly runKey: string;
  readonly runId: number;
  readonly sha: string;
  readonly conclusion: 'success' | 'failure';
  readonly createdAt: number;
  readonly startedAt: number;
  readonly completedAt: number;
  /** Run title and head commit message, searched for rollback markers. */
  readonly text: string;
  /** Commits between the previous deploy and this one (successful runs only). */
  readonly commits: readonly ShippedCommit[];
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

function markChangeFailure(state: DoraState, record: DeployRecord): boolean {
  if (record.changeFailure) return false;
  record.changeFailure = true;
  state.series[record.series].changeFailures += 1;
  return true;
}

function restore(state: DoraState, key: string, from: number, to: number): void {
  const seconds = Math.max(0, to - from);
  observe(state.series[key].timeToRestore, seconds);
  state.restores.push({ series: key, restoredAt: to, seconds });
}

/**
 * Applies finished runs (any order; sorted here by completion) to one series. Already processed run attempts
 * are ignored, so applying the same runs again changes nothing. A failed run never reached production: it is
 * a pipeline failure, not a change failure. A successful run carrying a rollback marker is rework: it blames
 * the deployment before it (a change failure) and restores it.
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
    const base = { series: key, runKey: run.runKey, runId: run.runId, sha: run.sha, completedAt: run.completedAt, changeFailure: false };
    if (run.conclusion === 'failure') {
      totals.failedDeployments += 1;
      state.deploys.push({ ...base, conclusion: 'failure', deployedAt: run.completedAt, leadTimes: [], rework: false });
      continue;
    }
    totals.deployments += 1;
    const deployedAt = run.confirmedAt === undefined ? run.completedAt : Math.max(run.completedAt, run.confirmedAt);
    observe(totals.leadTimePipeline, Math.max(0, run.completedAt - run.startedAt));
    if (run.confirmedAt !== undefined) observe(totals.leadTimeConfirmation, deployedAt - run.completedAt);
    const firstShipped = run.commits.filter((commit) => cursor.shipped[commit.sha] === undefined);
    for (const commit of firstShipped) cursor.shipped[commit.sha] = deployedAt;
    const leadTimes = firstShipped.map((commit) => Math.max(0, deployedAt - commit.authoredAt));
    for (const commit of firstShipped) observe(totals.leadTimeQueue, Math.max(0, run.startedAt - commit.authoredAt));
    for (const lead of leadTimes) observe(totals.leadTime, lead);

    const previous = cursor.lastSuccess && state.deploys.find((d) => d.series === key && d.runKey === cursor.lastSuccess!.runKey);
    const rework = previous !== undefined && hasRollbackMarker(run.text, markers);
    if (rework) {
      totals.reworkDeployments += 1;
      if (markChangeFailure(state, previous)) restore(state, key, previous.deployedAt, deployedAt);
    }
    state.deploys.push({ ...base, conclusion: 'success', deployedAt, leadTimes, rework });
    cursor.lastSuccess = { runKey: run.runKey, sha: run.sha, deployedAt };
  }
}

/** An issue carrying the incident label (epoch seconds). */
export interface ObservedIncident {
  readonly id: string;
  readonly createdAt: number;
  readonly closedAt?: number;
  readonly updatedAt: number;
  /** Title and body, searched for the deploy it names. */
  readonly text?: string;
}

/**
 * The deploy an incident names: a run link (`/actions/runs/ID`) or a commit SHA (7 to 40 hex digits, as a
 * whole word) of one of the repository's successful deploys.
 */
function linkedDeploy(candidates: readonly DeployRecord[], text: string): DeployRecord | undefined {
  const runIds = new Set([...text.matchAll(/\/actions\/runs\/(\d+)/g)].map((m) => Number(m[1])));
  const byRun = candidates.find((d) => runIds.has(d.runId));
  if (byRun) return byRun;
  const shas = [...text.matchAll(/(?<![0-9a-f])[0-9a-f]{7,40}(?![0-9a-f])/gi)].map((m) => m[0].toLowerCase());
  return candidates.filter((d) => shas.some((sha) => d.sha.toLowerCase().startsWith(sha))).sort((a, b) => b.deployedAt - a.deployedAt)[0];
}

/**
 * Applies incidents of one repository. A new incident blames the deploy it names, else the latest successful
 * deploy of the repository before it was opened (attribution `latest_deploy`), once per deploy; its close ends
 * that deploy's restore (see RestoreStart), observed once. `fallback` is the series of incidents no deploy precedes.
 */
export function applyIncidents(
  state: DoraState,
  repo: string,
  fallback: string,
  incidents: readonly ObservedIncident[],
  notBefore: number,
  restoreStart: RestoreStart = 'deployed',
): void {
  const cursor = (state.repos[repo] ??= { incidents: {} });
  for (const incident of [...incidents].sort((a, b) => a.createdAt - b.createdAt)) {
    cursor.issuesWatermark = Math.max(cursor.issuesWatermark ?? 0, incident.updatedAt);
    let record = cursor.incidents[incident.id];
    if (!record) {
      if (incident.createdAt < notBefore) continue;
      const candidates = state.deploys.filter((d) => d.conclusion === 'success' && state.series[d.series]?.labels.repo === repo);
      const linked = linkedDeploy(candidates, incident.text ?? '');
      const blamed = linked ?? candidates.filter((d) => d.deployedAt <= incident.createdAt).sort((a, b) => b.deployedAt - a.deployedAt)[0];
      const attribution: IncidentAttribution = linked ? 'linked' : blamed ? 'latest_deploy' : 'none';
      const series = blamed?.series ?? fallback;
      state.series[series].incidents[attribution] += 1;
      const restores = blamed === undefined || markChangeFailure(state, blamed);
      const from = blamed === undefined || restoreStart === 'incident_opened' ? incident.createdAt : blamed.deployedAt;
      record = cursor.incidents[incident.id] = { createdAt: incident.createdAt, series, attribution, restoreFrom: restores ? from : undefined, restored: false };
    }
    if (!record.restored && incident.closedAt !== undefined) {
      record.restored = true;
      if (record.restoreFrom !== undefined) restore(state, record.series, record.restoreFrom, incident.closedAt);
    }
  }
}

/** Drops records and cursors older than `before` (epoch seconds); totals are untouched. */
export function prune(state: DoraState, before: number): void {
  state.deploys = state.deploys.filter((d) => d.completedAt >= before);
  state.restores = state.restores.filter((r) => r.restoredAt >= before);
  for (const cursor of Object.values(state.cursors)) {
    for (const [runKey, createdAt] of Object.entries(cursor.processed)) if (createdAt < before) delete cursor.processed[runKey];
    for (const [sha, deployedAt] of Object.entries(cursor.shipped)) if (deployedAt < before) delete cursor.shipped[sha];
  }
  for (const repo of Object.values(state.repos))
    for (const [id, incident] of Object.entries(repo.incidents))
      if (incident.restored && incident.createdAt < before) delete repo.incidents[id];
  for (const [key, answer] of Object.entries(state.answers)) if (answer.at < before) delete state.answers[key];
}
