#!/usr/bin/env bash
# Game day, scenario 3: CPU pressure on a host through SSM Run Command. The load runs in a transient systemd
# unit whose RuntimeMaxSec stops it (and every process in it) when the time is up, whatever happens to this
# script; each busy loop also runs under timeout(1). Ctrl-C/SIGTERM here stops it at once, --stop stops a
# running one.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

usage() {
  cat <<'USAGE'
Usage: cpu-pressure.sh --instance-id ID --environment ENV [--duration 10m] [--workers N] [--region REGION]
                       [--no-wait] [--stop] [--force-production]
  --instance-id  the EC2 instance (the monitoring host: terraform output, or the Name tag <name>-monitoring)
  --environment  environment the host serves; "production" is refused without --force-production
  --duration     how long the pressure lasts: 90s, 10m (default 10m; hard limit GAMEDAY_MAX_SECONDS=1800)
  --workers      busy loops to run (default: one per CPU of the host)
  --no-wait      return once the command is sent (the host still stops the load by itself)
  --stop         stop a running pressure now
USAGE
}

instance='' environment='' duration=10m workers='' region='' wait=yes stop=no force=no
while (($#)); do
  case $1 in
    --instance-id) instance=$(option_value "$@"); shift 2 ;;
    --environment) environment=$(option_value "$@"); shift 2 ;;
    --duration) duration=$(option_value "$@"); shift 2 ;;
    --workers) workers=$(option_value "$@"); shift 2 ;;
    --region) region=$(option_value "$@"); shift 2 ;;
    --no-wait) wait=no; shift ;;
    --stop) stop=yes; shift ;;
    --force-production) force=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ $instance =~ ^i-[0-9a-f]+$ ]] || die "--instance-id must look like i-0123456789abcdef0"
guard_environment "$environment" "$force"
seconds=$(duration_seconds "$duration")
[[ -z $workers || $workers =~ ^[1-9][0-9]*$ ]] || die "--workers must be a positive whole number"
require_command aws
unit=gameday-cpu-pressure
region_args=()
[[ -z $region ]] || region_args=(--region "$region")

# send_command COMMENT COMMAND: runs COMMAND as root on the instance (AWS-RunShellScript), prints the command id
send_command() {
  aws ssm send-command "${region_args[@]}" \
    --instance-ids "$instance" \
    --document-name AWS-RunShellScript \
    --comment "$1" \
    --parameters "{\"commands\":[\"$2\"]}" \
    --query Command.CommandId --output text
}

stop_pressure() {
  if id=$(send_command 'gameday: stop CPU pressure' "systemctl stop ${unit}.service || true"); then
    log "stop sent (command ${id})"
  else
    log "could not send the stop: the host stops the load by itself after ${seconds}s" >&2
  fi
}

if [[ $stop == yes ]]; then
  stop_pressure
  exit 0
fi

# shellcheck disable=SC2016 # $(nproc) is for the host's shell to expand
count=${workers:-'$(nproc)'}
# one busy writer per worker, each under timeout(1), all in a transient unit that systemd stops after
# RuntimeMaxSec; no double quotes or backslashes in here: it travels inside a JSON string
load="n=${count}; i=0; while [ \$i -lt \$n ]; do timeout ${seconds} yes >/dev/null & i=\$((i+1)); done; wait"
remote="systemd-run --unit=${unit} --collect --property=RuntimeMaxSec=${seconds} /bin/sh -c '${load}'"
id=$(send_command "gameday: CPU pressure for ${seconds}s" "$remote") || die "aws ssm send-command failed"
log "CPU pressure started on ${instance} (${environment}) for ${seconds}s, command ${id}; the host stops it by itself"
if [[ $wait == no ]]; then
  log "not waiting; stop early with: $0 --instance-id ${instance} --environment ${environment} --stop"
  exit 0
fi
trap 'stop_pause; stop_pressure; exit 130' INT TERM
pause_for "$seconds"
log "time is up (the host's unit has stopped by itself)"
