import type { FakeGitHub, RunFixture } from '../../bench/fake-github';

/**
 * A known month of deploys of acme/api (workflow deploy.yml, environment production, branch main), relative
 * to `now`, and the metric values it must produce. Times are `at(daysAgo, 'HH:MM')` in UTC.
 *
 *   run 101  10 days ago 10:01-10:11  success  ships s1 (first deploy: head commit 09:00), confirmed 10:12
 *   run 102   8 days ago 10:00-10:20  failure
 *   run 103   8 days ago 12:00-12:10  success  ships s1...s3 = 3 commits (2 pages), restores run 102
 *   run 104   5 days ago 09:00-09:30  success  ships c4 (08:30)
 *   run 105   5 days ago 10:00-10:15  success  "Revert ..." ships c5 (09:50): blames run 104
 *   run 106   1 hour ago              in progress (not counted)
 *   issue #7  3 days ago 12:00-14:00  incident: blames run 105
 *   issue #8  a pull request with the label (ignored); issue #9 40 days ago (outside the look-back)
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
  github.repos[REPO] = {
    default_branch: 'main',
    runs: {
      [WORKFLOW]: [
        run(101, 's1', a(10, '10:00'), a(10, '10:01'), a(10, '10:11'), 'success', a(10, '09:00')),
        run(102, 's2', a(8, '10:00'), a(8, '10:00'), a(8, '10:20'), 'failure', a(8, '09:30')),
        run(103, 's3', a(8, '12:00'), a(8, '12:00'), a(8, '12:10'), 'success', a(8, '11:00')),
        run(104, 's4', a(5, '09:00'), a(5, '09:00'), a(5, '09:30'), 'success', a(5, '08:30')),
        run(105, 's5', a(5, '10:00'), a(5, '10:00'), a(5, '10:15'), 'success', a(5, '09:50'), 'Revert "feat: faster search"'),
        { ...run(106, 's6', new Date(now - 3600_000).toISOString(), new Date(now - 3500_000).toISOString(), new Date(now - 3400_000).toISOString(), null, a(1, '08:00')) },
        { ...run(107, 's7', a(6, '10:00'), a(6, '10:00'), a(6, '10:05'), 'success', a(6, '09:00')), head_branch: 'feature' },
      ],
    },
    compare: {
      's1...s3': [
        { sha: 'c2a', date: a(9, '15:00') },
        { sha: 'c2b', date: a(8, '08:00') },
        { sha: 's3', date: a(8, '11:00') },
      ],
      's3...s4': [{ sha: 's4', date: a(5, '08:30') }],
      's4...s5': [{ sha: 's5', date: a(5, '09:50') }],
    },
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
      { number: 7, created_at: a(3, '12:00'), updated_at: a(3, '14:00'), closed_at: a(3, '14:00'), labels: [{ name: 'incident' }] },
      { number: 8, created_at: a(2, '12:00'), updated_at: a(2, '13:00'), closed_at: null, labels: [{ name: 'incident' }], pull_request: { url: 'x' } },
      { number: 9, created_at: a(40, '12:00'), updated_at: a(39, '12:00'), closed_at: a(39, '12:00'), labels: [{ name: 'incident' }] },
      { number: 10, created_at: a(4, '12:00'), updated_at: a(4, '12:00'), closed_at: null, labels: [{ name: 'bug' }] },
    ],
  };
}

const L = `repo="${REPO}",workflow="${WORKFLOW}",environment="${ENVIRONMENT}"`;

/** Exposition lines the known history must produce (exact values). */
export const EXPECTED_LINES = [
  `dora_deployments_total{${L}} 4`,
  `dora_failed_deployments_total{${L}} 1`,
  `dora_change_failures_total{${L}} 3`,
  // lead times per commit: 4320 (s1, to confirmation), 76200, 15000, 4200 (s1...s3), 3600 (c4), 1500 (c5)
  `dora_lead_time_seconds_count{${L}} 6`,
  `dora_lead_time_seconds_sum{${L}} 104820`,
  `dora_lead_time_seconds_bucket{${L},le="3600"} 2`,
  `dora_lead_time_seconds_bucket{${L},le="86400"} 6`,
  `dora_lead_time_queue_seconds_sum{${L}} 99660`,
  `dora_lead_time_pipeline_seconds_count{${L}} 4`,
  `dora_lead_time_pipeline_seconds_sum{${L}} 3900`,
  `dora_lead_time_confirmation_seconds_count{${L}} 1`,
  `dora_lead_time_confirmation_seconds_sum{${L}} 60`,
  // restores: 6600 (102 -> 103), 2700 (104 blamed by revert 105), 7200 (incident #7)
  `dora_time_to_restore_seconds_count{${L}} 3`,
  `dora_time_to_restore_seconds_sum{${L}} 16500`,
  `dora_deployment_frequency_per_day{${L},window="7d"} ${2 / 7}`,
  `dora_deployment_frequency_per_day{${L},window="30d"} ${4 / 30}`,
  `dora_lead_time_median_seconds{${L},window="7d"} 2550`,
  `dora_lead_time_median_seconds{${L},window="30d"} 4260`,
  `dora_change_failure_rate_ratio{${L},window="7d"} 1`,
  `dora_change_failure_rate_ratio{${L},window="30d"} 0.6`,
  `dora_time_to_restore_median_seconds{${L},window="7d"} 4950`,
  `dora_time_to_restore_median_seconds{${L},window="30d"} 6600`,
  `dora_performance_band{${L},metric="deployment_frequency"} 2`,
  `dora_performance_band{${L},metric="lead_time"} 4`,
  `dora_performance_band{${L},metric="change_failure_rate"} 1`,
  `dora_performance_band{${L},metric="time_to_restore"} 3`,
];
