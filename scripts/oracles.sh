#!/usr/bin/env bash
# Builds the test oracles: the exact Prometheus-family and OpenTelemetry Collector versions pinned in
# lib/host/artifacts.ts, from their Go modules with the ordinary go client, into a cache outside the checkout
# keyed by version ($LGTM_ORACLES_DIR, default /var/cache/lgtm-oracles), so a warm machine rebuilds nothing.
# $LGTM_ORACLES_DIR/bin holds symlinks to the current pins' binaries; the tests put it first on PATH
# (__tests__/oracle-path.ts). Ends by printing one `name version path` line per program.
# Loki, Tempo and Grafana are AGPL and are never built here.
set -euo pipefail
cd "$(dirname "$0")/.."

oracles_dir="${LGTM_ORACLES_DIR:-/var/cache/lgtm-oracles}"
mkdir -p "$oracles_dir/bin"
# Go's own caches stay where they are (shared by every checkout on the machine); only the binaries live here.
export GOFLAGS="${GOFLAGS:-} -trimpath"
export CGO_ENABLED=0

declare -A pins
while read -r name version; do pins[$name]=$version; done < <(node scripts/run-ts.cjs scripts/oracles.ts pins)

# Prometheus 3.x is published as Go module v0.3MM.P (3.16.0 -> v0.316.0).
prometheus_module_version() {
  local major minor patch
  IFS=. read -r major minor patch <<<"$1"
  printf 'v0.%d%02d.%d' "$major" "$minor" "$patch"
}

# The version the programs report (`--version`), as the release builds stamp it.
version_flags() {
  local v=github.com/prometheus/common/version
  printf -- "-X $v.Version=%s -X $v.Revision=go-module -X $v.Branch=HEAD -X $v.BuildUser=lgtm-oracles -X $v.BuildDate=go-module" "$1"
}

report=()
built=()

# go_install NAME VERSION MODULE_VERSION PACKAGE... : installs each package's command into NAME/VERSION/.
go_install() {
  local name=$1 version=$2 module_version=$3
  shift 3
  local dir="$oracles_dir/$name/$version" missing=0 package
  for package in "$@"; do [ -x "$dir/$(basename "$package")" ] || missing=1; done
  if [ "$missing" = 1 ]; then
    local staging
    staging="$(mktemp -d "$oracles_dir/.build-$name-XXXXXX")"
    local targets=()
    for package in "$@"; do targets+=("$package@$module_version"); done
    echo "oracles: building $name $version" >&2
    GOBIN="$staging" go install -ldflags "$(version_flags "$version")" "${targets[@]}"
    mkdir -p "$dir"
    for package in "$@"; do mv -f "$staging/$(basename "$package")" "$dir/"; done
    rm -rf "$staging"
    built+=("$name")
  fi
  for package in "$@"; do
    local binary
    binary="$(basename "$package")"
    ln -sfn "$dir/$binary" "$oracles_dir/bin/$binary"
    report+=("$binary $version $dir/$binary")
  done
}

v=${pins[prometheus]}
go_install prometheus "$v" "$(prometheus_module_version "$v")" github.com/prometheus/prometheus/cmd/prometheus github.com/prometheus/prometheus/cmd/promtool
v=${pins[alertmanager]}
go_install alertmanager "$v" "v$v" github.com/prometheus/alertmanager/cmd/alertmanager github.com/prometheus/alertmanager/cmd/amtool
v=${pins[node_exporter]}
go_install node_exporter "$v" "v$v" github.com/prometheus/node_exporter
v=${pins[blackbox_exporter]}
go_install blackbox_exporter "$v" "v$v" github.com/prometheus/blackbox_exporter

# The collector: built by the collector's own builder (at the same release) from a manifest of exactly the
# components the platform's rendered configs use; the cache key holds the manifest's digest, so a config that
# starts using a new component rebuilds it.
v=${pins[otelcol-contrib]}
manifest="$(node scripts/run-ts.cjs scripts/oracles.ts manifest ./otelcol-lgtm-build)"
key="$(printf '%s' "$manifest" | sha256sum | cut -c1-12)"
dir="$oracles_dir/otelcol-lgtm/$v-$key"
if [ ! -x "$dir/otelcol-lgtm" ]; then
  echo "oracles: building otelcol-lgtm $v ($key)" >&2
  staging="$(mktemp -d "$oracles_dir/.build-otelcol-XXXXXX")"
  GOBIN="$staging" go install "go.opentelemetry.io/collector/cmd/builder@v$v"
  printf '%s' "$manifest" >"$staging/manifest.yaml"
  (cd "$staging" && ./builder --config=manifest.yaml >builder.log 2>&1) || { cat "$staging/builder.log" >&2; exit 1; }
  mkdir -p "$dir"
  mv -f "$staging/otelcol-lgtm-build/otelcol-lgtm" "$dir/"
  cp "$staging/manifest.yaml" "$dir/"
  rm -rf "$staging"
  built+=(otelcol-lgtm)
fi
ln -sfn "$dir/otelcol-lgtm" "$oracles_dir/bin/otelcol-lgtm"
report+=("otelcol-lgtm $v $dir/otelcol-lgtm")

echo "oracles: built ${built[*]:-nothing (all cached)}" >&2
printf '%s\n' "${report[@]}"
