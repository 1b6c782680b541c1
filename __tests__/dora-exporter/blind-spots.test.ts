import { FakeGitHub } from '../../lib/dora/exporter/fake-github';
import { ENVIRONMENT, EXPECTED_LINES, REPO, WORKFLOW } from './known-history';
import { lines, missing, NOW, useHarness } from './harness';

/** The exporter says when it cannot see: per-repository health, absent unknowns, progress kept through limits. */
const h = useHarness();
const TYPO = 'acme/apl';

const startsWith = (out: string[], prefix: string) => out.filter((line) => line.startsWith(prefix));

describe('per-repository health', () => {
  it('reports a repository that does not exist as not found, not as a low performer, and reads the others', async () => {
    const e = h.exporter({
      repositories: [
        { repo: REPO, deployWorkflow: WORKFLOW, environment: ENVIRONMENT },
        { repo: TYPO, deployWorkflow: WORKFLOW, environment: ENVIRONMENT },
      ],
    });
    await e.poll();
    const out = await lines(e);
    expect(missing(out, EXPECTED_LINES)).toEqual([]);
    expect(out).toContain(`dora_exporter_repository_poll_ok{repo="${REPO}"} 1`);
    expect(out).toContain(`dora_exporter_repository_poll_ok{repo="${TYPO}"} 0`);
    expect(out).toContain(`dora_exporter_repository_poll_errors_total{repo="${TYPO}",reason="not_found"} 1`);
    expect(out).toContain(`dora_exporter_repository_last_successful_poll_timestamp_seconds{repo="${REPO}"} ${NOW / 1000}`);
    expect(startsWith(out, `dora_exporter_repository_last_successful_poll_timestamp_seconds{repo="${TYPO}"`)).toEqual([]);
    // no frequency, rate or band for the repository that was never read
    expect(out.filter((line) => line.includes(`repo="${TYPO}"`) && /^dora_(deployment_frequency|performance_band|change_failure_rate)/.test(line))).toEqual([]);
  });

  it('names a revoked token as unauthorized', async () => {
    const e = h.exporter();
    h.github.token = 'rotated';
    await e.poll();
    expect(await lines(e)).toContain(`dora_exporter_repository_poll_errors_total{repo="${REPO}",reason="unauthorized"} 1`);
  });

  it('after a restart during an outage, serves the last successful poll it saved and leaves unknown values absent', async () => {
    await h.exporter().poll();
    h.github.setOutage(true);
    h.clock += 3600_000;
    const restarted = h.exporter();
    await restarted.poll();
    const out = await lines(restarted);
    expect(out).toContain(`dora_exporter_last_successful_poll_timestamp_seconds ${NOW / 1000}`);
    expect(out).toContain(`dora_exporter_repository_last_successful_poll_timestamp_seconds{repo="${REPO}"} ${NOW / 1000}`);
    expect(out).toContain(`dora_exporter_repository_poll_ok{repo="${REPO}"} 0`);
    expect(out).toContain(`dora_exporter_repository_poll_errors_total{repo="${REPO}",reason="server_error"} 1`);
    // the outage's answers carry no rate-limit headers, so this process does not know the remaining budget
    expect(startsWith(out, 'dora_exporter_github_rate_limit_remaining')).toEqual([]);
  });

  it('before any successful poll, exposes no last-poll time at all', async () => {
    h.github.setOutage(true);
    const e = h.exporter();
    await e.poll();
    const out = await lines(e);
    expect(startsWith(out, 'dora_exporter_last_successful_poll_timestamp_seconds')).toEqual([]);
    expect(startsWith(out, 'dora_exporter_repository_last_successful_poll_timestamp_seconds')).toEqual([]);
  });
});

describe('backfill through a rate limit', () => {
  it('keeps the progress made before the limit ran out, and a restart resumes after it without asking again', async () => {
    // GIVEN a budget that runs out half-way through the cold poll, resetting in an hour
    h.github.setRateLimit(12, NOW / 1000 + 3600);
    await h.exporter().poll();
    const first = h.github.log.filter((r) => r.status === 200).map((r) => `${r.path}?${r.query.toString()}`);
    const partial = h.exporter().snapshot;
    // 12 requests: the repository, 5 pages of runs, run 102's first attempt, the deployments, then compare
    // (and the confirmation of 101) per deploy, until the compare of 104 is refused
    expect(partial.deploys.map((d) => d.runKey)).toEqual(['101:1', '102:1', '102:2', '103:1']);

    // WHEN the limit resets and a restarted exporter polls
    h.github.setRateLimit(5000);
    h.github.clearLog();
    h.clock += 3600_000;
    const resumed = h.exporter();
    await resumed.poll();

    // THEN it ends with the exact values of a poll that never stopped (read at the known history's clock)
    h.clock = NOW;
    expect(missing(await lines(resumed), EXPECTED_LINES)).toEqual([]);
    // AND no per-deploy answer of the first try was asked for again
    const perDeploy = /\/(compare|statuses|attempts)\b/;
    const again = h.github.log.filter((r) => r.status === 200 && perDeploy.test(r.path) && first.includes(`${r.path}?${r.query.toString()}`));
    expect(again.map((r) => r.path)).toEqual([]);
  });

  it('keeps the compare answer of the deploy in flight when the limit ran out after it', async () => {
    // 9 requests: the repository, 5 pages of runs, run 102's first attempt, the deployments, the compare of
    // run 101; its deployment's statuses are refused
    h.github.setRateLimit(9, NOW / 1000 + 3600);
    await h.exporter().poll();
    expect(h.exporter().snapshot.deploys).toEqual([]);
    h.github.setRateLimit(5000);
    h.github.clearLog();
    const resumed = h.exporter();
    await resumed.poll();
    expect(h.github.log.filter((r) => r.path.includes('/compare/b0...s1'))).toEqual([]);
    expect(missing(await lines(resumed), EXPECTED_LINES)).toEqual([]);
  });

  it('keeps the deploys it read when only the incidents could not be read', async () => {
    h.github.inject((p) => p.endsWith('/issues'), 404, {}, '{"message":"Not Found"}');
    const e = h.exporter();
    await e.poll();
    expect(await lines(e)).toContain(`dora_deployments_total{repo="${REPO}",workflow="${WORKFLOW}",environment="${ENVIRONMENT}"} 7`);
    h.github.clearLog();
    await e.poll();
    expect(h.github.log.filter((r) => /\/compare\//.test(r.path))).toEqual([]);
    expect(missing(await lines(e), EXPECTED_LINES)).toEqual([]);
  });
});

describe('the token goes only to the API origin', () => {
  it('refuses to follow a next-page link to another host', async () => {
    const elsewhere = new FakeGitHub();
    await elsewhere.start();
    try {
      h.github.linkBase = elsewhere.url;
      const e = h.exporter();
      await e.poll();
      expect(elsewhere.log).toEqual([]);
      expect(await lines(e)).toContain(`dora_exporter_repository_poll_errors_total{repo="${REPO}",reason="client_error"} 1`);
    } finally {
      await elsewhere.stop();
    }
  });
});
