import type { PlatformConfig } from '../config/schema';
import { resolveArtifacts } from '../host/artifacts';
import { ARTIFACT_FUNCTIONS, stageArtifactCall } from '../host/artifact-shell';
import { OPT_ROOT, PATHS } from '../shared/host-paths';
import { scriptLogging, systemCommandPreamble } from '../host/script-preamble';
import { TOKEN_LINES_FILTER } from '../host/secrets';
import { q } from '../shared/shell-quote';
import { INGEST_CA_FILE, ingestTokenFile } from '../telemetry/ingest-collector';
import { OTLP_TLS_CREDENTIALS, otlpCaParameter, otlpEnvironments, otlpIngestTlsParameters } from '../telemetry/otlp-sources';
import { renderServiceUnit, rootServiceSandbox, section, serviceSpecs } from '../host/systemd-units';
import type { HostFile } from '../shared/host-file';

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

/** The node's script that installs the certificate and key the host issued for the load balancer (renderIngestTlsScript). */
export const INGEST_TLS_SCRIPT = '/usr/local/sbin/lgtm-ingest-tls';
/** Its argument at boot: wait for the host to publish the pair, and start nothing (the collector starts next). */
export const INGEST_TLS_BOOT_ARGUMENT = 'boot';
/** How long a booting node waits for the host's first publication (the host boots in the same apply). */
export const INGEST_TLS_BOOT_WAIT_SECONDS = 900;
const INGEST_TLS_UNIT = 'lgtm-ingest-tls';

/**
 * lgtm-ingest-tls: reads the node's certificate (String) and key (SecureString) from SSM, and installs them only
 * when the certificate is a server certificate from the host's CA and the key is its key; when they differ from the
 * installed pair (the host renewed it) it restarts the collector, which loads them as credentials at start and
 * drains its queues on stop. Run at boot (`boot`: waits for the host's first publication) and daily by its timer.
 * LGTM_ROOT (tests) works under a directory with fake AWS CLI and systemctl; LGTM_INGEST_TLS_WAIT_SECONDS and
 * LGTM_INGEST_TLS_RETRY_SECONDS shorten the boot's wait and the pause between attempts.
 */
export function renderIngestTlsScript(config: PlatformConfig): string {
  const parameters = otlpIngestTlsParameters(config);
  const certificateFile = ingestTokenFile(OTLP_TLS_CREDENTIALS.certificate);
  const keyFile = ingestTokenFile(OTLP_TLS_CREDENTIALS.key);
  const read = (parameter: string, decrypt: boolean) =>
    `"$AWS" ssm get-parameter --region ${q(config.region)} --name ${q(parameter)}${decrypt ? ' --with-decryption' : ''} --query Parameter.Value --output text`;
  return `#!/bin/bash
# lgtm-ingest-tls: installs the OTLP server certificate and key the monitoring host issued for the load balancer.
# Rendered by the LGTM platform; do not edit on a node.
set -euo pipefail
umask 077
${systemCommandPreamble('lgtm-ingest-tls', ['AWS', 'SYSTEMCTL'])}
${scriptLogging('lgtm-ingest-tls')}
MODE="\${1:-refresh}"
[[ "$MODE" == refresh || "$MODE" == ${INGEST_TLS_BOOT_ARGUMENT} ]] || die "unknown mode '$MODE' (expected refresh or ${INGEST_TLS_BOOT_ARGUMENT})"
CA="$ROOT"${q(INGEST_CA_FILE)}
CERTIFICATE="$ROOT"${q(certificateFile)}
KEY="$ROOT"${q(keyFile)}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

attempts=1
[[ "$MODE" == refresh ]] || attempts=$((\${LGTM_INGEST_TLS_WAIT_SECONDS:-${INGEST_TLS_BOOT_WAIT_SECONDS}} / \${LGTM_INGEST_TLS_RETRY_SECONDS:-10}))
for ((attempt = 1; ; attempt++)); do
  if certificate="$(${read(parameters.certificate, false)} 2>/dev/null)" &&
    key="$(${read(parameters.key, true)} 2>/dev/null)"; then
    break
  fi
  ((attempt < attempts)) || die ${q(`cannot read ${parameters.certificate} and ${parameters.key}; the monitoring host publishes them (lgtm-secrets) once ${parameters.names} names the load balancer`)}
  sleep "\${LGTM_INGEST_TLS_RETRY_SECONDS:-10}"
done
printf '%s\n' "$certificate" >"$work/certificate"
printf '%s\n' "$key" >"$work/key"
openssl verify -CAfile "$CA" -purpose sslserver "$work/certificate" >/dev/null 2>&1 ||
  die ${q(`${parameters.certificate} holds no server certificate from the monitoring host's CA; keeping the installed one`)}
[[ "$(openssl x509 -noout -pubkey -in "$work/certificate")" == "$(openssl pkey -pubout -in "$work/key" 2>/dev/null)" ]] ||
  die ${q(`${parameters.key} is not the key of ${parameters.certificate} (the host may be publishing a new pair); keeping the installed one`)}
if cmp -s "$work/certificate" "$CERTIFICATE" && cmp -s "$work/key" "$KEY"; then
  exit 0
fi
mv -f "$work/key" "$KEY"
mv -f "$work/certificate" "$CERTIFICATE"
log "installed the OTLP server certificate (expires $(openssl x509 -noout -enddate -in "$CERTIFICATE" | cut -d= -f2))"
if [[ "$MODE" == refresh ]]; then
  "$SYSTEMCTL" try-restart otelcol.service || die "otelcol did not restart; see journalctl -u otelcol"
fi
`;
}

/** The units an ingest node writes at boot: the collector, and the daily refresh of its certificate. */
export function ingestNodeUnitFiles(config: PlatformConfig, instanceType: string): HostFile[] {
  const nodeConfig = ingestNodeConfig(config, instanceType);
  const spec = serviceSpecs(nodeConfig).find((s) => s.unit === 'otelcol');
  if (!spec) throw new Error('otelcol-contrib is missing from the pinned artifacts');
  const header = '# Rendered by the LGTM platform; do not edit on a node.';
  const refresh = `${header}
${section('Unit', [
  ['Description', 'Install the OTLP server certificate the monitoring host renewed, and restart the collector'],
  ['Wants', 'network-online.target'],
  ['After', 'network-online.target'],
])}
${section('Service', [['Type', 'oneshot'], ['ExecStart', INGEST_TLS_SCRIPT], ['UMask', '0077'], ...rootServiceSandbox([dirOf(PATHS.otelcolConfig)])])}`;
  const timer = `${header}
${section('Unit', [['Description', 'Check daily for a renewed OTLP server certificate']])}
${section('Timer', [
  ['OnCalendar', 'daily'],
  ['RandomizedDelaySec', '1h'],
  ['Persistent', 'true'],
  ['Unit', `${INGEST_TLS_UNIT}.service`],
])}
${section('Install', [['WantedBy', 'timers.target']])}`;
  return [
    { path: `${PATHS.systemdDir}/otelcol.service`, content: renderServiceUnit(spec, nodeConfig, ingestTokenFile) },
    { path: `${PATHS.systemdDir}/${INGEST_TLS_UNIT}.service`, content: refresh },
    { path: `${PATHS.systemdDir}/${INGEST_TLS_UNIT}.timer`, content: timer },
  ];
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
  install -m 0700 /dev/stdin ${q(INGEST_TLS_SCRIPT)} <<'LGTM_INGEST_TLS'
${renderIngestTlsScript(config).trimEnd()}
LGTM_INGEST_TLS
  ${q(INGEST_TLS_SCRIPT)} ${INGEST_TLS_BOOT_ARGUMENT} || die "no OTLP server certificate from the monitoring host; not starting"
  sed "s/${UPSTREAM_HOST_PLACEHOLDER}/$upstream/g" >${q(`${PATHS.otelcolConfig}.new`)} <<'LGTM_OTELCOL_CONFIG'
${collectorConfig.trimEnd()}
LGTM_OTELCOL_CONFIG
  ${q(binary)} validate --config=${q(`${PATHS.otelcolConfig}.new`)} || die "the rendered collector config is invalid; not starting"
  chmod 0644 ${q(`${PATHS.otelcolConfig}.new`)}
  mv -f ${q(`${PATHS.otelcolConfig}.new`)} ${q(PATHS.otelcolConfig)}
${ingestNodeUnitFiles(config, instanceType)
  .map((unit) => `  cat >${q(unit.path)} <<'LGTM_UNIT'\n${unit.content.trimEnd()}\nLGTM_UNIT`)
  .join('\n')}
  systemctl daemon-reload
  systemctl enable --now otelcol.service ${INGEST_TLS_UNIT}.timer
  log "collector running"
}
`;
}
