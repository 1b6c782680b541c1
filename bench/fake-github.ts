import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for GitHub's REST API on 127.0.0.1: serves fixtures the tests write, in GitHub's response
 * shapes, with ETags (304 on a matching If-None-Match), page/per_page pagination with Link headers, and
 * injectable failures (403 secondary rate limits with Retry-After, 500s). It logs every request.
 */

export interface RunFixture {
  id: number;
  run_attempt?: number;
  head_sha: string;
  head_branch: string;
  display_title: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  created_at: string;
  run_started_at: string;
  updated_at: string;
  head_commit: { id: string; message: string; timestamp: string };
}

export interface IssueFixture {
  number: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  pull_request?: { url: string };
  labels: { name: string }[];
}

export interface RepoFixture {
  default_branch: string;
  /** Per workflow file name. */
  runs: Record<string, RunFixture[]>;
  /** Key `base...head`: commits oldest first with their committer date. */
  compare: Record<string, { sha: string; date: string }[]>;
  deployments: { id: number; sha: string; environment: string; created_at: string }[];
  statuses: Record<number, { state: string; created_at: string }[]>;
  issues: IssueFixture[];
}

export interface LoggedRequest {
  path: string;
  query: URLSearchParams;
  ifNoneMatch?: string;
  status: number;
}

interface Injected {
  match: (path: string) => boolean;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class FakeGitHub {
  readonly repos: Record<string, RepoFixture> = {};
  readonly log: LoggedRequest[] = [];
  token = 'test-token';
  private injected: Injected[] = [];
  private outage = false;
  private remaining = 5000;
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

  /** While true, every request gets a 500. */
  setOutage(on: boolean): void {
    this.outage = on;
  }

  clearLog(): void {
    this.log.length = 0;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const entry: LoggedRequest = { path: url.pathname, query: url.searchParams, ifNoneMatch: req.headers['if-none-match'], status: 0 };
    this.log.push(entry);
    const send = (status: number, headers: Record<string, string>, body: string) => {
      entry.status = status;
      res.writeHead(status, { 'x-ratelimit-remaining': String(this.remaining), ...headers }).end(body);
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, {}, '{"message":"Bad credentials"}');
    if (this.outage) return send(500, {}, '{"message":"Server Error"}');
    const injected = this.injected.findIndex((i) => i.match(url.pathname));
    if (injected >= 0) {
      const [i] = this.injected.splice(injected, 1);
      return send(i.status, i.headers, i.body);
    }
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
        const next = new URL(url);
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
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
      return { items: runs, wrap: (page) => ({ total_count: runs.length, workflow_runs: page }) };
    }
    if (rest[0] === 'compare') {
      const commits = repo.compare[rest[1]];
      if (!commits) return undefined;
      const shaped = commits.map((c) => ({ sha: c.sha, commit: { committer: { date: c.date }, author: { date: c.date } } }));
      return { items: shaped, wrap: (page) => ({ status: 'ahead', total_commits: commits.length, commits: page }) };
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
}
