#!/usr/bin/env bash
# Game day, scenario 1: a throwaway failing deploy. Dispatches a workflow that fails on purpose (see
# workflows/gameday-deploy-failure.yml, or a `gameday` input on your deploy workflow that fails before
# deploying), waits for the run within the time limit and cancels it when the limit passes or on Ctrl-C.
# The DORA exporter counts it when the workflow is the repository's `deployWorkflow` in the platform config.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

usage() {
  cat <<'USAGE'
Usage: failing-workflow.sh --repo OWNER/NAME --environment ENV [--workflow gameday-deploy-failure.yml]
                           [--ref main] [--timeout 15m] [--input KEY=VALUE ...] [--force-production]
  --repo         the repository (gh must be logged in with actions:write on it)
  --environment  environment the deploy targets; "production" is refused without --force-production
  --workflow     the workflow file to dispatch (default gameday-deploy-failure.yml)
  --ref          branch to run on (default main; the DORA exporter counts runs on the deploy branch only)
  --timeout      time limit for the run; it is cancelled after that (default 15m; hard limit 1800s)
  --input        extra workflow_dispatch input, repeatable
USAGE
}

repo='' environment='' workflow=gameday-deploy-failure.yml ref=main timeout=15m force=no
inputs=()
while (($#)); do
  case $1 in
    --repo) repo=$(option_value "$@"); shift 2 ;;
    --environment) environment=$(option_value "$@"); shift 2 ;;
    --workflow) workflow=$(option_value "$@"); shift 2 ;;
    --ref) ref=$(option_value "$@"); shift 2 ;;
    --timeout) timeout=$(option_value "$@"); shift 2 ;;
    --input) inputs+=(-f "$(option_value "$@")"); shift 2 ;;
    --force-production) force=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ $repo =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || die "--repo must be OWNER/NAME"
guard_environment "$environment" "$force"
seconds=$(duration_seconds "$timeout")
require_command gh
require_command timeout

run_id='' watcher=''
cancel_run() {
  [[ -z $watcher ]] || kill "$watcher" 2>/dev/null || true
  [[ -n $run_id ]] || return 0
  if gh run cancel "$run_id" --repo "$repo" >/dev/null 2>&1; then log "run ${run_id} cancelled"; else log "run ${run_id} could not be cancelled (already finished?)"; fi
}
trap 'stop_pause; cancel_run; exit 130' INT TERM

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
gh workflow run "$workflow" --repo "$repo" --ref "$ref" -f environment="$environment" -f gameday=true "${inputs[@]}" \
  || die "gh workflow run failed"
log "dispatched ${workflow} on ${repo}@${ref} (${environment}); looking for its run"
for _ in $(seq 30); do
  run_id=$(gh run list --repo "$repo" --workflow "$workflow" --branch "$ref" --event workflow_dispatch --limit 1 \
    --json databaseId,createdAt --jq ".[] | select(.createdAt >= \"${started}\") | .databaseId")
  [[ -z $run_id ]] || break
  pause_for 2
done
[[ -n $run_id ]] || die "the dispatched run did not show up within 60s"
log "run ${run_id}: watching for at most ${seconds}s"
status=0
# in the background, so that Ctrl-C/SIGTERM cancel the run at once
timeout "$seconds" gh run watch "$run_id" --repo "$repo" --exit-status >/dev/null &
watcher=$!
wait "$watcher" || status=$?
watcher=''
case $status in
  0) log "run ${run_id} SUCCEEDED: the workflow did not fail, so this was no deploy failure"; exit 1 ;;
  124) log "run ${run_id} still running after ${seconds}s"; cancel_run; exit 124 ;;
  *) log "run ${run_id} failed as intended: the change failure rate now counts it (next DORA exporter poll)" ;;
esac
