#!/usr/bin/env bash
# `npm run bench`: wall time and peak memory of synthesizing the default platform, the project's way (deep
# provider imports, app run without type-checking) against the stock `cdktf init` way (namespace import of
# @cdktf/provider-aws, app run by a type-checking ts-node). Prints the median of RUNS runs of each.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "bench needs GNU time: apt-get install time" >&2; exit 2; }
runs=${RUNS:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() { # label, command...
  local label=$1; shift
  local walls=() rss=()
  for _ in $(seq 1 "$runs"); do
    CDKTF_OUTDIR="$out/cdktf.out" /usr/bin/time -f '%e %M' -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || { cat "$out/stderr" >&2; exit 1; }
    read -r wall kb < "$out/time"
    walls+=("$wall"); rss+=("$kb")
  done
  local wall_median rss_median
  wall_median=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  rss_median=$(printf '%s\n' "${rss[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-58s %8.2f s %8.0f MB\n' "$label" "$wall_median" "$((rss_median / 1024))"
  last_wall=$wall_median
  last_rss=$rss_median
}

echo "median of $runs runs; peak RSS is the largest single process"
measure "app: node scripts/run-ts.cjs main.ts (deep imports, cached bundle)" node scripts/run-ts.cjs main.ts
measure "app: ts-node main (namespace import, type-checked)" npx ts-node --project bench/tsconfig.init-style.json bench/init-style/main.ts
measure "cdktf synth (this project)" npx cdktf synth --output "$out/cdktf.out"
ours_wall=$last_wall ours_rss=$last_rss
measure "cdktf synth --app <init-style ts-node app>" npx cdktf synth --output "$out/cdktf.out" --app "npx ts-node --project bench/tsconfig.init-style.json bench/init-style/main.ts"
awk -v a="$ours_wall" -v b="$last_wall" -v c="$ours_rss" -v d="$last_rss" \
  'BEGIN { printf "cdktf synth, stock pattern / this project: %.1fx the time, %.1fx the memory\n", b / a, d / c }'
