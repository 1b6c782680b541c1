import { CONFIG_SYNC_STATE_DIR } from '../contracts/config-sync';
import { PATHS } from '../shared/host-paths';
import { SYNC_FILE_GROUPS } from './services';

const dirOf = (path: string) => path.replace(/\/[^/]+$/, '');

/**
 * Directories whose files the config sync installs: the directories of every sync group (each program's
 * configuration, the DORA exporter's bundle, the platform's scripts and its unit files; lib/host/services/).
 * Nothing else: not `/etc/cron.d`, `/etc/sudoers.d`, nor `/etc/lgtm` (the bootstrap settings that say which
 * bucket to sync from).
 */
export const SYNC_MANAGED_DIRS: readonly string[] = SYNC_FILE_GROUPS.flatMap((group) => group.files.dirs);

/** The only paths lgtm-sync.service may write: where it installs, its own state, and its textfile metrics. */
export function syncWritablePaths(): string[] {
  return [...SYNC_MANAGED_DIRS, CONFIG_SYNC_STATE_DIR, PATHS.textfileDir];
}

/**
 * bash `case` patterns (paths relative to `/`) of the objects the sync accepts: any file under a program's
 * directory, the platform's own `lgtm-*` scripts, and in the unit directory exactly the units the platform
 * renders (`unitFiles`), so a bucket object cannot add a unit, a drop-in or a timer of its own.
 */
export function syncAllowedPatterns(unitFiles: readonly string[]): string[] {
  const programDirs = SYNC_MANAGED_DIRS.filter((d) => d !== PATHS.systemdDir && d !== dirOf(PATHS.syncScript));
  return [...programDirs.map((d) => `${d.slice(1)}/*`), `${dirOf(PATHS.syncScript).slice(1)}/lgtm-*`, ...unitFiles.map((path) => path.slice(1))];
}
