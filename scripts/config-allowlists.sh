#!/usr/bin/env bash
# Rewrites the Loki and Tempo key and flag allowlists (__tests__/scale/allowlists/<program>.json) from each program's
# source at the tag lib/host/artifacts.ts pins: the Go files at that tag are copied out of a read-only clone and
# scripts/config-keys-from-source reads the `yaml` tags of the root config struct and everything it nests.
# Nothing of Loki or Tempo is compiled, run or committed; only key names and nesting (facts) land in the JSON.
# Usage: scripts/config-allowlists.sh <loki git dir> <tempo git dir>   (e.g. a `fetch` of grafana/loki)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 <loki git dir> <tempo git dir>" >&2; exit 2; }

work="$(mktemp -d /tmp/config-allowlists.XXXXXX)"
trap 'rm -rf "$work"' EXIT
(cd scripts/config-keys-from-source && go build -o "$work/config-keys-from-source" .)

declare -A pins
while read -r name version; do pins[$name]=$version; done < <(node scripts/run-ts.cjs scripts/oracles.ts source-checked)

# A source tree at a tag: only the .go files and go.mod (a snapshot may lack large generated blobs; git archive
# would stop at the first missing one, and no config struct lives in those).
export_go_files() {
  local git_dir=$1 tag=$2 out=$3
  git -C "$git_dir" ls-tree -r "$tag" | awk -F'\t' '$1 ~ / blob / && ($2 ~ /\.go$/ && $2 !~ /_test\.go$/ || $2 == "go.mod") {split($1, m, " "); print m[3] "\t" $2}' >"$work/blobs"
  python3 - "$git_dir" "$out" "$work/blobs" <<'PY'
import os, subprocess, sys, threading
git_dir, out, listing = sys.argv[1:4]
blobs = [line.rstrip('\n').split('\t', 1) for line in open(listing)]
cat = subprocess.Popen(['git', '-C', git_dir, 'cat-file', '--batch'], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def feed():
    cat.stdin.write(''.join(sha + '\n' for sha, _ in blobs).encode()); cat.stdin.close()
threading.Thread(target=feed).start()
for sha, path in blobs:
    header = cat.stdout.readline().split()
    if header[1] == b'missing':
        continue
    data = cat.stdout.read(int(header[2])); cat.stdout.read(1)
    os.makedirs(os.path.dirname(os.path.join(out, path)), exist_ok=True)
    open(os.path.join(out, path), 'wb').write(data)
PY
}

# <program> <git dir> <root package> <root type> <comma-separated dirs registering the command-line flags>
write_allowlist() {
  local program=$1 git_dir=$2 package=$3 type=$4 flag_dirs=$5
  local tag="v${pins[$program]}"
  local commit dir dirs=()
  commit="$(git -C "$git_dir" rev-parse "$tag^{commit}")"
  export_go_files "$git_dir" "$tag" "$work/$program"
  "$work/config-keys-from-source" "$work/$program" "$package" "$type" >"$work/$program.keys.json"
  IFS=, read -ra dirs <<<"$flag_dirs"
  for dir in "${!dirs[@]}"; do dirs[$dir]="$work/$program/${dirs[$dir]}"; done
  "$work/config-keys-from-source" -flags "${dirs[@]}" >"$work/$program.flags.json"
  node -e '
    const [program, tag, commit, root, keysFile, flagDirs, flagsFile, out] = process.argv.slice(1);
    const fs = require("fs");
    const { sourceDirs, keys } = JSON.parse(fs.readFileSync(keysFile, "utf8"));
    const flags = JSON.parse(fs.readFileSync(flagsFile, "utf8"));
    const doc = { program, tag, commit, root, derivedBy: "scripts/config-allowlists.sh (yaml struct tags and flag registrations, go/parser)", sourceDirs, flagSourceDirs: flagDirs.split(","), flags, keys };
    fs.writeFileSync(out, JSON.stringify(doc, null, 1) + "\n");
  ' "$program" "$tag" "$commit" "$package.$type" "$work/$program.keys.json" "$flag_dirs" "$work/$program.flags.json" "__tests__/scale/allowlists/$program.json"
  echo "$program $tag $commit __tests__/scale/allowlists/$program.json"
}

mkdir -p __tests__/scale/allowlists
# The flags the host passes at the top level (-config.file, the checkers' -verify-config / -config.verify) are
# registered by the main package and the config wrapper; the many per-module flags dskit registers are not listed.
write_allowlist loki "$1" github.com/grafana/loki/v3/pkg/loki Config cmd/loki,pkg/loki,pkg/util/cfg
write_allowlist tempo "$2" github.com/grafana/tempo/cmd/tempo/app Config cmd/tempo,cmd/tempo/app
