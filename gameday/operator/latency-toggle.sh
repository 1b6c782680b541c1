#!/usr/bin/env bash
# Game day, scenario 2: latency injection on a staging app, switched on through the app's control endpoint
# and switched off again when the time is up, on Ctrl-C/SIGTERM, and by the app itself (forSeconds) should
# this script die. The control contract (see gameday/test-service.ts):
#   POST <url>/control?latencyMs=N&errorRate=R&forSeconds=S   set faults, cleared by the app after S seconds
#   POST <url>/control?reset                                  clear them
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

usage() {
  cat <<'USAGE'
Usage: latency-toggle.sh --url URL --environment ENV [--latency-ms 2000] [--error-rate 0] [--duration 10m]
                         [--force-production]
  --url          base URL of the app (its /control endpoint is used)
  --environment  environment of the app; "production" is refused without --force-production
  --latency-ms   delay added to every request (default 2000)
  --error-rate   share of requests answered 503, 0..1 (default 0)
  --duration     how long the fault lasts: 90s, 10m, 1h (default 10m; hard limit GAMEDAY_MAX_SECONDS=1800)
USAGE
}

url='' environment='' latency_ms=2000 error_rate=0 duration=10m force=no
while (($#)); do
  case $1 in
    --url) url=$(option_value "$@"); shift 2 ;;
    --environment) environment=$(option_value "$@"); shift 2 ;;
    --latency-ms) latency_ms=$(option_value "$@"); shift 2 ;;
    --error-rate) error_rate=$(option_value "$@"); shift 2 ;;
    --duration) duration=$(option_value "$@"); shift 2 ;;
    --force-production) force=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ -n $url ]] || die "--url is required"
guard_environment "$environment" "$force"
seconds=$(duration_seconds "$duration")
[[ $latency_ms =~ ^[0-9]+$ ]] || die "--latency-ms must be a whole number of milliseconds"
[[ $error_rate =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "--error-rate must be between 0 and 1"
require_command curl
control="${url%/}/control"

reset() {
  if curl -fsS --max-time 10 -X POST "${control}?reset" >/dev/null; then
    log "faults cleared on ${url}"
  else
    log "could not clear the faults on ${url}: the app clears them by itself ${seconds}s after the start" >&2
  fi
}

curl -fsS --max-time 10 -X POST "${control}?latencyMs=${latency_ms}&errorRate=${error_rate}&forSeconds=${seconds}" >/dev/null \
  || die "the app at ${url} did not accept the fault (is ${control} there?)"
trap 'stop_pause; reset' EXIT
trap 'exit 130' INT TERM
log "injected ${latency_ms} ms latency and ${error_rate} errors into ${url} (${environment}) for ${seconds}s"
pause_for "$seconds"
log "time is up"
