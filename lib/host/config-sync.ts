import type { PlatformConfig } from '../config/schema';
import { CONFIG_SYNC_METRICS as M, CONFIG_SYNC_STATE_DIR } from '../contracts/config-sync';
import { CONFIG_MANIFEST_OBJECT, MANIFEST_MODE_PATTERN, MANIFEST_OWNERS, configManifestParameterName } from './config-manifest';
import type { HostFile } from '../shared/host-file';
import { architectureOf } from './architecture';
import { ARTIFACTS, executablePath, type ArtifactSpec } from './artifacts';
import { awsEndpointArgument, scriptLogging, sourceBootstrapEnv, systemCommandPreamble } from './script-preamble';
import { BOOTSTRAP_ENV, PATHS } from '../shared/host-paths';
import { q } from '../shared/shell-quote';
import { renderSystemdUnits } from './systemd-units';
import { hostServicesOf } from './services';
import { applyArms, applyOrderAwk, checkerFunctions, checkerToolVariables, groupOfArms, mirroredDirArms, validateArms } from './services/sync-table';
import { syncAllowedPatterns } from './sync-paths';

/**
 * Key of a host file in the config bucket: `<prefix>/<path without its leading slash>`, e.g.
 * `anvila/etc/prometheus/prometheus.yml`. The infra stack uploads every rendered HostFile under this key;
 * the sync script maps keys back to paths the same way.
 */
export function configObjectKey(prefix: string, path: string): string {
  const clean = prefix.replace(/^\/+|\/+$/g, '');
  return clean ? `${clean}/${path.replace(/^\/+/, '')}` : path.replace(/^\/+/, '');
}

/**
 * The config sync (`/usr/local/sbin/lgtm-sync`), run by `lgtm-sync.timer` every minute and once by the
 * install script. Pulls every object under the bucket prefix, checks the manifest against its digest in SSM
 * and each file against the manifest (lib/host/config-manifest.ts), groups changed files by the program that
 * reads them, validates each group with that program's own checker (groups, checkers and reloads are generated
 * from the host-service descriptors, lib/host/services/), swaps valid files in atomically (rename)
 * with the manifest's mode and owner, reloads or restarts the program, and keeps the last good files of a
 * refused group, logging why. On a first boot, when nothing of a refused group is live yet, the group starts
 * with the files that pass its checker (first_boot_subset) and the refusal stays reported.
 * Exit status: 0 all applied (or nothing to do), 3 some group refused, other values: sync failed.
 */
export function renderSyncScript(config: PlatformConfig, table: readonly ArtifactSpec[] = ARTIFACTS): string {
  const arch = architectureOf(config.host.instanceType);
  const exe = (name: Parameters<typeof executablePath>[0], x: string) => `"$ROOT"${q(executablePath(name, x, arch, table))}`;
  return `#!/bin/bash
# lgtm-sync: applies configuration changes from the config bucket, safely. Rendered by the LGTM platform; do
# not edit on the host. Every object s3://$LGTM_BUCKET/$LGTM_PREFIX/<path> is the host file /<path>.
# A changed file is validated by the program that reads it before it replaces the live file; a refused
# group of files leaves the last good ones running and is logged with the checker's output.
#
# Test hooks (never set in production): LGTM_ROOT=<dir> works under <dir> and requires LGTM_SYSTEMCTL,
# LGTM_AWS, LGTM_SYSTEMD_RUN; LGTM_RELOAD_URL_<UNIT> overrides a reload endpoint.
set -euo pipefail
umask 022

${systemCommandPreamble('lgtm-sync', ['SYSTEMCTL', 'AWS', 'SYSTEMD_RUN'])}
SYSTEMD_ANALYZE="\${LGTM_SYSTEMD_ANALYZE:-systemd-analyze}"
${checkerToolVariables(exe)}

${scriptLogging('lgtm-sync')}

${sourceBootstrapEnv()}
: "\${LGTM_BUCKET:?LGTM_BUCKET is not set (expected in ${BOOTSTRAP_ENV})}"

STATE="$ROOT${CONFIG_SYNC_STATE_DIR}"
mkdir -p "$STATE"
exec 9>"$STATE/lock"
if ! flock -n 9; then
  log "another sync is running; skipping"
  exit 0
fi
WORK="$(mktemp -d "$STATE/run.XXXXXX")"
textfile="$ROOT${PATHS.textfileDir}"

# What node exporter reports: when the sync last ran, and each group whose bucket files the host refused.
write_report() {
  [[ -d "$textfile" ]] || return 0
  {
    echo '# HELP ${M.lastRun} When the config sync last ran.'
    echo '# TYPE ${M.lastRun} gauge'
    echo "${M.lastRun} $(date +%s)"
    echo '# HELP ${M.refused} Whether the bucket holds a configuration of this group that the host refused.'
    echo '# TYPE ${M.refused} gauge'
    for dir in "$STATE"/rejected/*/; do
      [[ -d "$dir" ]] || continue
      dir="\${dir%/}"
      echo "${M.refused}{group=\\"\${dir##*/}\\"} 1"
    done
  } >"$textfile/.lgtm_sync.prom.new"
  mv -f "$textfile/.lgtm_sync.prom.new" "$textfile/lgtm_sync.prom"
}

# Records a refusal of \$1 (a group, or the manifest) with its reason \$2, for the report and the next run.
record_refusal() {
  mkdir -p "$STATE/rejected/$1"
  printf '%s\n' "$2" >"$STATE/rejected/$1/reason.txt"
}
trap 'rm -rf "$WORK"' EXIT
NEW="$WORK/new"
mkdir -p "$NEW"

# ---- pull -----------------------------------------------------------------------------------------------
source_url="s3://$LGTM_BUCKET/\${LGTM_PREFIX:+$LGTM_PREFIX/}"
"$AWS" s3 cp ${awsEndpointArgument('s3')} --recursive --only-show-errors "$source_url" "$NEW/" || die "cannot read $source_url"

# The paths the sync manages (lib/host/sync-paths.ts); anything else in the bucket is ignored with a warning.
allowed() {
  case "$1" in
${syncAllowedPatterns(renderSystemdUnits(config, table).map((u) => u.path))
  .map((p) => `    ${q(p).replace(/\*'$/, "'*")}) return 0 ;;`)
  .join('\n')}
    *) return 1 ;;
  esac
}

owner_allowed() {
  case "$1" in
${MANIFEST_OWNERS.map((o) => `    ${q(o)}) return 0 ;;`).join('\n')}
    *) return 1 ;;
  esac
}

# ---- the manifest -----------------------------------------------------------------------------------------
# The stack lists every file it uploads (SHA-256, mode, owner, path) and puts the manifest's own SHA-256 into an
# SSM parameter the host may only read: a writer of the bucket alone cannot produce a manifest that hashes to it.
MANIFEST_PARAMETER=${q(configManifestParameterName(config.name))}
MODE_PATTERN=${q(MANIFEST_MODE_PATTERN)}
declare -A WANT_SHA=() WANT_MODE=() WANT_OWNER=()
manifest="$NEW/${CONFIG_MANIFEST_OBJECT}"
expected="$("$AWS" ssm get-parameter ${awsEndpointArgument('ssm')} \${AWS_REGION:+--region "$AWS_REGION"} --name "$MANIFEST_PARAMETER" \\
  --query Parameter.Value --output text)" || die "cannot read SSM parameter $MANIFEST_PARAMETER (the manifest's SHA-256)"
manifest_problem=""
if [[ ! -f "$manifest" ]]; then
  manifest_problem="the bucket holds no manifest (\${source_url}${CONFIG_MANIFEST_OBJECT})"
elif actual="$(sha256sum "$manifest" | cut -d' ' -f1)" && [[ "$actual" != "$expected" ]]; then
  manifest_problem="the manifest's SHA-256 ($actual) is not the one in SSM parameter $MANIFEST_PARAMETER ($expected)"
else
  while read -r sha mode owner path extra; do
    [[ -z "$sha" || "$sha" == '#'* ]] && continue
    rel="\${path#/}"
    if ! [[ "$sha" =~ ^[0-9a-f]{64}$ && "$mode" =~ $MODE_PATTERN && -z "$extra" && "$path" == /* && "$rel" != *..* ]] ||
      ! owner_allowed "$owner" || ! allowed "$rel"; then
      manifest_problem="the manifest's entry for $path ($sha $mode $owner) is not one the sync installs: a mode matching $MODE_PATTERN, owner ${MANIFEST_OWNERS.join(' or ')}, a path it manages"
      break
    fi
    WANT_SHA["$rel"]="$sha"
    WANT_MODE["$rel"]="$mode"
    WANT_OWNER["$rel"]="$owner"
  done <"$manifest"
fi
rm -f "$manifest"
if [[ -n "$manifest_problem" ]]; then
  log "REFUSED the manifest; nothing is applied and the last good files stay in place:"
  echo "lgtm-sync:   $manifest_problem" >&2
  record_refusal manifest "$manifest_problem"
  write_report
  log "refused: manifest"
  exit 3
fi
rm -rf "$STATE/rejected/manifest"

group_of() {
  case "$1" in
${groupOfArms()}
    *) echo other ;;
  esac
}

mirrored_dir() {
  case "$1" in
${mirroredDirArms()}
    *) echo "" ;;
  esac
}

declare -A CHANGED=()  # group -> newline-separated relative paths that differ from the live files
declare -A REMOVED=()  # group -> relative paths to delete (mirrored directories only)
declare -A MIRRORS=()  # mirrored directories present in the bucket
declare -A STAGED=()   # group -> every relative path of the group in the bucket (the full candidate)
declare -A INTEGRITY=() # group -> why its bucket files disagree with the manifest (refused before any checker)
declare -A PRESENT=()  # relative paths of the manifest found in the bucket with their listed digest

# Whether the live file has the manifest's mode and owner (a drifted one is installed again).
live_as_listed() {
  [[ "$(stat -c '%a %U:%G' "$ROOT/$1" 2>/dev/null)" == "\${WANT_MODE[$1]#0} \${WANT_OWNER[$1]}" ]]
}

while IFS= read -r -d '' file; do
  rel="\${file#"$NEW"/}"
  if [[ "$rel" == *..* ]] || ! allowed "$rel"; then
    log "warning: ignoring s3 object for /$rel (outside the paths the sync manages)"
    rm -f "$file"
    continue
  fi
  group="$(group_of "$rel")"
  if [[ -z "\${WANT_SHA[$rel]:-}" ]]; then
    INTEGRITY["$group"]+="/$rel: not in the manifest"$'\\n'
    rm -f "$file"
    continue
  fi
  if [[ "$(sha256sum "$file" | cut -d' ' -f1)" != "\${WANT_SHA[$rel]}" ]]; then
    INTEGRITY["$group"]+="/$rel: its SHA-256 is not the one the manifest lists"$'\\n'
    continue
  fi
  PRESENT["$rel"]=1
  dir="$(mirrored_dir "$rel")"
  [[ -n "$dir" ]] && MIRRORS["$dir"]=1
  STAGED["$group"]+="$rel"$'\\n'
  if ! cmp -s "$file" "$ROOT/$rel" || ! live_as_listed "$rel"; then
    CHANGED["$group"]+="$rel"$'\\n'
  fi
done < <(find "$NEW" -type f -print0 | sort -z)
for rel in "\${!WANT_SHA[@]}"; do
  [[ -n "\${PRESENT[$rel]:-}" ]] || INTEGRITY["$(group_of "$rel")"]+="/$rel: listed in the manifest but not in the bucket"$'\\n'
done

for dir in "\${!MIRRORS[@]}"; do
  [[ -d "$ROOT/$dir" ]] || continue
  while IFS= read -r -d '' live; do
    rel="\${live#"$ROOT"/}"
    if [[ ! -e "$NEW/$rel" ]]; then
      group="$(group_of "$rel")"
      REMOVED["$group"]+="$rel"$'\\n'
    fi
  done < <(find "$ROOT/$dir" -maxdepth 1 -type f ! -name '.*' -print0)
done

# ---- validate ---------------------------------------------------------------------------------------------
# Candidate configs name live paths (/etc/prometheus/rules/*.yml); the checker must see the candidate tree.
candidate_copy() {
  local rel="$1" dir="$2"
  local out="$WORK/check-\${rel//\\//_}"
  sed "s#/$dir/#$NEW/$dir/#g" "$NEW/$rel" >"$out"
  echo "$out"
}

# Scalar leaves of a block-style YAML mapping, as the platform renders it, one \`a.b.c=value\` line each (list
# items are skipped): enough to check a few keys without a YAML library on the host.
yaml_leaves() {
  awk '
    /^[[:space:]]*(#|$)/ || /^[[:space:]]*- / { next }
    {
      match($0, /^ */); depth = RLENGTH / 2; line = substr($0, RLENGTH + 1)
      key = line; sub(/:.*/, "", key); value = line; sub(/^[^:]*:[[:space:]]*/, "", value)
      path[depth] = key; full = path[0]
      for (i = 1; i <= depth; i++) full = full "." path[i]
      gsub(/^["\\047]|["\\047]$/, "", value)
      if (value != "") print full "=" value
    }' "$1"
}

${checkerFunctions()}validate() {
  local group="$1" files=() rel
  while IFS= read -r rel; do
    [[ -n "$rel" ]] && files+=("$rel")
  done <<<"\${STAGED[$group]:-}"
  case "$group" in
${validateArms()}
  esac
}

# ---- apply ------------------------------------------------------------------------------------------------
swap_in() {
  local rel="$1" target="$ROOT/$1" owner="\${WANT_OWNER[$1]}"
  mkdir -p "\${target%/*}"
  install -m "\${WANT_MODE[$rel]}" -o "\${owner%%:*}" -g "\${owner#*:}" "$NEW/$rel" "$target.lgtm-new"
  mv -f "$target.lgtm-new" "$target"
  log "updated /$rel"
}

reload_http() {
  local unit="$1" url="$2"
  "$SYSTEMCTL" is-active --quiet "$unit" || return 0
  if curl -fsS -X POST --max-time 30 "$url" >/dev/null; then
    log "reloaded $unit"
  else
    log "warning: reload of $unit via $url failed; restarting it"
    "$SYSTEMCTL" restart "$unit"
  fi
}

reload_signal() {
  local unit="$1"
  "$SYSTEMCTL" is-active --quiet "$unit" || return 0
  if "$SYSTEMCTL" reload "$unit"; then
    log "reloaded $unit (SIGHUP)"
  else
    log "warning: reload of $unit by SIGHUP failed; restarting it"
    "$SYSTEMCTL" restart "$unit"
  fi
}

restart_unit() {
  log "restarting $1 (if running)"
  # On a first boot a script's unit arrives later in this run (or is not loaded yet): nothing runs to restart.
  "$SYSTEMCTL" try-restart "$1" || log "warning: $1 did not restart; see journalctl -u $1"
}

apply_group() {
  local group="$1" rel
  case "$group" in
${applyArms(hostServicesOf(config))}
  esac
}

REFUSED=()
APPLIED=()
# A group refused earlier whose bucket files now match the live ones again (the bad push was reverted): the
# bucket holds no refused configuration of it any more.
for dir in "$STATE"/rejected/*/; do
  [[ -d "$dir" ]] || continue
  dir="\${dir%/}"
  if [[ -z "\${CHANGED[\${dir##*/}]:-}" && -z "\${REMOVED[\${dir##*/}]:-}" && -z "\${INTEGRITY[\${dir##*/}]:-}" ]]; then
    rm -rf "$dir"
    log "the bucket's \${dir##*/} files match the live ones again; the earlier refusal is over"
  fi
done
# Scripts, then units (systemd-analyze verify refuses a unit whose ExecStart= script is not in place yet, as on a
# first boot), then each program's files (a new config may need a new unit).
mapfile -t GROUPS_TO_DO < <(printf '%s\\n' "\${!CHANGED[@]}" "\${!REMOVED[@]}" "\${!INTEGRITY[@]}" | sort -u | awk ${applyOrderAwk()} | sort | cut -d' ' -f2)
# Makes exactly these files the candidate of the group: stage_only <group> <relative path>...
stage_only() {
  local group="$1"
  shift
  STAGED["$group"]="$(printf '%s\\n' "$@")"$'\\n'
}

# On a first boot nothing of a refused group is live, so no last good files can keep running: rather than leave
# the program without a config (a Prometheus without one sees nothing, ConfigSyncRefused included), the group
# starts with what passes its checker once the files of its mirrored directories that fail it are withheld (a
# broken rule file leaves Prometheus running the others). The refusal stays reported until the bucket is fixed.
# Sets CHANGED[group] to the files to install and WITHHELD to those left out; fails when something of the group
# is live, when it has no such optional files, or when the group fails its checker even without them.
first_boot_subset() {
  local group="$1" rel kept=() optional=()
  WITHHELD=()
  while IFS= read -r rel; do
    [[ -n "$rel" ]] || continue
    [[ -e "$ROOT/$rel" ]] && return 1
    if [[ -n "$(mirrored_dir "$rel")" ]]; then optional+=("$rel"); else kept+=("$rel"); fi
  done <<<"\${STAGED[$group]:-}"
  ((\${#optional[@]})) || return 1
  for rel in "\${optional[@]}"; do
    mkdir -p "$WORK/withheld/\${rel%/*}"
    mv "$NEW/$rel" "$WORK/withheld/$rel"
  done
  stage_only "$group" "\${kept[@]}"
  validate "$group" >/dev/null 2>&1 || return 1
  for rel in "\${optional[@]}"; do
    mv "$WORK/withheld/$rel" "$NEW/$rel"
    stage_only "$group" "\${kept[@]}" "$rel"
    if validate "$group" >/dev/null 2>&1; then
      kept+=("$rel")
    else
      mv "$NEW/$rel" "$WORK/withheld/$rel"
      WITHHELD+=("/$rel")
    fi
  done
  stage_only "$group" "\${kept[@]}"
  CHANGED["$group"]="\${STAGED[$group]}"
}

for group in "\${GROUPS_TO_DO[@]}"; do
  [[ -n "$group" ]] || continue
  refused_in_part=""
  why=""
  if [[ -n "\${INTEGRITY[$group]:-}" ]]; then
    output="\${INTEGRITY[$group]%$'\\n'}"
    why="Its files disagree with the manifest"
  elif ! output="$(validate "$group" 2>&1)"; then
    why="Checker output"
  else
    output=""
  fi
  if [[ -n "$why" ]]; then
    REFUSED+=("$group")
    record_refusal "$group" "$output"
    # only files the manifest vouches for may start a first boot: an integrity refusal never does
    if [[ -z "\${INTEGRITY[$group]:-}" ]] && first_boot_subset "$group"; then
      refused_in_part=1
      log "REFUSED the new configuration of $group; none of its files is live yet (a first boot), so it starts with those that pass its checker (withheld: \${WITHHELD[*]}). $why:"
      printf '%s\\n' "$output" | sed 's/^/lgtm-sync:   /' >&2
    else
      log "REFUSED the new configuration of $group; the last good files stay in place. $why:"
      printf '%s\\n' "$output" | sed 's/^/lgtm-sync:   /' >&2
      continue
    fi
  fi
  while IFS= read -r rel; do
    [[ -n "$rel" ]] && swap_in "$rel"
  done <<<"\${CHANGED[$group]:-}"
  while IFS= read -r rel; do
    [[ -n "$rel" ]] || continue
    rm -f "\${ROOT:?}/$rel"
    log "removed /$rel (no longer in the bucket)"
  done <<<"\${REMOVED[$group]:-}"
  [[ -n "$refused_in_part" ]] || rm -rf "$STATE/rejected/$group"
  APPLIED+=("$group")
  apply_group "$group"
done

# ---- report -----------------------------------------------------------------------------------------------
write_report

if ((\${#APPLIED[@]} == 0 && \${#REFUSED[@]} == 0)); then
  log "no changes"
elif ((\${#APPLIED[@]})); then
  log "applied: \${APPLIED[*]}"
fi
if ((\${#REFUSED[@]})); then
  log "refused: \${REFUSED[*]}"
  exit 3
fi
`;
}

/** The sync script and nothing else; its units are in systemd-units.ts. */
export function renderSyncFiles(config: PlatformConfig): HostFile[] {
  return [{ path: PATHS.syncScript, content: renderSyncScript(config), mode: '0755' }];
}
