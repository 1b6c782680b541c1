import { createServer } from 'node:net';
import { GitHubApiError, GitHubClient, nextLink } from '../../lib/dora/exporter/github-client';
import { ExporterHealth } from '../../lib/dora/exporter/health';

describe('GitHub client', () => {
  it('reads the next page from a Link header', () => {
    expect(nextLink('<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"')).toBe('https://api.github.com/x?page=2');
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });

  it('never sends the token to another origin than the API', async () => {
    const seen: string[] = [];
    const fakeFetch = (async (url: string) => {
      seen.push(url);
      return new Response('[1]', { status: 200, headers: { link: '<https://elsewhere.example/x?page=2>; rel="next"' } });
    }) as unknown as typeof fetch;
    const client = new GitHubClient({ apiUrl: 'https://github.example/api/v3', token: () => 't', fetch: fakeFetch });
    const error = await client.list('/repos/a/b/issues').catch((e: unknown) => e);
    expect((error as GitHubApiError).message).toBe(
      'GET https://elsewhere.example/x?page=2: refused, it is not on the API origin https://github.example and the request would carry the token',
    );
    expect(seen).toEqual(['https://github.example/api/v3/repos/a/b/issues']);
  });

  it('counts network errors, backs off, and fails with a typed error instead of crashing', async () => {
    // GIVEN a port where nothing listens
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const health = new ExporterHealth();
    const sleeps: number[] = [];
    const client = new GitHubClient({
      apiUrl: `http://127.0.0.1:${port}`,
      token: () => undefined,
      observer: health,
      random: () => 1 - Number.EPSILON,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      maxAttempts: 3,
    });

    const error = await client.get('/repos/a/b').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).reason).toBe('network');
    expect(health.apiErrors.network).toBe(3);
    expect(sleeps).toEqual([999, 1999]);
  });

  it('forgets the least recently used ETag answers beyond 256, keeping the ones still in use', async () => {
    let calls = 0;
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls += 1;
      const tag = `"${url}"`;
      if ((init.headers as Record<string, string>)['if-none-match'] === tag) return new Response(null, { status: 304 });
      return new Response('[]', { status: 200, headers: { etag: tag } });
    }) as unknown as typeof fetch;
    const health = new ExporterHealth();
    const client = new GitHubClient({ apiUrl: 'http://github.test', token: () => 't', fetch: fakeFetch, observer: health });
    await client.get('/polled');
    for (let i = 0; i < 300; i++) {
      await client.get(`/one-off/${i}`);
      if (i % 100 === 0) await client.get('/polled');
    }
    expect((await client.get('/polled')).notModified).toBe(true);
    expect((await client.get('/one-off/0')).notModified).toBe(false);
    expect((await client.get('/one-off/299')).notModified).toBe(true);
    expect(calls).toBe(1 + 300 + 3 + 3);
  });

  it('keeps no answer asked for once, so a cold poll of many compares never pushes the polled listings out', async () => {
    const requests: { url: string; conditional: boolean }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      const conditional = (init.headers as Record<string, string>)['if-none-match'] === `"${url}"`;
      requests.push({ url, conditional });
      return conditional ? new Response(null, { status: 304 }) : new Response('[]', { status: 200, headers: { etag: `"${url}"` } });
    }) as unknown as typeof fetch;
    const client = new GitHubClient({ apiUrl: 'http://github.test', token: () => 't', fetch: fakeFetch });
    // GIVEN a first poll that reads a listing, then 300 compares (more than the cache holds)
    await client.get('/polled');
    for (let i = 0; i < 300; i++) await client.get(`/compare/${i}`, { once: true });
    await client.list('/listed', undefined, undefined, { once: true });
    requests.length = 0;
    // WHEN the next poll reads the listing again THEN it is conditional and answered 304
    expect((await client.get('/polled')).notModified).toBe(true);
    // AND the one-off answers were not kept
    expect((await client.get('/compare/299')).notModified).toBe(false);
    expect((await client.get('/listed')).notModified).toBe(false);
    expect(requests.map((r) => r.conditional)).toEqual([true, false, false]);
  });
});
