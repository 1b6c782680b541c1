#!/usr/bin/env bash
# Rewrites the Grafana allowlist (__tests__/scale/allowlists/grafana.json): the [section]s and keys Grafana reads,
# parsed by scripts/config-keys-from-source (-ini) from a copy of Grafana's conf/defaults.ini (every supported key has a
# line there), and the flags of the two commands the host runs (`grafana server`, `grafana cli ... admin
# reset-admin-password`). Grafana is AGPL and is never built, run or committed here: only section, key and flag names
# (facts) land in the JSON.
#
# Usage: scripts/grafana-allowlist.sh <defaults.ini> <repository> <commit> <provenance>
#   <defaults.ini>  a text copy of conf/defaults.ini; values may be dropped, only `[section]` and `key =` lines matter
#   <repository> <commit>  where that copy was read
#   <provenance>    one sentence: how that commit relates to the pinned tag (say so when it is not the tag itself)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 4 ] || { echo "usage: $0 <defaults.ini> <repository> <commit> <provenance>" >&2; exit 2; }
ini=$1 repository=$2 commit=$3 provenance=$4
[[ $commit =~ ^[0-9a-f]{40}$ ]] || { echo "$0: commit must be 40 hex digits, got '$commit'" >&2; exit 2; }

work="$(mktemp -d /tmp/grafana-allowlist.XXXXXX)"
trap 'rm -rf "$work"' EXIT
(cd scripts/config-keys-from-source && go build -o "$work/config-keys-from-source" .)
"$work/config-keys-from-source" -ini "$ini" >"$work/keys.json"
version="$(node scripts/run-ts.cjs scripts/oracles.ts source-checked | awk '$1 == "grafana" {print $2}')"
[ -n "$version" ] || { echo "$0: lib/host/artifacts.ts pins no grafana version" >&2; exit 1; }

# The flags (urfave/cli) of the commands the host runs, as registered in grafana/grafana:
#  server: pkg/cmd/grafana-server/commands/flags.go (commonFlags)
#  cli:    pkg/cmd/grafana-cli/commands/cli.go (CLICommand's Flags)
#  cli admin reset-admin-password: pkg/cmd/grafana-cli/commands/commands.go (adminCommands)
# Aliases are listed as names of their own (`version` is also `v`, `debug` also `d`).
server_flags=config,homepath,pidfile,packaging,configOverrides,version,v,vv,profile,profile-addr,profile-port,profile-block-rate,profile-mutex-rate,tracing,tracing-file
cli_flags=config,homepath,configOverrides,version,v,debug,d,pluginsDir,repo,pluginUrl,insecure
reset_password_flags=password-from-stdin,user-id

node -e '
  const [version, repository, commit, provenance, keysFile, server, cli, resetPassword, out] = process.argv.slice(1);
  const fs = require("fs");
  const list = (csv) => csv.split(",");
  const doc = {
    program: "grafana",
    pinnedTag: `v${version}`,
    repository,
    commit,
    path: "conf/defaults.ini",
    provenance,
    derivedBy: "scripts/grafana-allowlist.sh ([section] and key lines of conf/defaults.ini; flag registrations of the server and cli commands)",
    flagSources: {
      server: "pkg/cmd/grafana-server/commands/flags.go",
      cli: "pkg/cmd/grafana-cli/commands/cli.go",
      "cli admin reset-admin-password": "pkg/cmd/grafana-cli/commands/commands.go",
    },
    flags: { server: list(server), cli: list(cli), "cli admin reset-admin-password": list(resetPassword) },
    keys: JSON.parse(fs.readFileSync(keysFile, "utf8")),
  };
  fs.writeFileSync(out, JSON.stringify(doc, null, 1) + "\n");
' "$version" "$repository" "$commit" "$provenance" "$work/keys.json" "$server_flags" "$cli_flags" "$reset_password_flags" __tests__/scale/allowlists/grafana.json
echo "grafana v$version $repository@$commit __tests__/scale/allowlists/grafana.json"
