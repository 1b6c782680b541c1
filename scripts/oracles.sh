#!/usr/bin/env bash
# Builds the test oracles: the exact Prometheus-family and OpenTelemetry Collector versions pinned in
# lib/host/artifacts.ts, and sloth at the release the bench compares with (bench/sloth-pin.ts), from their Go
# modules with the ordinary go client, into a cache outside the checkout keyed by version ($LGTM_ORACLES_DIR,
# default /var/cache/lgtm-oracles), so a warm machine rebuilds nothing.
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
# The build directory in use, removed however the script ends (a failed build leaves nothing behind).
staging=""
trap '[ -z "$staging" ] || rm -rf "$staging"' EXIT

# publish DIR VERSION PACKAGE... : links each built command into bin/ and records its report line.
publish() {
  local dir=$1 version=$2 package binary
  shift 2
  for package in "$@"; do
    binary="$(basename "$package")"
    ln -sfn "$dir/$binary" "$oracles_dir/bin/$binary"
    report+=("$binary $version $dir/$binary")
  done
}

# go_install NAME VERSION MODULE_VERSION TAGS PACKAGE... : installs each package's command, built with the Go
# build tags TAGS (comma-separated, may be empty), into NAME/VERSION/ (NAME/VERSION/<tags joined by +>/ with tags,
# so a build with other tags is another cache entry).
go_install() {
  local name=$1 version=$2 module_version=$3 tags=$4
  shift 4
  local dir="$oracles_dir/$name/$version${tags:+/${tags//,/+}}" missing=0 package
  for package in "$@"; do [ -x "$dir/$(basename "$package")" ] || missing=1; done
  if [ "$missing" = 1 ]; then
    staging="$(mktemp -d "$oracles_dir/.build-$name-XXXXXX")"
    local targets=()
    for package in "$@"; do targets+=("$package@$module_version"); done
    echo "oracles: building $name $version" >&2
    GOBIN="$staging" go install -tags "$tags" -ldflags "$(version_flags "$version")" "${targets[@]}"
    mkdir -p "$dir"
    for package in "$@"; do mv -f "$staging/$(basename "$package")" "$dir/"; done
    rm -rf "$staging"
    staging=""
    built+=("$name")
  fi
  publish "$dir" "$version" "$@"
}

# go_build_module NAME VERSION MODULE MODULE_VERSION PLACEHOLDER_DIRS PACKAGE... : like go_install, from a
# writable copy of the module's own source (the module proxy's zip). For modules whose main packages embed
# generated web assets the zip lacks (Alertmanager's ui/app/dist), each of PLACEHOLDER_DIRS (space-separated)
# gets a placeholder page standing in for the UI, which no test opens. Also for modules whose version list
# the proxy refuses (Blackbox Exporter), which \`go install pkg@version\` needs and \`go mod download\` does not.
go_build_module() {
  local name=$1 version=$2 module=$3 module_version=$4 placeholders=$5
  shift 5
  local dir="$oracles_dir/$name/$version" missing=0 package binaries=()
  # A package "." is the module's root command, named after the module.
  for package in "$@"; do
    if [ "$package" = . ]; then binaries+=("$(basename "$module")"); else binaries+=("$(basename "$package")"); fi
  done
  local binary
  for binary in "${binaries[@]}"; do [ -x "$dir/$binary" ] || missing=1; done
  if [ "$missing" = 1 ]; then
    local source placeholder i
    staging="$(mktemp -d "$oracles_dir/.build-$name-XXXXXX")"
    echo "oracles: building $name $version" >&2
    source="$(go mod download -json "$module@$module_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -d "$source" ] || { echo "oracles: no source for $module@$module_version" >&2; exit 1; }
    cp -r "$source" "$staging/src"
    chmod -R u+w "$staging/src"
    for placeholder in $placeholders; do
      mkdir -p "$staging/src/$placeholder"
      printf '<!-- UI not built: test oracle -->\n' >"$staging/src/$placeholder/index.html"
    done
    local packages=("$@")
    for i in "${!packages[@]}"; do
      (cd "$staging/src" && GOFLAGS="$GOFLAGS -mod=mod" go build -ldflags "$(version_flags "$version")" -o "$staging/${binaries[$i]}" "./${packages[$i]}")
    done
    mkdir -p "$dir"
    for binary in "${binaries[@]}"; do mv -f "$staging/$binary" "$dir/"; done
    rm -rf "$staging"
    staging=""
    built+=("$name")
  fi
  publish "$dir" "$version" "${binaries[@]}"
}

# Prometheus and promtool without the discovery plugins the library never renders (it renders EC2 only;
# scripts/prometheus-build-tags.ts): measured cold, a third less compile CPU time and binaries 40% smaller.
v=${pins[prometheus]}
go_install prometheus "$v" "$(prometheus_module_version "$v")" "$(node scripts/run-ts.cjs scripts/oracles.ts prometheus-tags)" \
  github.com/prometheus/prometheus/cmd/prometheus github.com/prometheus/prometheus/cmd/promtool
v=${pins[alertmanager]}
go_build_module alertmanager "$v" github.com/prometheus/alertmanager "v$v" "ui/app/dist/elm ui/app/dist/mantine" cmd/alertmanager cmd/amtool
v=${pins[node_exporter]}
go_install node_exporter "$v" "v$v" "" github.com/prometheus/node_exporter
v=${pins[blackbox_exporter]}
go_build_module blackbox_exporter "$v" github.com/prometheus/blackbox_exporter "v$v" "" .

# Sloth: never on the host; bench/sloth-comparison.ts runs the same SLO through it and through the library.
while read -r name version; do pins[$name]=$version; done < <(node scripts/run-ts.cjs scripts/oracles.ts compared)
v=${pins[sloth]}
go_install sloth "$v" "v$v" "" github.com/slok/sloth/cmd/sloth

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
  staging=""
  built+=(otelcol-lgtm)
fi
publish "$dir" "$v" otelcol-lgtm

echo "oracles: built ${built[*]:-nothing (all cached)}" >&2
printf '%s\n' "${report[@]}"
