/**
 * The DORA exporter's metric names: the contract between the exporter, the alert rules and the dashboards.
 * Counters and histograms carry `repo`, `workflow`, `environment`; window gauges add `window` ("7d" | "30d");
 * the band gauge adds `metric` (one of the four keys).
 */
export const DORA_METRICS = {
  deployments: 'dora_deployments_total',
  failedDeployments: 'dora_failed_deployments_total',
  changeFailures: 'dora_change_failures_total',
  reworkDeployments: 'dora_rework_deployments_total',
  /** Adds `attribution`: linked, latest_deploy, none. */
  incidents: 'dora_incidents_total',
  leadTime: 'dora_lead_time_seconds',
  leadTimeQueue: 'dora_lead_time_queue_seconds',
  leadTimePipeline: 'dora_lead_time_pipeline_seconds',
  leadTimeConfirmation: 'dora_lead_time_confirmation_seconds',
  timeToRestore: 'dora_time_to_restore_seconds',
  deploymentFrequency: 'dora_deployment_frequency_per_day',
  leadTimeMedian: 'dora_lead_time_median_seconds',
  changeFailureRate: 'dora_change_failure_rate_ratio',
  pipelineFailureRate: 'dora_deploy_pipeline_failure_rate_ratio',
  reworkRate: 'dora_deployment_rework_rate_ratio',
  timeToRestoreMedian: 'dora_time_to_restore_median_seconds',
  /** 4 elite, 3 high, 2 medium, 1 low. */
  performanceBand: 'dora_performance_band',
  lastSuccessfulPoll: 'dora_exporter_last_successful_poll_timestamp_seconds',
  apiErrors: 'dora_exporter_github_api_errors_total',
  rateLimitRemaining: 'dora_exporter_github_rate_limit_remaining',
  /** Per `repo`: absent until the repository was read in full once (kept in the state file). */
  repositoryLastSuccessfulPoll: 'dora_exporter_repository_last_successful_poll_timestamp_seconds',
  /** Per `repo`, `reason` (see PollErrorReason). */
  repositoryPollErrors: 'dora_exporter_repository_poll_errors_total',
  /** Per `repo`: 1 when its latest poll read all of it, 0 when it failed; absent before its first poll. */
  repositoryPollOk: 'dora_exporter_repository_poll_ok',
} as const;
