import type { PlatformConfig } from '../config/schema';
import { resolveArtifacts } from '../host/artifacts';
import { ARTIFACT_FUNCTIONS, stageArtifactCall } from '../host/artifact-shell';
import { OPT_ROOT, PATHS } from '../shared/host-paths';
import { scriptLogging } from '../host/script-preamble';
import { TOKEN_LINES_FILTER } from '../host/secrets';
import { q } from '../shared/shell-quote';
import { INGEST_CA_FILE, ingestTokenFile } from '../telemetry/ingest-collector';
import { otlpCaParameter, otlpEnvironments } from '../telemetry/otlp-sources';
import { renderServiceUnit, serviceSpecs } from '../host/systemd-units';

/** The platform config as seen from an ingest node: its instance type decides the artifact's architecture. */
export function ingestNodeConfig(config: PlatformConfig, instanceType: string): PlatformConfig {
  return { ...config, host: { ...config.host, instanceType } };
}

/** Stands for the monitoring host's address in the rendered collector config until the node's boot fills it in. */
export const UPSTREAM_HOST_PLACEHOLDER = 'LGTM_UPSTREAM_HOST';

/**
 * User-data of an ingest node (its static part; `ingestUserDataCall` appends the call with the host address):
 * installs the pinned otelcol-contrib with the host's own artifact functions
 * (download, SHA-256 check against the publisher's checksum file or the user's pin, unpack), writes the
 * collector config, refuses it unless `otelcol-contrib validate` accepts it, and starts the collector in the
 * same hardened unit the monitoring host uses. No secret, no SSH; a changed config replaces the nodes
 * through the Auto Scaling group's instance refresh.
 */
const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/'));

/** The last line of the user-data: runs `main` with the monitoring host's address (a Terraform token at synth). */
export function ingestUserDataCall(hostAddress: string): string {
  return `main ${hostAddress}\n`;
}

export function renderIngestUserData(config: PlatformConfig, instanceType: string, collectorConfig: string): string {
  if (!collectorConfig.includes(UPSTREAM_HOST_PLACEHOLDER)) throw new Error(`the ingest collector config must name the host as ${UPSTREAM_HOST_PLACEHOLDER}`);
  const nodeConfig = ingestNodeConfig(config, instanceType);
  const artifact = resolveArtifacts(nodeConfig).find((a) => a.name === 'otelcol-contrib');
  const spec = serviceSpecs(nodeConfig).find((s) => s.unit === 'otelcol');
  if (!artifact || !spec) throw new Error('otelcol-contrib is missing from the pinned artifacts');
  const binary = spec.exec[0];
  return `#!/bin/bash
# lgtm ingest node: a stateless OpenTelemetry Collector behind the platform's OTLP load balancer.
# Rendered by the LGTM platform; a change replaces the nodes.
set -euo pipefail
umask 022
AWS=aws
OPT=${q(OPT_ROOT)}
ARCH=${q(artifact.arch)}
CLEANUP=()
trap 'rm -rf "\${CLEANUP[@]}"' EXIT

${scriptLogging('lgtm-ingest')}

${ARTIFACT_FUNCTIONS}

main() {
  local upstream="$1"
  [[ "$upstream" =~ ^[0-9]{1,3}(\\.[0-9]{1,3}){3}$ ]] || die "expected the monitoring host's IPv4 address, got '$upstream'"
  getent passwd ${q(spec.user)} >/dev/null || useradd --system --uid ${spec.uid} --user-group --no-create-home --home-dir /nonexistent --shell /sbin/nologin ${q(spec.user)}
  mkdir -p "$OPT"
  ${stageArtifactCall(artifact)}
  activate_artifact ${q(artifact.name)} ${q(artifact.version)}
  install -d -m 0755 ${q(dirOf(PATHS.otelcolConfig))}
  local token ca
${otlpEnvironments(config)
  .map((environment) => {
    const file = ingestTokenFile(environment.tokenCredential);
    return `  token="$("$AWS" ssm get-parameter --region ${q(config.region)} --name ${q(environment.tokenParameter)} --with-decryption --query Parameter.Value --output text)" ||
    die ${q(`cannot read the OTLP token parameter ${environment.tokenParameter}; the node role may read it`)}
  token="$(printf '%s\\n' "$token" | ${TOKEN_LINES_FILTER})"
  [[ -n "$token" ]] || die ${q(`the OTLP token parameter ${environment.tokenParameter} holds no token`)}
  (umask 077 && printf '%s' "$token" >${q(`${file}.new`)})
  mv -f ${q(`${file}.new`)} ${q(file)}`;
  })
  .join('\n')}
  ca="$("$AWS" ssm get-parameter --region ${q(config.region)} --name ${q(otlpCaParameter(config))} --query Parameter.Value --output text)" ||
    die ${q(`cannot read the monitoring host's OTLP CA certificate ${otlpCaParameter(config)}; the host publishes it at boot`)}
  [[ "$ca" == *"-----BEGIN CERTIFICATE-----"* ]] || die ${q(`${otlpCaParameter(config)} holds no PEM certificate`)}
  printf '%s\\n' "$ca" >${q(INGEST_CA_FILE)}
  sed "s/${UPSTREAM_HOST_PLACEHOLDER}/$upstream/g" >${q(`${PATHS.otelcolConfig}.new`)} <<'LGTM_OTELCOL_CONFIG'
${collectorConfig.trimEnd()}
LGTM_OTELCOL_CONFIG
  ${q(binary)} validate --config=${q(`${PATHS.otelcolConfig}.new`)} || die "the rendered collector config is invalid; not starting"
  chmod 0644 ${q(`${PATHS.otelcolConfig}.new`)}
  mv -f ${q(`${PATHS.otelcolConfig}.new`)} ${q(PATHS.otelcolConfig)}
  cat >${q(`${PATHS.systemdDir}/otelcol.service`)} <<'LGTM_OTELCOL_UNIT'
${renderServiceUnit(spec, nodeConfig, ingestTokenFile).trimEnd()}
LGTM_OTELCOL_UNIT
  systemctl daemon-reload
  systemctl enable --now otelcol.service
  log "collector running"
}
`;
}
