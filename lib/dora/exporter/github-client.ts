/**
 * A small GitHub REST client over Node's fetch: conditional requests with ETags (a 304 costs no rate limit),
 * pagination through `Link` headers, and backoff with jitter on secondary rate limits and 5xx.
 * Time is injected (`sleep`, `random`, `now`) so tests never wait for real.
 */

export type ApiErrorReason = 'rate_limited' | 'server_error' | 'client_error' | 'network';

export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly reason: ApiErrorReason,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }
}

/** What the client reports about every HTTP exchange, for the exporter's health metrics. */
export interface ApiObserver {
  /** A response or network failure that was not a success (counted once per attempt). */
  error(reason: ApiErrorReason): void;
  /** `outcome` is `ok`, `not_modified` or `error`. */
  request(outcome: 'ok' | 'not_modified' | 'error'): void;
  rateLimitRemaining(remaining: number): void;
}

export interface GitHubClientOptions {
  /** Base URL without trailing slash, e.g. `https://api.github.com`. */
  readonly apiUrl: string;
  /** Returns the current token, or undefined to send no Authorization header. */
  readonly token: () => string | undefined;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
  readonly observer?: ApiObserver;
  /** Attempts per request, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** First backoff step for 5xx and network errors. @default 1000 */
  readonly baseDelayMs?: number;
  /** Longest wait the client accepts (a longer Retry-After or rate-limit reset fails the request). @default 120000 */
  readonly maxDelayMs?: number;
  /** Per-request timeout. @default 30000 */
  readonly timeoutMs?: number;
}

export interface ApiPage<T> {
  readonly body: T;
  /** URL of the next page from the `Link` header. */
  readonly next?: string;
  /** True when GitHub answered 304 and the body came from the ETag cache. */
  readonly notModified: boolean;
}

interface CacheEntry {
  readonly etag: string;
  readonly body: unknown;
  readonly next?: string;
}

/** The `rel="next"` target of a `Link` header. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Cached ETag answers, least recently used dropped first. Answers asked for once (`get(url, { once: true })`)
 * are not kept, so the listings polled every time stay however many commits a poll compares.
 */
const CACHE_SIZE = 256;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class GitHubClient {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: GitHubClientOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 120_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Absolute URL of an API path (`/repos/...`) or an absolute URL as given. */
  url(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.options.apiUrl}${pathOrUrl}`;
  }

  /**
   * The token goes only to the API's own origin: a `Link: rel="next"` (or any URL) pointing elsewhere, e.g.
   * from a misconfigured proxy, is refused instead of followed with the token.
   */
  private checkOrigin(url: string): void {
    const origin = new URL(this.options.apiUrl).origin;
    if (new URL(url).origin !== origin)
      throw new GitHubApiError(`GET ${url}: refused, it is not on the API origin ${origin} and the request would carry the token`, 'client_error');
  }

  /**
   * One GET, conditional when a previous answer for the same URL carried an ETag. `once`: an answer that is
   * asked for once (a compare of two commits, a commit's deployments) and so not worth a place in the cache.
   */
  async get<T>(pathOrUrl: string, options: { once?: boolean } = {}): Promise<ApiPage<T>> {
    const url = this.url(pathOrUrl);
    this.checkOrigin(url);
    const cached = this.cache.get(url);
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'lgtm-dora-exporter',
      };
      const token = this.options.token();
      if (token) headers.authorization = `Bearer ${token}`;
      if (cached) headers['if-none-match'] = cached.etag;

      let response: Response;
      try {
        response = await this.fetchFn(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        this.failed('network');
        if (attempt >= this.maxAttempts) throw new GitHubApiError(`GET ${url}: ${(error as Error).message}`, 'network');
        await this.sleep(this.exponential(attempt));
        continue;
      }
      const remaining = response.headers.get('x-ratelimit-remaining');
      if (remaining !== null && remaining !== '' && Number.isFinite(Number(remaining)))
        this.options.observer?.rateLimitRemaining(Number(remaining));

      if (response.status === 304 && cached) {
        await response.body?.cancel();
        this.remember(url, cached);
        this.options.observer?.request('not_modified');
        return { body: cached.body as T, next: cached.next, notModified: true };
      }
      if (response.ok) {
        const body = (await response.json()) as T;
        const next = nextLink(response.headers.get('link'));
        const etag = response.headers.get('etag');
        if (etag && !options.once) this.remember(url, { etag, body, next });
        this.options.observer?.request('ok');
        return { body, next, notModified: false };
      }

      const text = await response.text().catch(() => '');
      const wait = this.rateLimitWait(response, text);
      if (wait !== undefined) {
        this.failed('rate_limited');
        if (attempt >= this.maxAttempts || wait > this.maxDelayMs)
          throw new GitHubApiError(`GET ${url}: rate limited (HTTP ${response.status})`, 'rate_limited', response.status);
        await this.sleep(wait);
        continue;
      }
      if (response.status >= 500) {
        this.failed('server_error');
        if (attempt >= this.maxAttempts)
          throw new GitHubApiError(`GET ${url}: HTTP ${response.status} after ${attempt} attempts`, 'server_error', response.status);
        await this.sleep(this.exponential(attempt));
        continue;
      }
      this.failed('client_error');
      throw new GitHubApiError(`GET ${url}: HTTP ${response.status} ${text.slice(0, 200)}`, 'client_error', response.status);
    }
  }

  /**
   * Every page of a list, following `Link: rel="next"`, while `more(items of the page)` says so.
   * `items` picks the list out of a wrapped body (e.g. `workflow_runs`); by default the body is the list.
   */
  async list<T>(
    pathOrUrl: string,
    more: (items: T[]) => boolean = () => true,
    items: (body: unknown) => T[] = (body) => body as T[],
    options: { once?: boolean } = {},
  ): Promise<T[]> {
    const all: T[] = [];
    let url: string | undefined = pathOrUrl;
    while (url) {
      const page: ApiPage<unknown> = await this.get<unknown>(url, options);
      const pageItems = items(page.body);
      if (!Array.isArray(pageItems)) throw new GitHubApiError(`GET ${url}: expected a list in the response`, 'client_error');
      all.push(...pageItems);
      url = page.next && more(pageItems) ? page.next : undefined;
    }
    return all;
  }

  /** Keeps at most CACHE_SIZE answers, the least recently used dropped first. */
  private remember(url: string, entry: CacheEntry): void {
    this.cache.delete(url);
    this.cache.set(url, entry);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
  }

  private failed(reason: ApiErrorReason): void {
    this.options.observer?.error(reason);
    this.options.observer?.request('error');
  }

  /** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
  private exponential(attempt: number): number {
    return Math.floor(this.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)));
  }

  /**
   * Milliseconds to wait when the response is a rate limit, else undefined. Secondary limits come as 403/429
   * with `Retry-After` (or a "secondary rate limit" message); primary limits as `x-ratelimit-remaining: 0`
   * with `x-ratelimit-reset` (epoch seconds). A little jitter spreads retries.
   */
  private rateLimitWait(response: Response, text: string): number | undefined {
    if (response.status !== 403 && response.status !== 429) return undefined;
    const jitter = Math.floor(this.random() * 1000);
    const retryAfter = response.headers.get('retry-after');
    if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000 + jitter;
    if (response.headers.get('x-ratelimit-remaining') === '0') {
      const reset = Number(response.headers.get('x-ratelimit-reset'));
      if (Number.isFinite(reset)) return Math.max(0, reset * 1000 - this.now()) + jitter;
    }
    if (/secondary rate limit/i.test(text) || response.status === 429) return 60_000 + jitter;
    return undefined;
  }
}
