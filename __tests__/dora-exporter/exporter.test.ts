import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { at, ENVIRONMENT, EXPECTED_LINES, REPO, run, WORKFLOW } from './known-history';
import { lines, missing, NOW, useHarness } from './harness';

// GIVEN a GitHub stand-in holding a known month of deploys, and a fixed clock at noon.
const h = useHarness();

describe('DORA exporter against a fake GitHub API', () => {
  it('computes exact metric values for a known history, through pagination, a secondary rate limit and a 500', async () => {
    // GIVEN a 403 secondary rate limit on the second page of runs and a 500 on the first compare
    h.github.inject((p) => p.endsWith('/runs') && h.github.log.some((r) => r.path.endsWith('/runs')), 403, { 'retry-after': '7' }, '{"message":"You have exceeded a secondary rate limit."}');
    h.github.inject((p) => p.includes('/compare/'), 500);
    const e = h.exporter();

    // WHEN it polls once
    await e.poll();

    // THEN every metric has its exact value
    const out = await lines(e);
    expect(missing(out, EXPECTED_LINES)).toEqual([]);
    // the rate limit was waited out per Retry-After (+ jitter) and the 500 retried with backoff, both counted
    expect(h.sleeps).toEqual([7500, 500]);
    expect(out).toContain('dora_exporter_github_api_errors_total{reason="rate_limited"} 1');
    expect(out).toContain('dora_exporter_github_api_errors_total{reason="server_error"} 1');
    expect(out).toContain(`dora_exporter_last_successful_poll_timestamp_seconds ${NOW / 1000}`);
    // the fake API spends one unit of rate limit per 200 and reports what is left, as GitHub does
    expect(out).toContain(`dora_exporter_github_rate_limit_remaining ${5000 - h.github.log.filter((r) => r.status === 200).length}`);
    // pagination was followed: 5 pages of runs (the last one reaching run 100 before the look-back), 2 pages
    // of the s3...s5b compare, 2 pages of incidents; the earlier attempt of run 102 was read once
    const pages = (part: string) => h.github.log.filter((r) => r.path.includes(part) && r.status === 200).length;
    expect(h.github.log.filter((r) => r.path.endsWith('/runs') && r.status === 200).length).toBe(5);
    expect(pages('/compare/s3...s5b')).toBe(2);
    expect(pages('/issues')).toBe(2);
    expect(h.github.log.filter((r) => r.path.endsWith('/actions/runs/102/attempts/1')).map((r) => r.status)).toEqual([200]);
  });

  it('makes only conditional requests, all answered 304, when nothing is new', async () => {
    const e = h.exporter();
    await e.poll();
    h.github.clearLog();
    h.clock += 300_000;

    await e.poll();

    expect(h.github.log.length).toBe(3); // repository, first page of runs, first page of incidents
    expect(h.github.log.every((r) => r.ifNoneMatch !== undefined && r.status === 304)).toBe(true);
    const out = await lines(e);
    expect(missing(out, EXPECTED_LINES)).toEqual([]);
    expect(out).toContain('dora_exporter_github_requests_total{outcome="not_modified"} 3');
  });

  it('keeps its counts across a restart and counts nothing twice', async () => {
    const first = h.exporter();
    await first.poll();
    const saved = readFileSync(h.config().stateFile, 'utf8');

    // WHEN a new process starts with the same state file
    const second = h.exporter();
    expect(missing(await lines(second), EXPECTED_LINES)).toEqual([]);
    // and polls the same history again (its ETag cache is empty, so GitHub answers 200)
    await second.poll();
    expect(missing(await lines(second), EXPECTED_LINES)).toEqual([]);
    expect(JSON.parse(readFileSync(h.config().stateFile, 'utf8')).series).toEqual(JSON.parse(saved).series);

    // THEN a deploy that finishes afterwards is counted once, on top of the restored counts
    const runs = h.github.repos[REPO].runs[WORKFLOW];
    const started = runs.findIndex((r) => r.id === 106);
    runs[started] = run(106, 's6', new Date(NOW - 3600_000).toISOString(), new Date(NOW - 3600_000).toISOString(), new Date(NOW - 1800_000).toISOString(), 'success', at(NOW, 1, '08:00'));
    await second.poll();
    const out = await lines(second);
    // s6 (authored 1 day ago 08:00) deployed at 11:30: 27.5 hours
    expect(out).toContain(`dora_deployments_total{repo="${REPO}",workflow="${WORKFLOW}",environment="${ENVIRONMENT}"} 8`);
    expect(out).toContain(`dora_lead_time_seconds_count{repo="${REPO}",workflow="${WORKFLOW}",environment="${ENVIRONMENT}"} 9`);
    expect(out).toContain(`dora_lead_time_seconds_sum{repo="${REPO}",workflow="${WORKFLOW}",environment="${ENVIRONMENT}"} ${184140 + 99000}`);
  });

  it('sets a corrupt state file aside and starts over instead of crash-looping', async () => {
    mkdirSync(join(h.dir, 'state'));
    writeFileSync(h.config().stateFile, '{"version":1,"series":');
    const e = h.exporter();
    expect(existsSync(`${h.config().stateFile}.bad`)).toBe(true);
    await e.poll();
    expect(missing(await lines(e), EXPECTED_LINES)).toEqual([]);
  });

  it('keeps the last values and counts the errors during a GitHub outage', async () => {
    const e = h.exporter();
    await e.poll();
    h.github.setOutage(true);
    h.clock += 300_000;

    await e.poll();

    const out = await lines(e);
    expect(missing(out, EXPECTED_LINES)).toEqual([]);
    // 4 attempts at the first request, then the repository is skipped for this poll
    expect(out).toContain('dora_exporter_github_api_errors_total{reason="server_error"} 4');
    // with exponential backoff and full jitter (random() = 0.5 of 1 s, 2 s, 4 s), never really waited
    expect(h.sleeps).toEqual([500, 1000, 2000]);
    expect(out).toContain('dora_exporter_polls_total{result="failure"} 1');
    expect(out).toContain(`dora_exporter_last_successful_poll_timestamp_seconds ${NOW / 1000}`);

    // AND once GitHub is back, the next poll succeeds without counting anything twice
    h.github.setOutage(false);
    await e.poll();
    const after = await lines(e);
    expect(missing(after, EXPECTED_LINES)).toEqual([]);
    expect(after).toContain(`dora_exporter_last_successful_poll_timestamp_seconds ${h.clock / 1000}`);
  });

  it('gives up at once on a primary rate limit whose reset is far away, and on a bad token', async () => {
    h.github.inject(() => true, 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 3600) }, '{"message":"API rate limit exceeded"}');
    const e = h.exporter();
    await e.poll();
    expect(h.sleeps).toEqual([]);
    let out = await lines(e);
    expect(out).toContain('dora_exporter_github_api_errors_total{reason="rate_limited"} 1');
    expect(out).toContain('dora_exporter_github_rate_limit_remaining 0');
    expect(out).toContain(`dora_deployments_total{repo="${REPO}",workflow="${WORKFLOW}",environment="${ENVIRONMENT}"} 0`);

    writeFileSync(join(h.dir, 'token'), 'revoked\n');
    await e.poll();
    out = await lines(e);
    expect(out).toContain('dora_exporter_github_api_errors_total{reason="client_error"} 1');
    expect(out).toContain('dora_exporter_polls_total{result="failure"} 2');
  });
});
