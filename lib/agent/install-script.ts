import { ARTIFACT_FUNCTIONS, ENABLE_AND_START_FUNCTION, ENSURE_DIR_FUNCTION, stageArtifactCall } from '../host/artifact-shell';
import type { Architecture } from '../host/architecture';
import type { PlatformModel } from '../model/compile';
import { scriptLogging, systemCommandPreamble } from '../host/script-preamble';
import { TOKEN_LINES_FILTER } from '../host/secrets';
import { q } from '../shared/shell-quote';
import { otlpCaParameter, otlpEnvironment } from '../telemetry/otlp-sources';
import { renderAgentOtelcolConfig } from './agent-otelcol';
import { agentServiceSpecs, monitoringHostDropIn, renderAgentUnit } from './agent-units';
import { AGENT_OPT_ROOT, AGENT_PATHS, AGENT_STATE_DIR, MONITORING_HOST_VARIABLE } from './paths';
import type { AgentTarget } from './targets';

const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];
const HEREDOC = 'LGTM_AGENT_EOF';

/** The commands the agent's install touches the machine with (overridden by tests under LGTM_ROOT). */
const AGENT_COMMANDS = ['SYSTEMCTL', 'USERADD', 'GETENT', 'CHOWN', 'AWS'] as const;

/** `put_file <path> <mode> [unit]` with the content as a quoted heredoc: nothing in it is expanded. */
function putFile(path: string, mode: string, content: string, unit?: string): string {
  if (content.split('\n').includes(HEREDOC)) throw new Error(`${path} contains the heredoc delimiter ${HEREDOC}`);
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `put_file ${q(path)} ${mode}${unit ? ` ${q(unit)}` : ''} <<'${HEREDOC}'\n${body}${HEREDOC}`;
}

/**
 * `lgtm-agent-install --monitoring-host <private IPv4>`: brings an app server's telemetry agent to its pinned
 * state. It detects the CPU (`uname -m`), downloads Node Exporter and the OpenTelemetry Collector (contrib) at
 * the monitoring host's pinned versions from the same sources (publisher or `host.artifactMirror`) and checks
 * each SHA-256 the same way before unpacking, creates one system user per program, writes the units, the
 * collector config and the monitoring host's address, and enables and starts both services. Needs only bash,
 * coreutils, awk, curl, tar/gzip, useradd and systemd, all present on Amazon Linux 2023 and Ubuntu 22.04/24.04;
 * no package manager is called. Idempotent: the SSM association
 * runs it again on schedule, and a run with nothing to change changes nothing. The pins are the model's.
 */
export function renderAgentInstallScript(model: PlatformModel, target: AgentTarget): string {
  const { config } = model;
  const pins = model.artifacts.agent;
  const services = agentServiceSpecs(target, model.artifacts.table);
  const environment = otlpEnvironment(config, target.environment.name);
  const stageFor = (arch: Architecture) => pins[arch].map((a) => `    ${stageArtifactCall(a)}`).join('\n');
  // Versions are the same on both architectures; activation names them once.
  const artifacts = pins.x86_64;
  const activate = artifacts
    .map((a) => {
      const units = services.filter((s) => s.artifact === a.name).map((s) => `${s.unit}.service`);
      return `  activate_artifact ${q(a.name)} ${q(a.version)} ${units.map(q).join(' ')}`;
    })
    .join('\n');
  const users = services.map((s) => `  ensure_agent_user ${q(s.user)}`).join('\n');
  const units = services.map((s) => `${s.unit}.service`);
  const files = [
    putFile(AGENT_PATHS.otelcolConfig, '0644', renderAgentOtelcolConfig(config, target), `${services[1].unit}.service`),
    ...services.map((s) => putFile(`${AGENT_PATHS.systemdDir}/${s.unit}.service`, '0644', renderAgentUnit(s), `${s.unit}.service`)),
  ]
    .map((text) => text.replace(/^put_file/, '  put_file'))
    .join('\n');
  const dropIns = services
    .map((s) => `  put_file ${q(`${AGENT_PATHS.systemdDir}/${s.unit}.service.d/monitoring-host.conf`)} 0644 ${q(`${s.unit}.service`)} < <(monitoring_drop_in)`)
    .join('\n');
  return `#!/bin/bash
# lgtm-agent-install: the LGTM telemetry agent of ${target.service.name}/${target.environment.name} (Node Exporter and
# the OpenTelemetry Collector, contrib). Rendered by the LGTM platform from config/platform.yaml and run by the
# platform's SSM association; do not edit on the app server. Safe to run again at any time.
#
# Usage: lgtm-agent-install --monitoring-host <private IPv4 of the monitoring host>
# Test hooks (never set in production): LGTM_ROOT=<dir> installs under <dir> and then requires
# ${AGENT_COMMANDS.map((c) => `LGTM_${c}`).join(', ')} to be overridden; LGTM_DOWNLOAD_BASE=<url> fetches
# <url>/<artifact>/<version>/<file> instead of the publisher's URL.
set -euo pipefail
umask 022

${systemCommandPreamble('lgtm-agent-install', AGENT_COMMANDS)}

OPT="$ROOT${AGENT_OPT_ROOT}"
UNITS=(${units.map(q).join(' ')})
RESTART=()
CLEANUP=()
UNITS_CHANGED=0
trap 'rm -rf "\${CLEANUP[@]}"' EXIT

${scriptLogging('lgtm-agent-install')}

MONITORING_HOST=""
while (($#)); do
  case "$1" in
    --monitoring-host)
      MONITORING_HOST="\${2:-}"
      shift 2 || die "--monitoring-host needs a value"
      ;;
    *) die "unknown argument $1 (usage: lgtm-agent-install --monitoring-host <IPv4>)" ;;
  esac
done
[[ "$MONITORING_HOST" =~ ^([0-9]{1,3}\\.){3}[0-9]{1,3}$ ]] || die "expected --monitoring-host <private IPv4 of the monitoring host>, got '$MONITORING_HOST'"

detect_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) ARCH=x86_64 ;;
    aarch64 | arm64) ARCH=arm64 ;;
    *) die "unsupported CPU $(uname -m): the agent runs on x86_64 and arm64" ;;
  esac
}

ensure_tools() {
  local missing=() tool
  for tool in curl tar gzip sha256sum awk base64 "$AWS"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  ((\${#missing[@]} == 0)) || die "missing \${missing[*]}: install them with the system's package manager and let the association run again"
}

# A system user without a fixed uid (app servers have their own uid plans), no home and no shell.
ensure_agent_user() {
  local name="$1"
  "$GETENT" passwd "$name" >/dev/null && return 0
  log "creating system user $name"
  "$USERADD" --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$name"
}

${ENSURE_DIR_FUNCTION}

${ARTIFACT_FUNCTIONS}

# put_file <path> <mode> [unit]: writes stdin to <path> when it differs, atomically; queues <unit> for a restart.
put_file() {
  local path="$ROOT$1" mode="$2" unit="\${3:-}" new
  mkdir -p "\${path%/*}"
  new="$(mktemp "\${path%/*}/.lgtm-agent.XXXXXX")"
  CLEANUP+=("$new")
  cat >"$new"
  if [[ -f "$path" ]] && [[ "$(sha256sum <"$new")" == "$(sha256sum <"$path")" ]] && [[ "$(stat -c %a "$path")" == "\${mode#0}" ]]; then
    rm -f "$new"
    return 0
  fi
  chmod "$mode" "$new"
  mv -f "$new" "$path"
  log "wrote $1"
  [[ "$1" == ${AGENT_PATHS.systemdDir}/* ]] && UNITS_CHANGED=1
  [[ -n "$unit" ]] && RESTART+=("$unit")
  return 0
}

monitoring_drop_in() {
  cat <<LGTM_DROP_IN
${monitoringHostDropIn(`$MONITORING_HOST`).trimEnd()}
LGTM_DROP_IN
}

${ENABLE_AND_START_FUNCTION}

main() {
  detect_arch
  ensure_tools
${users}
  ensure_dir ${q(AGENT_STATE_DIR)} root 0755
  ensure_dir ${q(AGENT_PATHS.otelcolStorage)} ${q(services[1].user)} 0750
  mkdir -p "$OPT"
  # Download and verify both programs first; only then switch either over.
  case "$ARCH" in
${ARCHITECTURES.map((arch) => `  ${arch})\n${stageFor(arch)}\n    ;;`).join('\n')}
  esac
${activate}
  # Not piped: put_file must run in this shell, where it queues restarts.
  put_file ${q(AGENT_PATHS.environmentFile)} 0644 ${q(`${services[1].unit}.service`)} < <(printf '${MONITORING_HOST_VARIABLE}=%s\\n' "$MONITORING_HOST")
${dropIns}
  # The environment's OTLP token and the host's CA certificate, with the app servers' own role (see the README);
  # the token never on a command line or in a log.
  local token ca
  token="$("$AWS" ssm get-parameter --region ${q(config.region)} --name ${q(environment.tokenParameter)} --with-decryption --query Parameter.Value --output text)" ||
    die ${q(`cannot read the OTLP token parameter ${environment.tokenParameter}: the app servers' role needs ssm:GetParameter on it (and kms:Decrypt through SSM)`)}
  token="$(printf '%s\n' "$token" | ${TOKEN_LINES_FILTER})"
  [[ -n "$token" ]] || die ${q(`the OTLP token parameter ${environment.tokenParameter} holds no token`)}
  put_file ${q(AGENT_PATHS.otlpToken)} 0600 ${q(`${services[1].unit}.service`)} < <(printf '%s' "$token")
  ca="$("$AWS" ssm get-parameter --region ${q(config.region)} --name ${q(otlpCaParameter(config))} --query Parameter.Value --output text)" ||
    die ${q(`cannot read the monitoring host's OTLP CA certificate ${otlpCaParameter(config)} (the host publishes it at boot): the app servers' role needs ssm:GetParameter on it`)}
  [[ "$ca" == *"-----BEGIN CERTIFICATE-----"* ]] || die ${q(`${otlpCaParameter(config)} holds no PEM certificate`)}
  put_file ${q(AGENT_PATHS.otlpCaCertificate)} 0644 ${q(`${services[1].unit}.service`)} < <(printf '%s\n' "$ca")
${files}
  if ((UNITS_CHANGED)); then
    "$SYSTEMCTL" daemon-reload
  fi
  enable_and_start
  log "done: ${target.service.name}/${target.environment.name} agent on $ARCH sends to $MONITORING_HOST"
}

main "$@"
`;
}
