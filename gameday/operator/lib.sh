# shellcheck shell=bash
# Shared by the game-day operator scripts (sourced, not run). Each script:
#   - refuses the environment "production" unless --force-production is given;
#   - takes a --duration within a hard maximum and stops what it started when the time is up, when
#     interrupted (Ctrl-C, SIGTERM) and when it fails halfway;
#   - additionally arms a stop on the far side (the app's forSeconds, systemd's RuntimeMaxSec, a run
#     cancel), so that even a killed operator script leaves nothing running past the limit.

GAMEDAY_MAX_SECONDS=${GAMEDAY_MAX_SECONDS:-1800}

die() {
  printf '%s: %s\n' "${0##*/}" "$*" >&2
  exit 2
}

log() {
  printf '%s: %s\n' "${0##*/}" "$*"
}

# "90s", "10m", "1h" or plain seconds -> seconds (refuses anything else, 0 and anything above the maximum)
duration_seconds() {
  local text=$1 number unit
  if [[ $text =~ ^([0-9]+)([smh]?)$ ]]; then
    number=${BASH_REMATCH[1]}
    unit=${BASH_REMATCH[2]}
  else
    die "not a duration: '$text' (use e.g. 90s, 10m, 1h)"
  fi
  case $unit in
    m) number=$((number * 60)) ;;
    h) number=$((number * 3600)) ;;
  esac
  ((number > 0)) || die "the duration must be longer than 0"
  ((number <= GAMEDAY_MAX_SECONDS)) || die "duration ${text} exceeds the hard limit of ${GAMEDAY_MAX_SECONDS}s"
  printf '%s\n' "$number"
}

# guard_environment ENV FORCE: production only with --force-production
guard_environment() {
  local environment=$1 force=$2
  [[ -n $environment ]] || die "--environment is required (the environment the target belongs to)"
  if [[ $environment == production && $force != yes ]]; then
    die "refusing to run against production; pass --force-production if you really mean it"
  fi
  if [[ $environment == production ]]; then
    log "WARNING: running against production (--force-production)"
  fi
}

require_command() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is required on PATH"
}

# the value after an option, or die when it is missing
option_value() {
  [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"
  printf '%s\n' "$2"
}

# pause_for SECONDS: sleeps in the background so that a trap runs at once on a signal; stop_pause ends it
pause_pid=''
pause_for() {
  sleep "$1" &
  pause_pid=$!
  wait "$pause_pid"
  pause_pid=''
}

stop_pause() {
  [[ -z $pause_pid ]] || kill "$pause_pid" 2>/dev/null || true
}
