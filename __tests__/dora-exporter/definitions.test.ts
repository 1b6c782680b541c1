import { at, ENVIRONMENT, EXPECTED_LINES, REPO, run, WORKFLOW } from './known-history';
import { lines, missing, NOW, useHarness } from './harness';

/**
 * Each DORA key against its definition (README "DORA exporter"), on the known history of known-history.ts
 * served by the GitHub stand-in, one rule per test.
 */
const h = useHarness();
const L = `repo="${REPO}",workflow="${WORKFLOW}",environment="${ENVIRONMENT}"`;
const a = (daysAgo: number, hhmm: string) => at(NOW, daysAgo, hhmm);

function leadTimesOf(e: ReturnType<typeof h.exporter>, runKey: string): number[] | undefined {
  return e.snapshot.deploys.find((d) => d.runKey === runKey)?.leadTimes;
}

describe('lead time for changes: every commit, from its author date to running in production', () => {
  it('counts every commit of the oldest deploy in the look-back, from the last deploy before it', async () => {
    const e = h.exporter();
    await e.poll();
    // c0 (11 days ago 09:00) and s1 (10 days ago 09:00) to the confirmation at 10 days ago 10:12
    expect(leadTimesOf(e, '101:1')).toEqual([90720, 4320]);
  });

  it("counts the history within the look-back of the repository's very first deploy", async () => {
    const runs = h.github.repos[REPO].runs[WORKFLOW];
    runs.splice(runs.findIndex((r) => r.id === 100), 1);
    const e = h.exporter();
    await e.poll();
    // b0 was authored 40 days ago, before the look-back
    expect(leadTimesOf(e, '101:1')).toEqual([90720, 4320]);
  });

  it('uses the author date, not the committer date a squash merge in the UI rewrote', async () => {
    const e = h.exporter();
    await e.poll();
    // s1 was committed at 09:55 but written at 09:00
    expect(leadTimesOf(e, '101:1')?.[1]).toBe(4320);
  });

  it('never counts a commit twice after a rollback, or after a re-run of an old run as a redeploy', async () => {
    const runs = h.github.repos[REPO].runs[WORKFLOW];
    // run 103 (s3) re-run as a redeploy 2 days ago, after 109; then run 106 (s6) finishes
    const rerun = runs.findIndex((r) => r.id === 103);
    runs[rerun] = {
      ...run(103, 's3', a(8, '12:00'), a(2, '10:00'), a(2, '10:10'), 'success', a(8, '11:00')),
      run_attempt: 2,
      earlier_attempts: [{ ...runs[rerun], run_attempt: 1 }],
    };
    const finished = runs.findIndex((r) => r.id === 106);
    runs[finished] = run(106, 's6', new Date(NOW - 3600_000).toISOString(), new Date(NOW - 3600_000).toISOString(), new Date(NOW - 1800_000).toISOString(), 'success', a(1, '08:00'));
    const e = h.exporter();
    await e.poll();
    // the rollback to s3 and the redeploy of s3 ship nothing; 109 ships s5b only (s3...s5b also lists s4 and s5);
    // 106 ships s6 only (s3...s6 lists s4, s5, s5b and s6)
    expect(leadTimesOf(e, '108:1')).toEqual([]);
    expect(leadTimesOf(e, '109:1')).toEqual([4800]);
    expect(leadTimesOf(e, '103:2')).toEqual([]);
    expect(leadTimesOf(e, '106:1')).toEqual([99000]);
    expect(await lines(e)).toContain(`dora_lead_time_seconds_count{${L}} 9`);
  });
});

describe('change failure rate: deployments that needed intervention after reaching production', () => {
  it('reads earlier attempts of re-run runs, so a failed run fixed by a re-run is a pipeline failure', async () => {
    const e = h.exporter();
    await e.poll();
    const out = await lines(e);
    expect(e.snapshot.deploys.filter((d) => d.runKey.startsWith('102:')).map((d) => [d.runKey, d.conclusion])).toEqual([
      ['102:1', 'failure'],
      ['102:2', 'success'],
    ]);
    expect(out).toContain(`dora_failed_deployments_total{${L}} 1`);
    expect(out).toContain(`dora_deploy_pipeline_failure_rate_ratio{${L},window="30d"} 0.125`);
  });

  it('does not count a red pipeline run as a change failure', async () => {
    const e = h.exporter();
    await e.poll();
    expect(e.snapshot.deploys.filter((d) => d.changeFailure).map((d) => d.runKey)).toEqual(['104:1', '105:1', '108:1', '109:1']);
    expect(await lines(e)).toContain(`dora_change_failure_rate_ratio{${L},window="30d"} ${4 / 7}`);
  });

  it('blames the deploy an incident names, and labels the latest-deploy fallback as such', async () => {
    const e = h.exporter();
    await e.poll();
    expect(e.snapshot.repos[REPO].incidents).toMatchObject({
      '7': { attribution: 'linked' },
      '11': { attribution: 'latest_deploy' },
    });
    const out = await lines(e);
    expect(out).toContain(`dora_incidents_total{${L},attribution="linked"} 1`);
    expect(out).toContain(`dora_incidents_total{${L},attribution="latest_deploy"} 1`);
  });
});

describe('deployment rework rate: deployments that were unplanned fixes of the one before', () => {
  it('counts the revert and the rollback of the known history', async () => {
    const e = h.exporter();
    await e.poll();
    expect(e.snapshot.deploys.filter((d) => d.rework).map((d) => d.runKey)).toEqual(['105:1', '108:1']);
    const out = await lines(e);
    expect(out).toContain(`dora_rework_deployments_total{${L}} 2`);
    expect(out).toContain(`dora_deployment_rework_rate_ratio{${L},window="30d"} ${2 / 7}`);
  });
});

describe('time to restore: from the failed deployment reaching production, or from the incident opening', () => {
  it('by default starts when the failed deployment reached production', async () => {
    const e = h.exporter();
    await e.poll();
    expect(e.snapshot.restores.map((r) => r.seconds)).toEqual([2700, 86100, 100200, 99600]);
  });

  it('with timeToRestoreFrom: incident_opened starts incidents at their opening', async () => {
    const e = h.exporter({ timeToRestoreFrom: 'incident_opened' });
    await e.poll();
    // #7 12:00-14:00, #11 12:00-13:00; rollbacks are unchanged
    expect(e.snapshot.restores.map((r) => r.seconds)).toEqual([2700, 86100, 7200, 3600]);
    expect(await lines(e)).toContain(`dora_time_to_restore_median_seconds{${L},window="30d"} 5400`);
  });
});

describe('deployRef: which runs are deploys', () => {
  it('counts releases by tag with a tag pattern, and nothing else', async () => {
    const runs = [
      { ...run(301, 's4', a(6, '10:00'), a(6, '10:00'), a(6, '10:10'), 'success', a(5, '08:30')), head_branch: 'v1.0.0' },
      { ...run(302, 's5b', a(3, '10:00'), a(3, '10:00'), a(3, '10:10'), 'success', a(3, '08:00')), head_branch: 'v1.1.0' },
      run(303, 's6', a(2, '10:00'), a(2, '10:00'), a(2, '10:10'), 'success', a(1, '08:00')),
    ];
    h.github.repos[REPO].runs['release.yml'] = runs;
    const e = h.exporter({ repositories: [{ repo: REPO, deployWorkflow: 'release.yml', environment: ENVIRONMENT, deployRef: 'v*' }] });
    await e.poll();
    const R = `repo="${REPO}",workflow="release.yml",environment="${ENVIRONMENT}"`;
    const out = await lines(e);
    expect(out).toContain(`dora_deployments_total{${R}} 2`);
    // v1.0.0 ships the look-back's history up to s4 (c0, s1, c2a, s2, s3, s4); v1.1.0 ships s5 and s5b
    expect(out).toContain(`dora_lead_time_seconds_count{${R}} 8`);
  });

  it('still gets the whole known history with deployRef naming the branch', async () => {
    const e = h.exporter({ repositories: [{ repo: REPO, deployWorkflow: WORKFLOW, environment: ENVIRONMENT, deployRef: 'main' }] });
    await e.poll();
    expect(missing(await lines(e), EXPECTED_LINES)).toEqual([]);
  });
});
