import type { FakeGitHub, RunFixture } from '../../lib/dora/exporter/fake-github';

/**
 * A known month of deploys of acme/api (workflow deploy.yml, environment production, branch main), relative
 * to `now`, and the metric values it must produce, worked out by hand from the definitions in the README.
 * Times are `at(daysAgo, 'HH:MM')` in UTC; the look-back is 30 days.
 *
 * Commits (author date; a linear history): b0 40d 09:00, c0 11d 09:00, s1 10d 09:00 (squash-merged in the UI:
 * committer date 10d 09:55), c2a 9d 15:00, s2 8d 09:30, s3 8d 11:00, s4 5d 08:30, s5 5d 09:50, s5b 3d 08:00,
 * s6 1d 08:00.
 *
 *   run 100  35 days ago         success  b0: the last deploy before the look-back (the base of run 101)
 *   run 101  10 days ago 10:01-10:11  success  ships c0 and s1 (b0...s1), confirmed 10:12
 *   run 102   8 days ago  attempt 1 10:00-10:20 failure (a pipeline failure, seen only via the attempts
 *                         endpoint), attempt 2 10:30-10:40 success: ships c2a and s2
 *   run 103   8 days ago 12:00-12:10  success  ships s3
 *   run 104   5 days ago 09:00-09:30  success  ships s4
 *   run 105   5 days ago 10:00-10:15  success  "Revert ...": rework, blames 104 (restore 09:30 -> 10:15)
 *   run 108   4 days ago 10:00-10:10  success  "rollback to s3" (s3 again: compare is behind, ships nothing):
 *                                              rework, blames 105 (restore 5d 10:15 -> 4d 10:10)
 *   run 109   3 days ago 09:00-09:20  success  ships s5b only (s3...s5b also holds s4 and s5, shipped already)
 *   run 106   1 hour ago              in progress (not counted)
 *   run 107   on branch feature        (not counted)
 *   issue #7  3 days ago 12:00-14:00  incident naming run 108 (not the latest deploy before it, 109): linked,
 *                                    blames 108 (restore 4d 10:10 -> 3d 14:00)
 *   issue #11 2 days ago 12:00-13:00  incident naming nothing: blames the latest deploy before it, 109
 *                                    (restore 3d 09:20 -> 2d 13:00)
 *   issue #8  a pull request with the label (ignored); #9 40 days ago (outside the look-back); #10 a bug
 */
export const REPO = 'acme/api';
export const WORKFLOW = 'deploy.yml';
export const ENVIRONMENT = 'production';

export function at(now: number, daysAgo: number, hhmm: string): string {
  const day = new Date(now - daysAgo * 86400_000);
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m)).toISOString();
}

export function run(id: number, sha: string, created: string, started: string, completed: string, conclusion: string | null, commitTime: string, title = `deploy ${sha}`): RunFixture {
  return {
    id,
    head_sha: sha,
    head_branch: 'main',
    display_title: title,
    status: conclusion === null ? 'in_progress' : 'completed',
    conclusion,
    created_at: created,
    run_started_at: started,
    updated_at: completed,
    head_commit: { id: sha, message: title, timestamp: commitTime },
  };
}

/** `now` should be a fixed noon so that "N days ago HH:MM" never crosses `now`. */
export function writeKnownHistory(github: FakeGitHub, now: number): void {
  const a = (d: number, t: string) => at(now, d, t);
  const commits = [
    ['b0', a(40, '09:00')],
    ['c0', a(11, '09:00')],
    ['s1', a(10, '09:00'), a(10, '09:55')],
    ['c2a', a(9, '15:00')],
    ['s2', a(8, '09:30')],
    ['s3', a(8, '11:00')],
    ['s4', a(5, '08:30')],
    ['s5', a(5, '09:50')],
    ['s5b', a(3, '08:00')],
    ['s6', a(1, '08:00')],
  ].map(([sha, authored, committed], i, all) => ({ sha, authored, committed, parents: i > 0 ? [all[i - 1][0]] : [] }));
  github.repos[REPO] = {
    default_branch: 'main',
    runs: {
      [WORKFLOW]: [
        run(100, 'b0', a(35, '10:00'), a(35, '10:00'), a(35, '10:10'), 'success', a(40, '09:00')),
        run(101, 's1', a(10, '10:00'), a(10, '10:01'), a(10, '10:11'), 'success', a(10, '09:55')),
        {
          ...run(102, 's2', a(8, '10:00'), a(8, '10:30'), a(8, '10:40'), 'success', a(8, '09:30')),
          run_attempt: 2,
          earlier_attempts: [{ ...run(102, 's2', a(8, '10:00'), a(8, '10:00'), a(8, '10:20'), 'failure', a(8, '09:30')), run_attempt: 1 }],
        },
        run(103, 's3', a(8, '12:00'), a(8, '12:00'), a(8, '12:10'), 'success', a(8, '11:00')),
        run(104, 's4', a(5, '09:00'), a(5, '09:00'), a(5, '09:30'), 'success', a(5, '08:30')),
        run(105, 's5', a(5, '10:00'), a(5, '10:00'), a(5, '10:15'), 'success', a(5, '09:50'), 'Revert "feat: faster search"'),
        run(108, 's3', a(4, '10:00'), a(4, '10:00'), a(4, '10:10'), 'success', a(8, '11:00'), 'rollback to s3'),
        run(109, 's5b', a(3, '09:00'), a(3, '09:00'), a(3, '09:20'), 'success', a(3, '08:00')),
        run(106, 's6', new Date(now - 3600_000).toISOString(), new Date(now - 3500_000).toISOString(), new Date(now - 3400_000).toISOString(), null, a(1, '08:00')),
        { ...run(107, 's7', a(6, '10:00'), a(6, '10:00'), a(6, '10:05'), 'success', a(6, '09:00')), head_branch: 'feature' },
      ],
    },
    commits,
    deployments: [
      { id: 9001, sha: 's1', environment: 'production', created_at: a(10, '10:05') },
      { id: 9002, sha: 's1', environment: 'staging', created_at: a(10, '10:04') },
    ],
    statuses: {
      9001: [
        { state: 'success', created_at: a(10, '10:12') },
        { state: 'in_progress', created_at: a(10, '10:06') },
      ],
    },
    issues: [
      { number: 7, title: 'Checkout errors', body: 'Started after https://github.com/acme/api/actions/runs/108', created_at: a(3, '12:00'), updated_at: a(3, '14:00'), closed_at: a(3, '14:00'), labels: [{ name: 'incident' }] },
      { number: 11, title: 'Slow search', body: null, created_at: a(2, '12:00'), updated_at: a(2, '13:00'), closed_at: a(2, '13:00'), labels: [{ name: 'incident' }] },
      { number: 8, created_at: a(2, '12:00'), updated_at: a(2, '13:00'), closed_at: null, labels: [{ name: 'incident' }], pull_request: { url: 'x' } },
      { number: 9, created_at: a(40, '12:00'), updated_at: a(39, '12:00'), closed_at: a(39, '12:00'), labels: [{ name: 'incident' }] },
      { number: 10, created_at: a(4, '12:00'), updated_at: a(4, '12:00'), closed_at: null, labels: [{ name: 'bug' }] },
    ],
  };
}

const L = `repo="${REPO}",workflow="${WORKFLOW}",environment="${ENVIRONMENT}"`;

/** Exposition lines the known history must produce (exact values). */
export const EXPECTED_LINES = [
  // deployments: 101, 102 (attempt 2), 103, 104, 105, 108, 109; the pipeline failure: 102 attempt 1
  `dora_deployments_total{${L}} 7`,
  `dora_failed_deployments_total{${L}} 1`,
  // change failures: 104 (reverted by 105), 105 (rolled back by 108), 108 (named by incident #7), 109 (#11)
  `dora_change_failures_total{${L}} 4`,
  `dora_rework_deployments_total{${L}} 2`,
  `dora_incidents_total{${L},attribution="linked"} 1`,
  `dora_incidents_total{${L},attribution="latest_deploy"} 1`,
  `dora_incidents_total{${L},attribution="none"} 0`,
  // lead times per commit, author date to deployed: c0 90720, s1 4320 (to the confirmation at 10:12),
  // c2a 70800, s2 4200, s3 4200, s4 3600, s5 1500, s5b 4800
  `dora_lead_time_seconds_count{${L}} 8`,
  `dora_lead_time_seconds_sum{${L}} 184140`,
  `dora_lead_time_seconds_bucket{${L},le="3600"} 2`,
  `dora_lead_time_seconds_bucket{${L},le="86400"} 7`,
  // to the run's start: 90060, 3660, 70200, 3600, 3600, 1800, 600, 3600
  `dora_lead_time_queue_seconds_sum{${L}} 177120`,
  `dora_lead_time_pipeline_seconds_count{${L}} 7`,
  `dora_lead_time_pipeline_seconds_sum{${L}} 6300`,
  `dora_lead_time_confirmation_seconds_count{${L}} 1`,
  `dora_lead_time_confirmation_seconds_sum{${L}} 60`,
  // restores: 2700 (104 -> 105), 86100 (105 -> 108), 100200 (108 deployed -> #7 closed), 99600 (109 -> #11 closed)
  `dora_time_to_restore_seconds_count{${L}} 4`,
  `dora_time_to_restore_seconds_sum{${L}} 288600`,
  `dora_deployment_frequency_per_day{${L},window="7d"} ${4 / 7}`,
  `dora_deployment_frequency_per_day{${L},window="30d"} ${7 / 30}`,
  `dora_lead_time_median_seconds{${L},window="7d"} 3600`,
  `dora_lead_time_median_seconds{${L},window="30d"} 4260`,
  `dora_change_failure_rate_ratio{${L},window="7d"} 1`,
  `dora_change_failure_rate_ratio{${L},window="30d"} ${4 / 7}`,
  `dora_deploy_pipeline_failure_rate_ratio{${L},window="7d"} 0`,
  `dora_deploy_pipeline_failure_rate_ratio{${L},window="30d"} 0.125`,
  `dora_deployment_rework_rate_ratio{${L},window="7d"} 0.5`,
  `dora_deployment_rework_rate_ratio{${L},window="30d"} ${2 / 7}`,
  `dora_time_to_restore_median_seconds{${L},window="7d"} 92850`,
  `dora_time_to_restore_median_seconds{${L},window="30d"} 92850`,
  `dora_performance_band{${L},metric="deployment_frequency"} 3`,
  `dora_performance_band{${L},metric="lead_time"} 4`,
  `dora_performance_band{${L},metric="change_failure_rate"} 1`,
  `dora_performance_band{${L},metric="time_to_restore"} 2`,
];
