#!/usr/bin/env bash
# The OpenTelemetry JS SDK that __tests__/slo/otel-sdk-live.test.ts's app runs with, installed into a cache outside
# the checkout: its 2.x line (the last for Node 20) pins @opentelemetry/api below 1.10, and in the checkout that would
# replace the api version prom-client, and so the DORA exporter bundle, is built with. Warm: no install.
set -euo pipefail
dir="${LGTM_OTEL_SDK_APP_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lgtm-platform/otel-sdk-app-2.12.0}"
packages=(@opentelemetry/sdk-metrics@2.12.0 @opentelemetry/exporter-metrics-otlp-http@0.223.0 @opentelemetry/resources@2.12.0 @opentelemetry/semantic-conventions@1.45.0)
if [ ! -f "$dir/.installed" ]; then
  mkdir -p "$dir"
  printf '{ "name": "lgtm-otel-sdk-app", "private": true }\n' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --save-exact "${packages[@]}" >/dev/null
  touch "$dir/.installed"
fi
echo "$dir"
