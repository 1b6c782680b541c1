#!/usr/bin/env bash
# The consumer contract: the packed tarball, installed with scripts disabled into an app laid out as
# `cdktf init --template=typescript` lays it out (__tests__/consumer/app, constructs at the lowest version the
# peer range allows), must pass the app's tsc, `cdktf synth` (ts-node app), its jest suite (ts-jest preset,
# cdktf matchers, a snapshot) and a plain-node require, with one copy of constructs.
#
#   bash scripts/consumer-contract.sh            # builds and packs first
#   bash scripts/consumer-contract.sh --no-build # packs what dist/ holds
#
# Packing and installing are scripts/consumer-install.sh's (the app's node_modules stays warm in a cache
# outside the checkout, CONSUMER_CACHE); this script only judges the installed app.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
app="$(bash "$root/scripts/consumer-install.sh" "$@")"
cd "$app"

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
