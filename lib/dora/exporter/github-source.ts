import type { ExporterRepository } from './config';
import { GitHubApiError, type GitHubClient } from './github-client';
import type { DoraState, ObservedIncident, ObservedRun, SeriesCursor, ShippedCommit } from './history';

/**
 * Reads what the DORA metrics need from GitHub's REST API, frugally: list requests are conditional (a 304
 * when nothing changed), run listings stop paging once they reach runs already seen, deployments are listed
 * per environment, and per-deploy requests (earlier attempts, compare, a deployment's statuses) are made once
 * per new run attempt. Only reads; the history model
 * decides what is new.
 */

interface WorkflowRun {
  id: number;
  run_attempt?: number;
  head_sha: string;
  head_branch: string | null;
  display_title?: string;
  status: string | null;
  conclusion: string | null;
  created_at: string;
  run_started_at?: string;
  updated_at: string;
  head_commit?: { id: string; message: string; timestamp: string } | null;
}

interface ApiCommit {
  sha: string;
  commit: { committer: { date: string } | null; author: { date: string } | null };
}

interface Compare {
  status: string;
  commits: ApiCommit[];
}

interface Deployment {
  id: number;
  sha: string;
  created_at: string;
}

interface DeploymentStatus {
  state: string;
  created_at: string;
}

interface Issue {
  number: number;
  title?: string;
  body?: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  pull_request?: unknown;
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
const FAILED = new Set(['failure', 'timed_out']);
/** GitHub's run listing returns at most 1000 runs, however many pages are asked for. */
const LISTING_CEILING = 1000;

export function runKey(run: { id: number; run_attempt?: number }): string {
  return `${run.id}:${run.run_attempt ?? 1}`;
}

function repoPath(repo: string): string {
  const [owner, name] = repo.split('/');
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

/** Which runs are deploys: `deployRef` as a pattern (`*` any characters), else the one branch given. */
export function refMatcher(entry: Pick<ExporterRepository, 'deployRef'>, branch: string): { exact?: string; matches: (ref: string | null) => boolean } {
  const pattern = entry.deployRef ?? branch;
  if (!pattern.includes('*')) return { exact: pattern, matches: (ref) => ref === pattern };
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return { matches: (ref) => ref !== null && regex.test(ref) };
}

/** Run attempts observed before a request failed: the caller keeps them so the next poll resumes after them. */
export class PartialRuns extends Error {
  constructor(
    readonly runs: ObservedRun[],
    readonly cause: Error,
  ) {
    super(cause.message);
    this.name = 'PartialRuns';
  }
}

export class GitHubSource {
  constructor(
    private readonly client: GitHubClient,
    private readonly perPage: number,
  ) {}

  async defaultBranch(repo: string): Promise<string> {
    const page = await this.client.get<{ default_branch: string }>(repoPath(repo));
    return page.body.default_branch;
  }

  /**
   * Completed deploy run attempts created since `notBefore` (epoch seconds) that the cursor has not processed,
   * earlier attempts of re-run runs included, with their shipped commits and deployment confirmation; also the
   * cursor's next `scanFrom`. On a failed request after some attempts were observed, throws PartialRuns.
   */
  async deployRuns(
    entry: ExporterRepository,
    branch: string,
    cursor: SeriesCursor,
    notBefore: number,
    answers: DoraState['answers'],
    now: number,
  ): Promise<{ runs: ObservedRun[]; scanFrom?: number }> {
    const since = Math.max(notBefore, cursor.scanFrom ?? notBefore);
    const ref = refMatcher(entry, branch);
    const path =
      `${repoPath(entry.repo)}/actions/workflows/${encodeURIComponent(entry.deployWorkflow)}/runs?` +
      `${ref.exact !== undefined ? `branch=${encodeURIComponent(ref.exact)}&` : ''}per_page=${this.perPage}`;
    // The first poll pages on past the look-back to the last deploy before it: the base of the oldest deploy's compare.
    const needsBase = cursor.lastSuccess === undefined;
    let seen = 0;
    const isBase = (run: WorkflowRun) => ref.matches(run.head_branch) && run.status === 'completed' && run.conclusion === 'success' && seconds(run.created_at) < notBefore;
    const listed = await this.client.list<WorkflowRun>(
      path,
      (page) => {
        seen += page.length;
        if (page.length < this.perPage || seen >= LISTING_CEILING) return false;
        return seconds(page[page.length - 1].created_at) > since || (needsBase && !page.some(isBase));
      },
      (body) => (body as { workflow_runs: WorkflowRun[] }).workflow_runs,
    );
    const inRange = listed.filter((run) => seconds(run.created_at) >= notBefore && ref.matches(run.head_branch));
    const pending = inRange.filter((run) => run.status !== 'completed').map((run) => seconds(run.created_at));
    const newest = inRange.reduce<number | undefined>((max, run) => Math.max(max ?? 0, seconds(run.created_at)), undefined);
    const candidates = [newest, ...pending].filter((t): t is number => t !== undefined);
    const scanFrom = candidates.length > 0 ? Math.min(...candidates) : cursor.scanFrom;

    const runs: ObservedRun[] = [];
    try {
      const attempts: WorkflowRun[] = [];
      for (const run of inRange) {
        attempts.push(run);
        for (let attempt = 1; attempt < (run.run_attempt ?? 1); attempt++)
          if (cursor.processed[runKey({ id: run.id, run_attempt: attempt })] === undefined)
            attempts.push((await this.client.get<WorkflowRun>(`${repoPath(entry.repo)}/actions/runs/${run.id}/attempts/${attempt}`, { once: true })).body);
      }
      const finished = attempts
        .filter((run) => run.status === 'completed' && (run.conclusion === 'success' || FAILED.has(run.conclusion ?? '')))
        .filter((run) => cursor.processed[runKey(run)] === undefined)
        .sort((a, b) => seconds(a.updated_at) - seconds(b.updated_at) || a.id - b.id || (a.run_attempt ?? 1) - (b.run_attempt ?? 1));

      let base = cursor.lastSuccess?.sha ?? listed.find(isBase)?.head_sha;
      const deployments = finished.some((run) => run.conclusion === 'success') ? await this.deploymentsBySha(entry.repo, entry.environment, notBefore) : new Map<string, number>();
      for (const run of finished) {
        const success = run.conclusion === 'success';
        const observed = {
          runKey: runKey(run),
          runId: run.id,
          sha: run.head_sha,
          conclusion: success ? ('success' as const) : ('failure' as const),
          createdAt: seconds(run.created_at),
          startedAt: seconds(run.run_started_at ?? run.created_at),
          completedAt: seconds(run.updated_at),
          text: `${run.display_title ?? ''}\n${run.head_commit?.message ?? ''}`,
        };
        if (!success) {
          runs.push({ ...observed, commits: [] });
          continue;
        }
        const commits = await this.shippedCommits(entry.repo, base, run, notBefore, answers, now);
        const deployment = deployments.get(run.head_sha);
        const confirmedAt = deployment === undefined ? undefined : await this.confirmation(entry.repo, deployment);
        runs.push({ ...observed, commits, confirmedAt });
        base = run.head_sha;
      }
    } catch (error) {
      throw new PartialRuns(runs, error as Error);
    }
    return { runs, scanFrom };
  }

  /**
   * The commits a deploy shipped, with their author dates: base...head when there is a base (nothing when the
   * head is behind it, as after a rollback); without one (the repository's first deploy), the head's history
   * authored within the look-back.
   */
  private async shippedCommits(
    repo: string,
    base: string | undefined,
    run: WorkflowRun,
    notBefore: number,
    answers: DoraState['answers'],
    now: number,
  ): Promise<ShippedCommit[]> {
    const authored = (c: ApiCommit): ShippedCommit => ({ sha: c.sha, authoredAt: seconds((c.commit.author ?? c.commit.committer)?.date ?? run.created_at) });
    if (base === undefined) {
      const since = new Date(notBefore * 1000).toISOString();
      const commits = await this.client.list<ApiCommit>(
        `${repoPath(repo)}/commits?sha=${encodeURIComponent(run.head_sha)}&since=${encodeURIComponent(since)}&per_page=${this.perPage}`,
        undefined,
        undefined,
        { once: true },
      );
      // The listing is newest first; compare answers oldest first, and so does this.
      return commits.reverse().map(authored).filter((c) => c.authoredAt >= notBefore);
    }
    if (base === run.head_sha) return [];
    const key = `${repo} compare ${base}...${run.head_sha}`;
    const known = answers[key];
    if (known) return known.commits;
    try {
      const path = `${repoPath(repo)}/compare/${encodeURIComponent(base)}...${encodeURIComponent(run.head_sha)}?per_page=${this.perPage}`;
      const commits: ApiCommit[] = [];
      let url: string | undefined = path;
      while (url) {
        const page: { body: Compare; next?: string } = await this.client.get<Compare>(url, { once: true });
        commits.push(...page.body.commits);
        url = page.next;
      }
      const shipped = commits.map(authored);
      answers[key] = { at: now, commits: shipped };
      return shipped;
    } catch (error) {
      // A base that no longer exists (force-push) makes compare 404: count the head commit only.
      if (error instanceof GitHubApiError && error.status === 404)
        return run.head_commit ? [{ sha: run.head_sha, authoredAt: seconds(run.head_commit.timestamp) }] : [];
      throw error;
    }
  }

  /**
   * The newest GitHub deployment to the environment of each sha, from one listing of the environment's
   * deployments (newest first, paged until the look-back): one request per 100 deployments instead of one per deploy.
   */
  private async deploymentsBySha(repo: string, environment: string, notBefore: number): Promise<Map<string, number>> {
    const listed = await this.client.list<Deployment>(
      `${repoPath(repo)}/deployments?environment=${encodeURIComponent(environment)}&per_page=${this.perPage}`,
      (page) => page.length >= this.perPage && seconds(page[page.length - 1].created_at) >= notBefore,
    );
    const bySha = new Map<string, number>();
    for (const deployment of listed) if (!bySha.has(deployment.sha)) bySha.set(deployment.sha, deployment.id);
    return bySha;
  }

  /** Time of the first `success` status of a deployment. */
  private async confirmation(repo: string, deployment: number): Promise<number | undefined> {
    const statuses = await this.client.list<DeploymentStatus>(`${repoPath(repo)}/deployments/${deployment}/statuses?per_page=100`, undefined, undefined, { once: true });
    const times = statuses.filter((s) => s.state === 'success').map((s) => seconds(s.created_at));
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** Issues with the incident label updated since the watermark (most recently updated first). */
  async incidents(repo: string, label: string, watermark: number | undefined, notBefore: number): Promise<ObservedIncident[]> {
    const since = Math.max(notBefore, watermark ?? notBefore);
    const path = `${repoPath(repo)}/issues?labels=${encodeURIComponent(label)}&state=all&sort=updated&direction=desc&per_page=${this.perPage}`;
    const issues = await this.client.list<Issue>(
      path,
      (page) => page.length >= this.perPage && seconds(page[page.length - 1].updated_at) > since,
    );
    return issues
      .filter((issue) => issue.pull_request === undefined && seconds(issue.updated_at) >= since)
      .map((issue) => ({
        id: String(issue.number),
        createdAt: seconds(issue.created_at),
        updatedAt: seconds(issue.updated_at),
        closedAt: issue.closed_at ? seconds(issue.closed_at) : undefined,
        text: `${issue.title ?? ''}\n${issue.body ?? ''}`,
      }));
  }
}
