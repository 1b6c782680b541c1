#!/usr/bin/env bash
# Rewrites __tests__/scale/allowlists/terraform-provider-grafana.json: for each resource the Grafana binding holds
# (GRAFANA_RESOURCES in scripts/generate-grafana-binding.ts), the top-level attributes its terraform-plugin-sdk/v2
# schema declares in grafana/terraform-provider-grafana at the newest tag the binding's version constraint admits,
# read by scripts/config-keys-from-source (-tfschema). Only attribute names (facts) land in the JSON.
# Usage: scripts/grafana-provider-allowlist.sh <terraform-provider-grafana git dir>   (e.g. a `fetch` of it)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: $0 <terraform-provider-grafana git dir>" >&2; exit 2; }
git_dir=$1

work="$(mktemp -d /tmp/grafana-provider-allowlist.XXXXXX)"
trap 'rm -rf "$work"' EXIT
(cd scripts/config-keys-from-source && go build -o "$work/config-keys-from-source" .)
# `constraint ~> X.Y` (it admits X.Y.*), then `resource <type>` lines; the provider generator's logger also writes to
# stdout, hence the prefixes
npx tsx -e 'import { GRAFANA_PROVIDER, GRAFANA_RESOURCES } from "./scripts/generate-grafana-binding"; console.log([`constraint ${GRAFANA_PROVIDER.version}`, ...GRAFANA_RESOURCES.map((r) => `resource ${r}`)].join("\n"))' >"$work/binding"
constraint="$(sed -n 's/^constraint //p' "$work/binding")"
[[ $constraint =~ ^~\>\ ([0-9]+)\.([0-9]+)$ ]] || { echo "$0: expected a '~> X.Y' constraint, found '$constraint'" >&2; exit 1; }
series="v${BASH_REMATCH[1]}.${BASH_REMATCH[2]}."
tag="$(git -C "$git_dir" tag --list "${series}*" | grep -E "^${series//./\\.}[0-9]+$" | sort -V | tail -1)"
[ -n "$tag" ] || { echo "$0: no tag ${series}* in $git_dir" >&2; exit 1; }
commit="$(git -C "$git_dir" rev-parse "$tag^{commit}")"

echo '{}' >"$work/resources.json"
while read -r resource; do
  file="internal/resources/grafana/resource_${resource#grafana_}.go"
  git -C "$git_dir" show "$tag:$file" >"$work/resource.go"
  "$work/config-keys-from-source" -tfschema "$work/resource.go" >"$work/attributes.json"
  node -e '
    const fs = require("fs");
    const [all, resource, file, attributes] = process.argv.slice(1);
    const doc = JSON.parse(fs.readFileSync(all, "utf8"));
    doc[resource] = { file, attributes: JSON.parse(fs.readFileSync(attributes, "utf8")) };
    fs.writeFileSync(all, JSON.stringify(doc));
  ' "$work/resources.json" "$resource" "$file" "$work/attributes.json"
done < <(sed -n 's/^resource //p' "$work/binding")

node -e '
  const [constraint, tag, commit, resourcesFile, out] = process.argv.slice(1);
  const fs = require("fs");
  const doc = {
    program: "terraform-provider-grafana",
    repository: "grafana/terraform-provider-grafana",
    constraint,
    tag,
    commit,
    derivedBy: "scripts/grafana-provider-allowlist.sh (Schema map keys of each schema.Resource, go/parser)",
    resources: JSON.parse(fs.readFileSync(resourcesFile, "utf8")),
  };
  fs.writeFileSync(out, JSON.stringify(doc, null, 1) + "\n");
' "$constraint" "$tag" "$commit" "$work/resources.json" __tests__/scale/allowlists/terraform-provider-grafana.json
echo "terraform-provider-grafana $tag $commit __tests__/scale/allowlists/terraform-provider-grafana.json"
