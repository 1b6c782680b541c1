import type { ExporterRepository } from './config';
import { GitHubApiError, type GitHubClient } from './github-client';
import type { ObservedIncident, ObservedRun, SeriesCursor } from './history';

/**
 * Reads what the DORA metrics need from GitHub's REST API, frugally: list requests are conditional (a 304
 * when nothing changed), run listings stop paging once they reach runs already seen, and per-deploy requests
 * (compare, deployments) are made once per new deploy. Only reads; the history model decides what is new.
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

interface Compare {
  status: string;
  commits: { sha: string; commit: { committer: { date: string } | null; author: { date: string } | null } }[];
}

interface Deployment {
  id: number;
}

interface DeploymentStatus {
  state: string;
  created_at: string;
}

interface Issue {
  number: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  pull_request?: unknown;
}

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
const FAILED = new Set(['failure', 'timed_out']);

export function runKey(run: { id: number; run_attempt?: number }): string {
  return `${run.id}:${run.run_attempt ?? 1}`;
}

function repoPath(repo: string): string {
  const [owner, name] = repo.split('/');
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
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
   * Completed deploy runs created since `notBefore` (epoch seconds) that the cursor has not processed, with
   * their shipped commits and deployment confirmation; also the cursor's next `scanFrom`.
   */
  async deployRuns(entry: ExporterRepository, branch: string, cursor: SeriesCursor, notBefore: number): Promise<{ runs: ObservedRun[]; scanFrom?: number }> {
    const since = Math.max(notBefore, cursor.scanFrom ?? notBefore);
    const path =
      `${repoPath(entry.repo)}/actions/workflows/${encodeURIComponent(entry.deployWorkflow)}/runs` +
      `?branch=${encodeURIComponent(branch)}&per_page=${this.perPage}`;
    const listed = await this.client.list<WorkflowRun>(
      path,
      (page) => page.length >= this.perPage && seconds(page[page.length - 1].created_at) > since,
      (body) => (body as { workflow_runs: WorkflowRun[] }).workflow_runs,
    );
    const inRange = listed.filter((run) => seconds(run.created_at) >= notBefore && run.head_branch === branch);
    const pending = inRange.filter((run) => run.status !== 'completed').map((run) => seconds(run.created_at));
    const newest = inRange.reduce<number | undefined>((max, run) => Math.max(max ?? 0, seconds(run.created_at)), undefined);
    const candidates = [newest, ...pending].filter((t): t is number => t !== undefined);
    const scanFrom = candidates.length > 0 ? Math.min(...candidates) : cursor.scanFrom;

    const finished = inRange
      .filter((run) => run.status === 'completed' && (run.conclusion === 'success' || FAILED.has(run.conclusion ?? '')))
      .filter((run) => cursor.processed[runKey(run)] === undefined)
      .sort((a, b) => seconds(a.updated_at) - seconds(b.updated_at) || a.id - b.id);

    const runs: ObservedRun[] = [];
    let base = cursor.lastSuccess?.sha;
    for (const run of finished) {
      const success = run.conclusion === 'success';
      const observed = {
        runKey: runKey(run),
        sha: run.head_sha,
        conclusion: success ? ('success' as const) : ('failure' as const),
        createdAt: seconds(run.created_at),
        startedAt: seconds(run.run_started_at ?? run.created_at),
        completedAt: seconds(run.updated_at),
        text: `${run.display_title ?? ''}\n${run.head_commit?.message ?? ''}`,
      };
      if (!success) {
        runs.push({ ...observed, commitTimes: [] });
        continue;
      }
      const commitTimes = await this.shippedCommitTimes(entry.repo, base, run);
      const confirmedAt = await this.confirmation(entry.repo, run.head_sha, entry.environment);
      runs.push({ ...observed, commitTimes, confirmedAt });
      base = run.head_sha;
    }
    return { runs, scanFrom };
  }

  /** Commit times of the commits in base...head; only the head commit when there is no usable base. */
  private async shippedCommitTimes(repo: string, base: string | undefined, run: WorkflowRun): Promise<number[]> {
    const headOnly = run.head_commit ? [seconds(run.head_commit.timestamp)] : [];
    if (base === undefined) return headOnly;
    if (base === run.head_sha) return [];
    try {
      const path = `${repoPath(repo)}/compare/${encodeURIComponent(base)}...${encodeURIComponent(run.head_sha)}?per_page=${this.perPage}`;
      const commits: Compare['commits'] = [];
      let url: string | undefined = path;
      while (url) {
        const page: { body: Compare; next?: string } = await this.client.get<Compare>(url, { once: true });
        commits.push(...page.body.commits);
        url = page.next;
      }
      return commits.map((c) => seconds((c.commit.committer ?? c.commit.author)?.date ?? run.created_at));
    } catch (error) {
      // A base that no longer exists (force-push) makes compare 404: count the head commit only.
      if (error instanceof GitHubApiError && error.status === 404) return headOnly;
      throw error;
    }
  }

  /** Time of the first `success` status of the newest deployment of this sha to this environment. */
  private async confirmation(repo: string, sha: string, environment: string): Promise<number | undefined> {
    const deployments = await this.client.get<Deployment[]>(
      `${repoPath(repo)}/deployments?sha=${encodeURIComponent(sha)}&environment=${encodeURIComponent(environment)}&per_page=10`,
      { once: true },
    );
    const newest = deployments.body[0];
    if (!newest) return undefined;
    const statuses = await this.client.list<DeploymentStatus>(`${repoPath(repo)}/deployments/${newest.id}/statuses?per_page=100`, undefined, undefined, { once: true });
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
      }));
  }
}
