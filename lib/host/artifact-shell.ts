import type { ResolvedArtifact } from './artifacts';
import { q } from '../shared/shell-quote';
import { awsEndpointArgument } from './script-preamble';

/*
 * bash functions shared by the scripts that install pinned programs: the monitoring host's lgtm-install and the
 * app servers' lgtm-agent-install. Each rendered script stays self-contained; only the source is shared here.
 * They expect the caller to define `log`, `die`, `$ROOT`, `$OPT` (install root), `$ARCH`, `$AWS`, `$CHOWN`,
 * `$SYSTEMCTL` and the arrays `CLEANUP` (temporary paths), `UNITS` (to enable and start) and `RESTART`.
 */

/** `ensure_dir <dir> <owner> <mode>`: creates a directory under `$ROOT`, owned and mode as given. */
export const ENSURE_DIR_FUNCTION = `ensure_dir() {
  local dir="$ROOT$1" owner="$2" mode="$3"
  if [[ ! -d "$dir" ]]; then
    log "creating $1"
    mkdir -p "$dir"
  fi
  # Ownership is fixed by uid, so a volume from a replaced instance keeps working; only re-own when needed.
  if [[ "$(stat -c %U "$dir")" != "$owner" ]]; then
    "$CHOWN" -R "$owner:$owner" "$dir"
  fi
  [[ "$(stat -c %a "$dir")" == "\${mode#0}" ]] || chmod "$mode" "$dir"
}`;

/**
 * `stage_artifact ...` downloads an archive and verifies its SHA-256 (a user pin, or the publisher's checksum
 * file) before unpacking it to `$OPT/<name>/<version>`; `activate_artifact <name> <version> <units...>` points
 * `current` at it and queues the units for a restart. `fetch`, `source_of`, `expected_sha256`, `unpack` help.
 */
export const ARTIFACT_FUNCTIONS = `# ---- artifacts: verified by SHA-256 before anything is unpacked ------------------------------------------
fetch() {
  case "$1" in
    s3://*) "$AWS" s3 cp ${awsEndpointArgument('s3')} --only-show-errors "$1" "$2" ;;
    *) curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 -o "$2" "$1" ;;
  esac
}

# The URL of a file: the publisher's (or the configured mirror's), or LGTM_DOWNLOAD_BASE/<path> when set.
source_of() {
  if [[ -n "\${LGTM_DOWNLOAD_BASE:-}" ]]; then
    echo "\${LGTM_DOWNLOAD_BASE%/}/$2"
  else
    echo "$1"
  fi
}

expected_sha256() {
  local list="$1" file="$2" format="$3"
  case "$format" in
    sha256sums) awk -v f="$file" '{ n = $2; sub(/^\\*/, "", n); if (n == f) { print tolower($1); exit } }' "$list" ;;
    sha256-file) awk 'NR == 1 { print tolower($1) }' "$list" ;;
    *) die "unknown checksum format $format" ;;
  esac
}

unpack() {
  local archive="$1" kind="$2" into="$3"
  mkdir -p "$into"
  case "$kind" in
    tar.gz) tar -xzf "$archive" -C "$into" --no-same-owner ;;
    tar.xz) tar -xJf "$archive" -C "$into" --no-same-owner ;;
    zip) unzip -q "$archive" -d "$into" ;;
    *) die "unknown archive type $kind" ;;
  esac
}

stage_artifact() {
  local name="$1" version="$2" file="$3" url="$4" sum_url="$5" format="$6" pin="$7" kind="$8" path="$9" executables="\${10}"
  local dest="$OPT/$name/$version"
  [[ -f "$dest/.lgtm-verified" ]] && return 0
  mkdir -p "$OPT/$name"
  local work expected actual how content exe
  work="$(mktemp -d "$OPT/$name/.download.XXXXXX")"
  CLEANUP+=("$work")
  log "downloading $name $version ($file)"
  fetch "$(source_of "$url" "$path")" "$work/$file" || die "cannot download $file for $name $version"
  if [[ -n "$pin" ]]; then
    expected="$pin"
    how="the pin host.artifactChecksums.$name-$ARCH"
  else
    local sum_path
    sum_path="\${path%/*}/\${sum_url##*/}"
    fetch "$(source_of "$sum_url" "$sum_path")" "$work/checksums" || die "cannot download the checksum file $sum_url for $name $version"
    expected="$(expected_sha256 "$work/checksums" "$file" "$format")"
    how="the publisher's checksum file $sum_url"
  fi
  [[ "$expected" =~ ^[0-9a-f]{64}$ ]] || die "no SHA-256 for $file in $how; refusing to install $name $version"
  actual="$(sha256sum "$work/$file" | cut -d' ' -f1)"
  if [[ "$actual" != "$expected" ]]; then
    die "checksum mismatch for $file ($name $version): expected $expected from $how, downloaded file has $actual. Nothing was unpacked; the running install is unchanged."
  fi
  unpack "$work/$file" "$kind" "$work/unpacked"
  content="$work/unpacked"
  local entries=("$content"/*)
  if ((\${#entries[@]} == 1)) && [[ -d "\${entries[0]}" ]]; then content="\${entries[0]}"; fi
  IFS=, read -r -a exes <<<"$executables"
  for exe in "\${exes[@]}"; do
    [[ -f "$content/$exe" ]] || die "$file does not contain $exe; refusing to install $name $version"
    chmod 0755 "$content/$exe"
  done
  printf '%s  %s\\n' "$actual" "$file" >"$content/.lgtm-verified"
  mv -T "$content" "$dest"
  log "verified and unpacked $name $version"
}

activate_artifact() {
  local name="$1" version="$2"
  shift 2
  local link="$OPT/$name/current"
  if [[ "$(readlink "$link" 2>/dev/null || true)" != "$version" ]]; then
    ln -sfn "$version" "$OPT/$name/.current.new"
    mv -Tf "$OPT/$name/.current.new" "$link"
    log "$name now runs $version"
    RESTART+=("$@")
  fi
}`;

/** `enable_and_start`: enables and starts every unit in `UNITS`, then restarts those in `RESTART`. */
export const ENABLE_AND_START_FUNCTION = `enable_and_start() {
  local unit
  for unit in "\${UNITS[@]}"; do
    if ! "$SYSTEMCTL" is-enabled --quiet "$unit"; then
      log "enabling $unit"
      "$SYSTEMCTL" enable "$unit"
    fi
  done
  for unit in "\${UNITS[@]}"; do
    if ! "$SYSTEMCTL" is-active --quiet "$unit"; then
      log "starting $unit"
      "$SYSTEMCTL" start "$unit" || log "warning: $unit did not start; see journalctl -u $unit"
    fi
  done
  for unit in "\${RESTART[@]}"; do
    log "restarting $unit on its new version"
    "$SYSTEMCTL" try-restart "$unit"
  done
}`;

/** The `stage_artifact` call that downloads and verifies one resolved artifact. */
export function stageArtifactCall(a: ResolvedArtifact): string {
  return [
    'stage_artifact',
    a.name,
    a.version,
    a.file,
    a.url,
    a.checksumUrl ?? '',
    a.checksumFormat,
    a.pinnedSha256 ?? '',
    a.archive,
    a.mirrorPath,
    Object.values(a.executables).join(','),
  ]
    .map((v, i) => (i === 0 ? v : q(v)))
    .join(' ');
}
