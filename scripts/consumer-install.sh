#!/usr/bin/env bash
# Packs the library and installs the tarball, with scripts disabled, into the cdktf-init-style consumer app
# (__tests__/consumer/app), as a user's `npm install lgtm-platform` would. Shared by the consumer contract
# (scripts/consumer-contract.sh) and the installed-package synth bench (bench/installed-synth.ts), so that both
# judge the same installed package. Prints the app's folder as the only line on stdout; everything else goes
# to stderr.
#
#   bash scripts/consumer-install.sh            # builds and packs first
#   bash scripts/consumer-install.sh --no-build # packs what dist/ holds
#
# The app's node_modules is kept in a cache outside the checkout (CONSUMER_CACHE), so a warm run only
# reinstalls the tarball.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CONSUMER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lgtm-platform/consumer}"
app="$cache/app"
cd "$root"

{
  [ "${1:-}" = "--no-build" ] || npm run build --silent
  mkdir -p "$cache"
  pack_dir="$(mktemp -d "${TMPDIR:-/tmp}/lgtm-pack-XXXXXX")"
  trap 'rm -rf "$pack_dir"' EXIT
  # prepack would build again; the build above (or the caller's) is the one being installed.
  tarball="$(npm pack --ignore-scripts --silent --pack-destination "$pack_dir" | tail -n 1)"
  cp "$pack_dir/$tarball" "$cache/lgtm-platform.tgz"

  # The app's own files are refreshed from the fixture each run; node_modules and the lockfile stay warm.
  mkdir -p "$app"
  find "$app" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name package-lock.json -exec rm -rf {} +
  cp -R "$root/__tests__/consumer/app/." "$app/"
  cd "$app"
  # The tarball's bytes change with every build. The lockfile records the integrity of the copy installed before,
  # and npm would install that copy again from its own cache: the package's entry goes, so npm reads the new file.
  rm -rf node_modules/lgtm-platform
  if [ -f package-lock.json ]; then
    node -e 'const fs = require("fs"); const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")); delete lock.packages["node_modules/lgtm-platform"]; fs.writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");'
  fi
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error
  # What is installed is the tarball just packed, file for file (beside the dependencies npm nests under it).
  unpacked="$(mktemp -d "${TMPDIR:-/tmp}/lgtm-unpacked-XXXXXX")"
  tar -xzf "$cache/lgtm-platform.tgz" -C "$unpacked"
  if ! diff -r --exclude=node_modules "$unpacked/package" node_modules/lgtm-platform >/dev/null; then
    echo "consumer app: node_modules/lgtm-platform is not the tarball just packed ($cache/lgtm-platform.tgz)" >&2
    rm -rf "$unpacked"
    exit 1
  fi
  rm -rf "$unpacked"
} >&2
echo "$app"
