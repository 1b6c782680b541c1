import { PATHS } from '../../shared/host-paths';
import { dirOf } from './common';
import type { MachineryFileGroup } from './types';

/** The oneshot services of the host's own machinery (renderMachineryUnits in lib/host/systemd-units.ts). */
export const MACHINERY_SERVICES = { secrets: 'lgtm-secrets', sync: 'lgtm-sync' } as const;

/** The platform's unit files (lib/host/systemd-units.ts): verified together, then systemd reloads and restarts the changed ones. */
export const unitFiles: MachineryFileGroup = {
  group: 'systemd',
  files: {
    dirs: [PATHS.systemdDir],
    checker: {
      kind: 'command',
      covers: [`${PATHS.systemdDir}/*`],
      bash: [
        'local units=()',
        'for rel in "${files[@]}"; do units+=("$NEW/$rel"); done',
        'if ((${#units[@]})); then "$SYSTEMD_ANALYZE" verify --man=no "${units[@]}" || return 1; fi',
      ],
    },
  },
  apply: [
    '"$SYSTEMCTL" daemon-reload',
    'while IFS= read -r rel; do',
    '  [[ -n "$rel" ]] || continue',
    '  case "$rel" in',
    `    *${MACHINERY_SERVICES.sync}.service) ;; # this very run`,
    '    *.service) restart_unit "${rel##*/}" ;;',
    '    *.timer) "$SYSTEMCTL" try-restart "${rel##*/}" ;;',
    '  esac',
    'done <<<"${CHANGED[systemd]:-}"',
  ],
};

/** The platform's own scripts (install, sync, secrets): parsed by bash; a changed one restarts or re-runs what runs it. */
export const scripts: MachineryFileGroup = {
  group: 'scripts',
  files: {
    dirs: [dirOf(PATHS.syncScript)],
    checker: { kind: 'command', covers: [`${dirOf(PATHS.syncScript)}/*`], bash: ['for rel in "${files[@]}"; do bash -n "$NEW/$rel" || return 1; done'] },
  },
  apply: [
    `if grep -qx '${PATHS.secretsScript.slice(1)}' <<<"\${CHANGED[scripts]:-}"; then restart_unit ${MACHINERY_SERVICES.secrets}.service; fi`,
    `if grep -qx '${PATHS.installScript.slice(1)}' <<<"\${CHANGED[scripts]:-}" && [[ "\${LGTM_SYNC_FROM_INSTALL:-}" != 1 ]]; then`,
    '  # The install needs what this sandbox withholds (packages, users, mounts): systemd runs it as a unit of its own.',
    '  log "the install script changed: starting it as lgtm-install-rerun (pinned versions may have changed)"',
    `  "$SYSTEMD_RUN" --unit=lgtm-install-rerun --collect --no-block --setenv=LGTM_INSTALL_NO_SYNC=1 "$ROOT${PATHS.installScript}" ||`,
    '    log "warning: could not start lgtm-install; see journalctl -u lgtm-install-rerun"',
    'fi',
  ],
};

/** The machinery's groups, after the programs' in the sync's tables. */
export const MACHINERY_FILE_GROUPS: readonly MachineryFileGroup[] = [unitFiles, scripts];

/**
 * The order in which the sync applies the machinery's groups, before every program's: scripts, then units
 * (systemd-analyze verify refuses a unit whose ExecStart= script is not in place yet, as on a first boot), then
 * each program's files (a new config may need a new unit).
 */
export const MACHINERY_APPLY_ORDER: readonly MachineryFileGroup[] = [scripts, unitFiles];
