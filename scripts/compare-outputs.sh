#!/usr/bin/env bash
# `bash scripts/compare-outputs.sh [REF]`: proves a refactoring left every output byte-identical. Renders the host
# files, agent files and synthesized stacks of the default, distributed and two-services configs (scripts/
# render-outputs.ts) at REF (default: main) and in this checkout, and diffs the two trees; exits 1 on any
# difference. REF is exported with `git archive` into a temporary folder that borrows this checkout's npm packages (hard links; same filesystem as /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
ref="${1:-main}"
work="$(mktemp -d /tmp/lgtm-compare-outputs.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/base"
git archive "$ref" | tar -x -C "$work/base"
# The packages are hard-linked, not symlinked: the DORA exporter's bundle names its inputs by their real paths, and
# scripts/run-ts.cjs's bundle finds the package root (runbooks, the exporter's sources) upward from itself, so both
# must resolve inside REF's tree. node_modules/.cache, which run-ts.cjs writes, is REF's own.
mkdir -p "$work/base/node_modules/.cache"
for entry in "$PWD"/node_modules/* "$PWD"/node_modules/.bin "$PWD"/node_modules/.package-lock.json; do cp -al "$entry" "$work/base/node_modules/"; done
# The generated Grafana binding, where REF's generator writes it: lib/generated/, or .gen/ before the layout move.
ln -s "$PWD/lib/generated" "$work/base/lib/generated"
ln -s "$PWD/lib/generated" "$work/base/.gen"
# The same renderer on both sides: only the library under it differs.
cp scripts/render-outputs.ts "$work/base/scripts/render-outputs.ts"
(cd "$work/base" && node scripts/run-ts.cjs scripts/render-outputs.ts --out "$work/before" >/dev/null)
node scripts/run-ts.cjs scripts/render-outputs.ts --out "$work/after" >/dev/null
if diff -r "$work/before" "$work/after"; then
  echo "outputs identical to $ref: $(find "$work/after" -type f | wc -l) files"
else
  echo "outputs differ from $ref" >&2
  exit 1
fi
