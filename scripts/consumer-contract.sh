#!/usr/bin/env bash
# The consumer contract: the packed tarball, installed with scripts disabled into an app laid out as
# `cdktf init --template=typescript` lays it out (__tests__/consumer/app, constructs at the lowest version the
# peer range allows), must pass the app's tsc, `cdktf synth` (ts-node app), its jest suite (ts-jest preset,
# cdktf matchers, a snapshot) and a plain-node require, with one copy of constructs.
#
#   bash scripts/consumer-contract.sh            # builds and packs first
#   bash scripts/consumer-contract.sh --no-build # packs what dist/ holds
#
# The app's node_modules is kept in a cache outside the checkout (CONSUMER_CACHE), so a warm run only
# reinstalls the tarball.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CONSUMER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lgtm-platform/consumer}"
app="$cache/app"
cd "$root"

[ "${1:-}" = "--no-build" ] || npm run build --silent
mkdir -p "$cache"
pack_dir="$(mktemp -d "${TMPDIR:-/tmp}/lgtm-pack-XXXXXX")"
trap 'rm -rf "$pack_dir"' EXIT
# prepack would build again; the build above (or the caller's) is the one being tested.
tarball="$(npm pack --ignore-scripts --silent --pack-destination "$pack_dir" | tail -n 1)"
cp "$pack_dir/$tarball" "$cache/lgtm-platform.tgz"

# The app's own files are refreshed from the fixture each run; node_modules and the lockfile stay warm.
mkdir -p "$app"
find "$app" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name package-lock.json -exec rm -rf {} +
cp -R "$root/__tests__/consumer/app/." "$app/"
cd "$app"
# The tarball's bytes change with every build; npm would otherwise keep the copy the lockfile recorded.
rm -rf node_modules/lgtm-platform
npm install --ignore-scripts --no-audit --no-fund --loglevel=error

copies="$(find node_modules -path '*/constructs/package.json' -not -path '*/constructs/*/*' | wc -l)"
if [ "$copies" -ne 1 ]; then
  echo "consumer app has $copies copies of constructs, expected 1:" >&2
  find node_modules -path '*/constructs/package.json' -not -path '*/constructs/*/*' >&2
  exit 1
fi
test "$(node -p 'require("constructs/package.json").version')" = "10.4.2"

echo "consumer: tsc --noEmit"
npx tsc --noEmit
echo "consumer: cdktf synth"
CHECKPOINT_DISABLE=1 npx cdktf synth >/dev/null
test -f cdktf.out/stacks/shop-infra/cdk.tf.json && test -f cdktf.out/stacks/shop-grafana/cdk.tf.json
echo "consumer: jest"
LGTM_EXPECTED_DORA_SHA256="$(sha256sum "$root/dist/dora-exporter.js" | cut -d' ' -f1)" npx jest --ci
echo "consumer: plain node"
node require-consumer.js
echo "consumer contract passed"
