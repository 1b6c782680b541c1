import type { PlatformModel } from '../model/compile';
import { ARTIFACT_FUNCTIONS, ENABLE_AND_START_FUNCTION, ENSURE_DIR_FUNCTION, stageArtifactCall } from './artifact-shell';
import { configManifestParameterName, sealedFetchFunction } from './config-manifest';
import { BOOTSTRAP_ENV, DATA_MOUNT, GRAFANA_PROVISIONING_DIRS, OPT_ROOT, PATHS } from '../shared/host-paths';
import { SYSTEM_COMMANDS, awsEndpointArgument, scriptLogging, sourceBootstrapEnv, systemCommandPreamble } from './script-preamble';
import { q } from '../shared/shell-quote';
import { serviceSpecs } from './systemd-units';
import { loki } from './services';

/**
 * The install script (`/usr/local/sbin/lgtm-install`): prepares the data volume, users and directories,
 * downloads and verifies every pinned program, pulls the configuration through the config sync, then enables
 * and starts every unit. Idempotent: a second run downloads nothing and changes nothing. The programs and
 * their pins are the model's (compilePlatform with its own table to try an upgrade).
 */
export function renderInstallScript(model: PlatformModel): string {
  const { config } = model;
  const { table, hostArchitecture: arch, host: artifacts } = model.artifacts;
  const services = serviceSpecs(config, table);
  const stage = artifacts.map(stageArtifactCall).join('\n');
  const activate = artifacts
    .map((a) => {
      const units = services.filter((s) => s.artifact === a.name).map((s) => `${s.unit}.service`);
      return `activate_artifact ${q(a.name)} ${q(a.version)} ${units.map(q).join(' ')}`.trimEnd();
    })
    .join('\n');
  const users = services.map((s) => `ensure_user ${q(s.user)} ${s.uid}`).join('\n');
  const dirs = services
    .filter((s) => s.dataDir)
    .map((s) => `ensure_dir ${q(s.dataDir!)} ${q(s.user)} 0750`)
    .join('\n');
  const units = ['lgtm-secrets.service', ...services.map((s) => `${s.unit}.service`), 'lgtm-sync.timer'];
  return `#!/bin/bash
# lgtm-install: brings the monitoring host to its pinned state. Rendered by the LGTM platform from
# config/platform.yaml; do not edit on the host. Safe to run again at any time (and at every boot): it only
# changes what differs. The bootstrap (user-data) writes ${BOOTSTRAP_ENV} and runs this script.
#
# Test hooks (never set in production): LGTM_ROOT=<dir> installs under <dir> and then requires every
# command that touches the machine to be overridden (${Object.keys(SYSTEM_COMMANDS)
    .map((n) => `LGTM_${n}`)
    .join(', ')});
# LGTM_DOWNLOAD_BASE=<url> fetches <url>/<artifact>/<version>/<file> instead of the publisher's URL.
set -euo pipefail
umask 022

${systemCommandPreamble(
  'lgtm-install',
  (Object.keys(SYSTEM_COMMANDS) as (keyof typeof SYSTEM_COMMANDS)[]).filter((name) => name !== 'SYSTEMD_RUN'),
)}

ARCH=${q(arch)}
OPT="$ROOT${OPT_ROOT}"
DATA="$ROOT${DATA_MOUNT}"
UNITS=(${units.map(q).join(' ')})
RESTART=()
CLEANUP=()
trap 'rm -rf "\${CLEANUP[@]}"' EXIT

${scriptLogging('lgtm-install')}

${sourceBootstrapEnv()}

check_arch() {
  local machine
  machine="$(uname -m)"
  [[ "$machine" == aarch64 ]] && machine=arm64
  [[ "$machine" == "$ARCH" ]] || die "this host is $machine but the platform config (host.instanceType ${config.host.instanceType}) implies $ARCH"
}

ensure_tools() {
  local missing=() tool
  for tool in curl tar unzip xz sha256sum flock openssl; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((\${#missing[@]})); then
    log "installing missing tools: \${missing[*]}"
    "$DNF" -y install "\${missing[@]}" || die "cannot install \${missing[*]}"
  fi
}

# ---- data volume: formatted only when it holds no filesystem, mounted by UUID -----------------------------
find_data_device() {
  if [[ -n "\${LGTM_DATA_DEVICE:-}" ]]; then
    echo "$LGTM_DATA_DEVICE"
    return
  fi
  [[ -n "\${DATA_VOLUME_ID:-}" ]] || die "DATA_VOLUME_ID is not set (expected in ${BOOTSTRAP_ENV})"
  local link="$ROOT/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_\${DATA_VOLUME_ID//-/}"
  local waited=0 limit="\${LGTM_DEVICE_WAIT_SECONDS:-300}"
  while [[ ! -e "$link" ]]; do
    ((waited < limit)) || die "data volume $DATA_VOLUME_ID did not appear at $link within $limit s"
    sleep 1
    waited=$((waited + 1))
  done
  readlink -f "$link"
}

filesystem_type() {
  local out rc=0
  out="$("$BLKID" -p -o value -s TYPE "$1")" || rc=$?
  case "$rc" in
    0) echo "$out" ;;
    2) echo "" ;; # blkid: nothing found on the device
    *) die "cannot probe $1 (blkid exit $rc); not touching it" ;;
  esac
}

setup_data_volume() {
  mkdir -p "$DATA"
  local device fstype uuid
  device="$(find_data_device)"
  fstype="$(filesystem_type "$device")"
  if [[ -z "$fstype" ]]; then
    if "$MOUNTPOINT" -q "$DATA"; then
      die "$DATA is mounted but $device shows no filesystem; refusing to format"
    fi
    log "formatting $device (it holds no filesystem)"
    "$MKFS" -L lgtm-data "$device"
    fstype="$(filesystem_type "$device")"
    [[ -n "$fstype" ]] || die "$device still shows no filesystem after formatting"
  fi
  uuid="$("$BLKID" -p -o value -s UUID "$device")"
  [[ -n "$uuid" ]] || die "$device has no filesystem UUID"
  [[ -e "$ROOT/etc/fstab" ]] || : >"$ROOT/etc/fstab"
  if ! grep -Eq "^UUID=\${uuid}[[:space:]]+${DATA_MOUNT}[[:space:]]" "$ROOT/etc/fstab"; then
    if grep -Eq "^[^#[:space:]]+[[:space:]]+${DATA_MOUNT}[[:space:]]" "$ROOT/etc/fstab"; then
      die "/etc/fstab already mounts something else at ${DATA_MOUNT}; fix it by hand"
    fi
    log "adding the data volume (UUID=$uuid) to /etc/fstab"
    printf 'UUID=%s %s %s defaults,noatime,nofail,x-systemd.device-timeout=120s 0 2\\n' "$uuid" "${DATA_MOUNT}" "$fstype" >>"$ROOT/etc/fstab"
  fi
  if ! "$MOUNTPOINT" -q "$DATA"; then
    log "mounting the data volume at ${DATA_MOUNT}"
    "$MOUNT" "$DATA"
  fi
}

# ---- users and directories -----------------------------------------------------------------------------
ensure_user() {
  local name="$1" uid="$2" existing
  if existing="$("$GETENT" passwd "$name")"; then
    [[ "$(cut -d: -f3 <<<"$existing")" == "$uid" ]] || log "warning: user $name exists with another uid than $uid"
    return 0
  fi
  if existing="$("$GETENT" passwd "$uid")"; then
    die "uid $uid (for $name) is taken by $(cut -d: -f1 <<<"$existing")"
  fi
  log "creating system user $name ($uid)"
  "$USERADD" --system --uid "$uid" --user-group --no-create-home --home-dir /nonexistent --shell /sbin/nologin "$name"
}

${ENSURE_DIR_FUNCTION}

${ARTIFACT_FUNCTIONS}

# ---- configuration, secrets and units ---------------------------------------------------------------------
${sealedFetchFunction({
  aws: '"$AWS"',
  s3Arguments: awsEndpointArgument('s3'),
  ssmArguments: `${awsEndpointArgument('ssm')} \${AWS_REGION:+--region "$AWS_REGION"}`,
  objectsUrl: 's3://$LGTM_BUCKET/${LGTM_PREFIX:+$LGTM_PREFIX/}',
  parameter: q(configManifestParameterName(config.name)),
})}

run_sync() {
  [[ "\${LGTM_INSTALL_NO_SYNC:-}" == 1 ]] && return 0
  local sync="$ROOT${PATHS.syncScript}" rc=0
  if [[ ! -x "$sync" ]]; then
    : "\${LGTM_BUCKET:?LGTM_BUCKET is not set (expected in ${BOOTSTRAP_ENV})}"
    log "fetching the config sync script from s3://$LGTM_BUCKET, checked against the config manifest"
    mkdir -p "\${sync%/*}"
    fetch_sealed ${q(PATHS.syncScript)} "$sync.new" || die "the config sync script in the bucket is not the one the stack published; nothing was synced"
    chmod 0755 "$sync.new"
    mv -f "$sync.new" "$sync"
  fi
  LGTM_SYNC_FROM_INSTALL=1 "$sync" || rc=$?
  case "$rc" in
    0) ;;
    3) log "warning: the config sync refused some files (see above); their services keep their last good config" ;;
    *) die "the config sync failed (exit $rc)" ;;
  esac
}

${ENABLE_AND_START_FUNCTION}

main() {
  check_arch
  ensure_tools
  mkdir -p "$ROOT/etc"
  setup_data_volume
${users.replace(/^/gm, '  ')}
${dirs.replace(/^/gm, '  ')}
  # Directories the programs read but must not create themselves (Loki's rule store; Grafana's provisioning).
  ensure_dir ${q(PATHS.lokiRulesDir)} ${q(loki.user)} 0750
${[PATHS.grafanaProvisioningDir, ...GRAFANA_PROVISIONING_DIRS].map((dir) => `  ensure_dir ${q(dir)} root 0755`).join('\n')}
  ensure_dir ${q(PATHS.textfileDir.replace(/\/textfile$/, ''))} root 0755
  ensure_dir ${q(PATHS.textfileDir)} root 0755
  mkdir -p "$OPT"
  # Download and verify everything first; only then switch any program over.
${stage.replace(/^/gm, '  ')}
${activate.replace(/^/gm, '  ')}
  run_sync
  enable_and_start
  log "done"
}

main "$@"
`;
}
