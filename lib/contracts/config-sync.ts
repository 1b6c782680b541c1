/**
 * The host's config sync (`lgtm-sync`, lib/host/config-sync.ts) as the rest of the platform sees it: its
 * schedule (rendered into lgtm-sync.timer / .service), its state directory, and the metrics it writes for node
 * exporter's textfile collector (scraped by the `node` job, so they carry `job="node"` and the host's
 * `instance`). The ConfigSync* alerts, their runbooks and the platform dashboard read these.
 */
export const CONFIG_SYNC_METRICS = {
  /** Unix time the last sync run finished (written on every run that could read the bucket, refused or not). */
  lastRun: 'lgtm_config_sync_last_run_timestamp_seconds',
  /** `{group="<program>"} 1` while the bucket holds a configuration of that group the host refused; absent otherwise. */
  refused: 'lgtm_config_sync_refused',
} as const;

/**
 * When systemd runs the sync (seconds). First run and interval are the defaults of `host.configSync`, which is
 * what the timer renders; the random delay and the run timeout are fixed.
 */
export const CONFIG_SYNC_SCHEDULE = {
  /** First run after boot (`OnBootSec`): `host.configSync.firstRunAfterSeconds`'s default. */
  bootDelaySeconds: 120,
  /** Gap between the end of one run and the start of the next (`OnUnitInactiveSec`): `host.configSync.intervalSeconds`'s default. */
  intervalSeconds: 60,
  /** Random extra delay of each run (`RandomizedDelaySec`). */
  randomizedDelaySeconds: 10,
  /** Longest a run may take before systemd kills it (`TimeoutStartSec`; a run may re-run the install script). */
  runTimeoutSeconds: 900,
} as const;

/** The sync's state: its lock, and `rejected/<group>/reason.txt` (the checker's output) for each refused group. */
export const CONFIG_SYNC_STATE_DIR = '/var/lib/lgtm-sync';

/**
 * ConfigSyncStale's threshold (also the red mark of the platform dashboard's panel): no sync run finished for
 * longer than systemd lets one run take (15 runs of the one-minute timer). A run that re-runs the install script
 * may legitimately take minutes, and the sync writes its timestamp only at the end of a run; past the run timeout
 * that run was killed, so a record this old means the timer is stopped or every run dies before it writes (for
 * example, the bucket is unreadable).
 */
export const CONFIG_SYNC_STALE_AFTER_SECONDS = CONFIG_SYNC_SCHEDULE.runTimeoutSeconds;
