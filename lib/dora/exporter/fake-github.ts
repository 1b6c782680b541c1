import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ExporterConfig } from './config';

/**
 * A local stand-in for GitHub's REST API on 127.0.0.1, modelled on GitHub's documented endpoints and response
 * shapes rather than on what the exporter asks: a commit graph from which compare (three-dot, paginated, with
 * `status` ahead/behind/diverged/identical) and the commit listing are computed; workflow runs whose earlier
 * attempts are served by `/actions/runs/{id}/attempts/{n}`; ETags (304 on a matching If-None-Match, which
 * costs no rate limit); page/per_page pagination with Link headers; a primary rate limit that runs out
 * (403 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`); injectable failures (secondary rate limits,
 * 5xx) and outages. It logs every request.
 */

export interface RunFixture {
  id: number;
  /** The latest attempt's number; the listing shows only that attempt. @default 1 */
  run_attempt?: number;
  head_sha: string;
  /** Branch or tag name the run was triggered for. */
  head_branch: string;
  display_title: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  created_at: string;
  run_started_at: string;
  updated_at: string;
  head_commit: { id: string; message: string; timestamp: string };
  /** Earlier attempts (1 .. run_attempt-1), served only by the attempts endpoint. */
  earlier_attempts?: Omit<RunFixture, 'earlier_attempts'>[];
}

export interface IssueFixture {
  number: number;
  title?: string;
  body?: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  pull_request?: { url: string };
  labels: { name: string }[];
}

/** One commit of the repository's graph. */
export interface CommitFixture {
  sha: string;
  parents: string[];
  /** Author date: when the change was written (kept by rebase and squash merges). */
  authored: string;
  /** Committer date: rewritten by rebase and squash merges made in GitHub's UI. @default authored */
  committed?: string;
}

export interface RepoFixture {
  default_branch: string;
  /** Per workflow file name. */
  runs: Record<string, RunFixture[]>;
  commits: CommitFixture[];
  deployments: { id: number; sha: string; environment: string; created_at: string }[];
  statuses: Record<number, { state: string; created_at: string }[]>;
  issues: IssueFixture[];
}

export interface LoggedRequest {
  path: string;
  query: URLSearchParams;
  ifNoneMatch?: string;
  authorization?: string;
  status: number;
}

interface Injected {
  match: (path: string) => boolean;
  status: number;
  headers: Record<string, string>;
  body: string;
}

const RATE_LIMIT = 5000;

export class FakeGitHub {
  readonly repos: Record<string, RepoFixture> = {};
  readonly log: LoggedRequest[] = [];
  token = 'test-token';
  /** Where `Link: rel="next"` points; another origin models a misbehaving proxy. @default this.url */
  linkBase?: string;
  private injected: Injected[] = [];
  private outage = false;
  private remaining = RATE_LIMIT;
  private resetAt = 0;
  private server?: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next request whose path matches gets this answer instead (once). */
  inject(match: (path: string) => boolean, status: number, headers: Record<string, string> = {}, body = ''): void {
    this.injected.push({ match, status, headers, body });
  }

  /** While true, every request gets a 502 (GitHub down behind its load balancer). */
  setOutage(on: boolean): void {
    this.outage = on;
  }

  /** Sets the primary rate limit: `remaining` requests until `resetAt` (epoch seconds). */
  setRateLimit(remaining: number, resetAt = 0): void {
    this.remaining = remaining;
    this.resetAt = resetAt;
  }

  clearLog(): void {
    this.log.length = 0;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const entry: LoggedRequest = { path: url.pathname, query: url.searchParams, ifNoneMatch: req.headers['if-none-match'], authorization: req.headers.authorization, status: 0 };
    this.log.push(entry);
    const send = (status: number, headers: Record<string, string>, body: string) => {
      entry.status = status;
      res
        .writeHead(status, {
          'x-ratelimit-limit': String(RATE_LIMIT),
          'x-ratelimit-remaining': String(this.remaining),
          'x-ratelimit-reset': String(this.resetAt),
          ...headers,
        })
        .end(body);
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, {}, '{"message":"Bad credentials"}');
    // GitHub's load balancer answers an outage itself: no rate-limit headers.
    if (this.outage) {
      entry.status = 502;
      return void res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Server Error"}');
    }
    const injected = this.injected.findIndex((i) => i.match(url.pathname));
    if (injected >= 0) {
      const [i] = this.injected.splice(injected, 1);
      return send(i.status, i.headers, i.body);
    }
    if (this.remaining <= 0) return send(403, {}, '{"message":"API rate limit exceeded for user ID 1."}');
    const result = this.route(url);
    if (!result) return send(404, {}, '{"message":"Not Found"}');
    const { items, wrap } = result;
    let body: unknown = items;
    let link: string | undefined;
    if (Array.isArray(items) && url.searchParams.has('per_page')) {
      const perPage = Number(url.searchParams.get('per_page'));
      const page = Number(url.searchParams.get('page') ?? '1');
      body = items.slice((page - 1) * perPage, page * perPage);
      if (page * perPage < items.length) {
        const next = new URL(`${this.linkBase ?? this.url}${url.pathname}${url.search}`);
        next.searchParams.set('page', String(page + 1));
        link = `<${next.toString()}>; rel="next", <${this.url}${url.pathname}?page=999>; rel="last"`;
      }
    }
    const text = JSON.stringify(wrap ? wrap(body) : body);
    const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return send(304, { etag }, '');
    this.remaining -= 1;
    send(200, { 'content-type': 'application/json', etag, ...(link ? { link } : {}) }, text);
  }

  private route(url: URL): { items: unknown; wrap?: (page: unknown) => unknown } | undefined {
    const parts = url.pathname.split('/').map(decodeURIComponent);
    if (parts[1] !== 'repos') return undefined;
    const repo = this.repos[`${parts[2]}/${parts[3]}`];
    if (!repo) return undefined;
    const rest = parts.slice(4);
    const q = url.searchParams;
    if (rest.length === 0) return { items: { default_branch: repo.default_branch } };
    if (rest[0] === 'actions' && rest[1] === 'workflows' && rest[3] === 'runs') {
      const runs = (repo.runs[rest[2]] ?? [])
        .filter((r) => !q.has('branch') || r.head_branch === q.get('branch'))
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
        .map(({ earlier_attempts: _, ...latest }) => ({ run_attempt: 1, ...latest }));
      return { items: runs, wrap: (page) => ({ total_count: runs.length, workflow_runs: page }) };
    }
    if (rest[0] === 'actions' && rest[1] === 'runs' && rest[3] === 'attempts' && rest.length === 5) {
      const id = Number(rest[2]);
      const attempt = Number(rest[4]);
      const run = Object.values(repo.runs).flat().find((r) => r.id === id);
      if (!run) return undefined;
      const { earlier_attempts: earlier = [], ...latest } = run;
      const found = attempt === (latest.run_attempt ?? 1) ? latest : earlier.find((a) => (a.run_attempt ?? 1) === attempt);
      return found ? { items: { run_attempt: attempt, ...found } } : undefined;
    }
    if (rest[0] === 'compare') {
      const [base, head] = rest[1].split('...');
      const compared = this.compare(repo, base, head);
      if (!compared) return undefined;
      return {
        items: compared.commits.map(shapeCommit),
        wrap: (page) => ({ status: compared.status, ahead_by: compared.commits.length, behind_by: compared.behindBy, total_commits: compared.commits.length, commits: page }),
      };
    }
    if (rest[0] === 'commits' && rest.length === 1) {
      const head = q.get('sha') ?? repo.default_branch;
      if (!repo.commits.some((c) => c.sha === head)) return undefined;
      const since = q.has('since') ? Date.parse(q.get('since')!) : -Infinity;
      const commits = [...reachable(repo, head)]
        .map((sha) => repo.commits.find((c) => c.sha === sha)!)
        .filter((c) => Date.parse(c.committed ?? c.authored) >= since)
        .sort((a, b) => Date.parse(b.committed ?? b.authored) - Date.parse(a.committed ?? a.authored));
      return { items: commits.map(shapeCommit) };
    }
    if (rest[0] === 'deployments' && rest.length === 1) {
      const list = repo.deployments
        .filter((d) => (!q.has('sha') || d.sha === q.get('sha')) && (!q.has('environment') || d.environment === q.get('environment')))
        .sort((a, b) => b.id - a.id);
      return { items: list };
    }
    if (rest[0] === 'deployments' && rest[2] === 'statuses') return { items: repo.statuses[Number(rest[1])] ?? [] };
    if (rest[0] === 'issues') {
      const label = q.get('labels');
      const issues = repo.issues
        .filter((i) => !label || i.labels.some((l) => l.name === label))
        .sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at));
      return { items: issues };
    }
    return undefined;
  }

  /** Three-dot compare: the commits reachable from head but not from base, oldest first. */
  private compare(repo: RepoFixture, base: string, head: string) {
    const known = (sha: string) => repo.commits.some((c) => c.sha === sha);
    if (!known(base) || !known(head)) return undefined;
    const fromHead = reachable(repo, head);
    const fromBase = reachable(repo, base);
    const commits = [...fromHead]
      .filter((sha) => !fromBase.has(sha))
      .map((sha) => repo.commits.find((c) => c.sha === sha)!)
      .sort((a, b) => Date.parse(a.committed ?? a.authored) - Date.parse(b.committed ?? b.authored));
    const behindBy = [...fromBase].filter((sha) => !fromHead.has(sha)).length;
    const status = commits.length === 0 ? (behindBy === 0 ? 'identical' : 'behind') : behindBy === 0 ? 'ahead' : 'diverged';
    return { commits, behindBy, status };
  }
}

/** A linear history: each commit's parent is the one before it (the first has `parent`, if given). */
export function linearHistory(commits: readonly Omit<CommitFixture, 'parents'>[], parent?: string): CommitFixture[] {
  return commits.map((c, i) => ({ ...c, parents: i > 0 ? [commits[i - 1].sha] : parent ? [parent] : [] }));
}

function reachable(repo: RepoFixture, head: string): Set<string> {
  const seen = new Set<string>();
  const stack = [head];
  while (stack.length > 0) {
    const sha = stack.pop()!;
    if (seen.has(sha)) continue;
    const commit = repo.commits.find((c) => c.sha === sha);
    if (!commit) continue;
    seen.add(sha);
    stack.push(...commit.parents);
  }
  return seen;
}

function shapeCommit(c: CommitFixture) {
  return {
    sha: c.sha,
    parents: c.parents.map((sha) => ({ sha })),
    commit: { author: { date: c.authored }, committer: { date: c.committed ?? c.authored } },
  };
}

/**
 * An exporter config for tests and benchmarks against a stand-in at `apiUrl`: token and state under `dir`,
 * a free port, one repository `acme/api` with deploy.yml to production; `overrides` replace any key.
 */
export function standInConfig(apiUrl: string, dir: string, overrides: Partial<ExporterConfig> = {}): ExporterConfig {
  return {
    apiUrl,
    tokenFile: join(dir, 'token'),
    stateFile: join(dir, 'state', 'state.json'),
    listen: { host: '127.0.0.1', port: 0 },
    pollIntervalSeconds: 300,
    incidentLabel: 'incident',
    rollbackMarkers: ['revert', 'rollback', 'hotfix'],
    lookbackDays: 30,
    perPage: 100,
    timeToRestoreFrom: 'deployed',
    repositories: [{ repo: 'acme/api', deployWorkflow: 'deploy.yml', environment: 'production' }],
    ...overrides,
  };
}
