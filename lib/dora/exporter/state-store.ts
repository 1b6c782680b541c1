import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { emptyState, STATE_VERSION, type DoraState } from './history';

/**
 * The state file: loaded once at start, written after every poll that changed something. Writes go to a
 * temporary file that is renamed over the old one, so a crash mid-write leaves the previous state intact.
 */
export function loadState(file: string): DoraState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
  const parsed = JSON.parse(text) as DoraState;
  // An older version (1: failed runs counted as change failures, no shipped-commit set) is not migrated: the
  // caller sets it aside and the exporter reads the look-back again.
  // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- STATE_VERSION is a number literal
  if (parsed?.version !== STATE_VERSION) throw new Error(`${file}: state version ${JSON.stringify(parsed?.version)}, expected ${STATE_VERSION}`);
  return { ...emptyState(), ...parsed };
}

export function saveState(file: string, state: DoraState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * Loads the state; an unreadable or corrupt file is moved aside to `<file>.bad` (for a human to look at) and
 * the exporter starts from an empty state instead of crash-looping. Returns the state and what happened.
 */
export function loadStateOrStartOver(file: string): { state: DoraState; problem?: string } {
  try {
    return { state: loadState(file) };
  } catch (error) {
    const problem = `${file} is unusable (${(error as Error).message}); moved to ${file}.bad, starting from an empty state`;
    try {
      renameSync(file, `${file}.bad`);
    } catch {
      // nothing to move aside
    }
    return { state: emptyState(), problem };
  }
}
