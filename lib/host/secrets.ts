import type { PlatformConfig } from '../config/schema';
import { serviceTargets, type MetricsTarget, type ServiceTarget } from '../model/targets';
import { BOOTSTRAP_ENV, SECRETS_DIR } from '../shared/host-paths';
import { q } from '../shared/shell-quote';
import { awsEndpointArgument, sourceBootstrapEnv } from './script-preamble';
import { OTLP_TLS_DIR, otlpCaParameter, otlpEnvironments, otlpIngestTlsParameters } from '../telemetry/otlp-sources';
import { scaleSettings } from '../contracts/scale-endpoints';
import { OTLP_INGEST_TLS_FUNCTION, OTLP_TLS_FUNCTIONS } from '../telemetry/otlp-tls-script';

/**
 * A secret the host reads at boot from SSM Parameter Store into `/run/lgtm-secrets/<name>` (tmpfs, root 0600),
 * handed to the one unit that needs it with systemd's `LoadCredential=`. The program reads it from
 * `credentialPath(unit, name)`; the value never appears in user-data, the bucket or Terraform state.
 */
export interface HostSecret {
  /** File name, also the credential id. */
  readonly name: string;
  /** SSM parameter (SecureString) holding the value. */
  readonly parameter: string;
  /** systemd unit (without `.service`) that loads it. */
  readonly unit: string;
  /** Where it came from in config, for messages. */
  readonly configPath: string;
}

/** Credential names of Grafana's TLS certificate chain and key, when `host.grafanaTls` is set. */
export const GRAFANA_TLS_CERTIFICATE = 'grafana-tls-certificate';
export const GRAFANA_TLS_KEY = 'grafana-tls-key';

/** Credential names of the long-term metrics store's basic-auth password and bearer token (`scale: distributed`). */
export const REMOTE_WRITE_PASSWORD = 'remote-write-password';
export const REMOTE_WRITE_TOKEN = 'remote-write-token';

/**
 * bash filter for a token file's content: drops blank lines, since the bearertokenauth extension takes every line
 * as a token and an empty line would be an empty token that a request could present.
 */
export const TOKEN_LINES_FILTER = "sed -e 's/[[:space:]]*$//' -e '/^$/d'";

/** The SSM parameter holding Grafana's admin password. @default /<name>/grafana-admin-password */
export function grafanaAdminPasswordParameter(config: PlatformConfig): string {
  return config.host.grafanaAdminPasswordParameter ?? `/${config.name}/grafana-admin-password`;
}

/** An environment whose metrics are scraped over HTTPS, and the credential names of its CA and client pair. */
export interface AppScrapeTls {
  readonly service: string;
  readonly environment: string;
  /** The environment's targets in the model (its metrics target, its place in the description). */
  readonly target: ServiceTarget & { readonly metrics: MetricsTarget };
  readonly settings: NonNullable<MetricsTarget['tls']>;
  readonly credentials: { readonly ca: string; readonly certificate: string; readonly key: string };
}

/** The environments with `metricsTls` and a `metricsTarget`, in config order. */
export function appScrapeTls(config: PlatformConfig): AppScrapeTls[] {
  return serviceTargets(config).flatMap((target) => {
    const metrics = target.metrics;
    if (!metrics?.tls) return [];
    const stem = `app-${target.service}-${target.environment}`;
    return [
      {
        service: target.service,
        environment: target.environment,
        target: { ...target, metrics },
        settings: metrics.tls,
        credentials: { ca: `${stem}-ca`, certificate: `${stem}-client-certificate`, key: `${stem}-client-key` },
      },
    ];
  });
}

/** Every secret the config names, in a stable order. */
export function hostSecrets(config: PlatformConfig): HostSecret[] {
  const secrets: HostSecret[] = [
    { name: 'slack-webhook-url', parameter: config.alerting.slack.webhookUrlParameter, unit: 'alertmanager', configPath: 'alerting.slack.webhookUrlParameter' },
  ];
  config.alerting.receivers.forEach((receiver, i) => {
    if (receiver.webhookUrlParameter)
      secrets.push({
        name: `receiver-${receiver.name}-url`,
        parameter: receiver.webhookUrlParameter,
        unit: 'alertmanager',
        configPath: `alerting.receivers[${i}].webhookUrlParameter`,
      });
  });
  if (config.alerting.smtp?.passwordParameter)
    secrets.push({
      name: 'smtp-password',
      parameter: config.alerting.smtp.passwordParameter,
      unit: 'alertmanager',
      configPath: 'alerting.smtp.passwordParameter',
    });
  secrets.push({
    name: 'grafana-admin-password',
    parameter: grafanaAdminPasswordParameter(config),
    unit: 'grafana-server',
    configPath: 'host.grafanaAdminPasswordParameter',
  });
  for (const environment of otlpEnvironments(config))
    secrets.push({
      name: environment.tokenCredential,
      parameter: environment.tokenParameter,
      unit: 'otelcol',
      configPath: `host.otlpTokenParameter (the tokens of ${environment.name})`,
    });
  if (config.host.grafanaTls) {
    secrets.push({
      name: GRAFANA_TLS_CERTIFICATE,
      parameter: config.host.grafanaTls.certificateParameter,
      unit: 'grafana-server',
      configPath: 'host.grafanaTls.certificateParameter',
    });
    secrets.push({
      name: GRAFANA_TLS_KEY,
      parameter: config.host.grafanaTls.privateKeyParameter,
      unit: 'grafana-server',
      configPath: 'host.grafanaTls.privateKeyParameter',
    });
  }
  for (const tls of appScrapeTls(config)) {
    const at = `${tls.target.path}.metricsTls`;
    if (tls.settings.caParameter)
      secrets.push({ name: tls.credentials.ca, parameter: tls.settings.caParameter, unit: 'prometheus', configPath: `${at}.caParameter` });
    if (tls.settings.clientCertificateParameter && tls.settings.clientKeyParameter) {
      secrets.push({
        name: tls.credentials.certificate,
        parameter: tls.settings.clientCertificateParameter,
        unit: 'prometheus',
        configPath: `${at}.clientCertificateParameter`,
      });
      secrets.push({ name: tls.credentials.key, parameter: tls.settings.clientKeyParameter, unit: 'prometheus', configPath: `${at}.clientKeyParameter` });
    }
  }
  const store = config.scale === 'distributed' ? config.distributed?.metricsStore : undefined;
  if (store && 'remoteWriteUrl' in store) {
    const at = 'distributed.metricsStore';
    if (store.basicAuthPasswordParameter)
      secrets.push({
        name: REMOTE_WRITE_PASSWORD,
        parameter: store.basicAuthPasswordParameter,
        unit: 'prometheus',
        configPath: `${at}.basicAuthPasswordParameter`,
      });
    if (store.bearerTokenParameter)
      secrets.push({ name: REMOTE_WRITE_TOKEN, parameter: store.bearerTokenParameter, unit: 'prometheus', configPath: `${at}.bearerTokenParameter` });
  }
  if (config.dora)
    secrets.push({ name: 'github-token', parameter: config.dora.githubTokenParameter, unit: 'dora-exporter', configPath: 'dora.githubTokenParameter' });
  return secrets;
}

/** Every SSM parameter the host reads at boot, sorted and unique: what its instance role may read. */
export function hostSecretParameters(config: PlatformConfig): string[] {
  return [...new Set(hostSecrets(config).map((secret) => secret.parameter))].sort();
}

/** Where the boot-time fetch writes a secret. */
export function secretSourcePath(name: string): string {
  return `${SECRETS_DIR}/${name}`;
}

/**
 * Path under which a unit's program reads a credential: what Alertmanager's `slack_api_url_file`, Grafana's
 * `$__file{}` and the DORA exporter's token file point at.
 */
export function credentialPath(unit: string, name: string): string {
  return `/run/credentials/${unit}.service/${name}`;
}

/** The alias of the key the platform creates for its parameters when `host.secretsKmsKeyArn` names none (SecretsKey). */
export function secretsKeyAlias(platformName: string): string {
  return `alias/${platformName}-secrets`;
}

/** The key the parameters must be encrypted with, as an operator passes it to `aws ssm put-parameter --key-id`. */
function secretsKeyId(config: PlatformConfig): string {
  return config.host.secretsKmsKeyArn ?? secretsKeyAlias(config.name);
}

/**
 * lgtm-secrets' argument when its renewal timer runs it between boots: it reads no secret, only renews the OTLP
 * server certificate when due (or when the host's names changed) and then restarts the collector.
 */
export const RENEW_TLS_ARGUMENT = 'renew-tls';

/** The rendered boot-time fetch: one `aws ssm get-parameter` per secret into a 0600 file; never echoes a value. */
export function renderSecretsScript(config: PlatformConfig): string {
  const secrets = hostSecrets(config);
  const ingest = scaleSettings(config)?.ingest ? otlpIngestTlsParameters(config) : undefined;
  const lines = secrets.map((s) => `fetch_secret ${q(s.name)} ${q(s.parameter)} ${q(s.configPath)}`);
  return `#!/bin/bash
# lgtm-secrets: reads the SSM parameters named in the platform config into ${SECRETS_DIR} (tmpfs, root-only)
# at every boot, before the services that load them as systemd credentials, and keeps the OTLP receivers'
# certificate current (${OTLP_TLS_DIR}). Rendered; do not edit on the host.
set -euo pipefail
umask 077

ROOT="\${LGTM_ROOT:-}"
ROOT="\${ROOT%/}"
if [[ -n "$ROOT" && -z "\${LGTM_AWS:-}" ]]; then
  echo "lgtm-secrets: LGTM_ROOT is set (test mode) but LGTM_AWS is not; refusing to call the real AWS CLI" >&2
  exit 2
fi
AWS="\${LGTM_AWS:-aws}"
${sourceBootstrapEnv()}
: "\${AWS_REGION:?lgtm-secrets: AWS_REGION is not set (expected in ${BOOTSTRAP_ENV})}"

MODE="\${1:-boot}"
case "$MODE" in
  boot | ${RENEW_TLS_ARGUMENT}) ;;
  *)
    echo "lgtm-secrets: unknown mode '$MODE' (expected no argument at boot, or ${RENEW_TLS_ARGUMENT})" >&2
    exit 2
    ;;
esac
failed=0

fetch_secret() {
  local name="$1" parameter="$2" from="$3" value
  if ! value="$("$AWS" ssm get-parameter ${awsEndpointArgument('ssm')} --region "$AWS_REGION" --name "$parameter" --with-decryption \\
      --query Parameter.Value --output text)"; then
    echo ${q(`lgtm-secrets: cannot read SSM parameter `)}"$parameter ($from)"${q(`; create it as a SecureString encrypted with the KMS key ${secretsKeyId(config)} (put-parameter --key-id) and allow the instance role to read it`)} >&2
    failed=1
    return 0
  fi
  if [[ "$name" == otlp-token-* ]]; then
    value="$(printf '%s\n' "$value" | ${TOKEN_LINES_FILTER})"
    if [[ -z "$value" ]]; then
      echo "lgtm-secrets: SSM parameter $parameter ($from) holds no token" >&2
      failed=1
      return 0
    fi
  fi
  printf '%s' "$value" > "$dir/.$name.new"
  chmod 0600 "$dir/.$name.new"
  mv -f "$dir/.$name.new" "$dir/$name"
  echo "lgtm-secrets: $name <- $parameter"
}

${OTLP_TLS_FUNCTIONS}
${ingest ? `\n${OTLP_INGEST_TLS_FUNCTION}\n` : ''}
if [[ "$MODE" == boot ]]; then
  dir="$ROOT${SECRETS_DIR}"
  mkdir -p "$dir"
  chmod 0700 "$dir"
${(lines.length ? lines : ['echo "lgtm-secrets: no secrets configured"']).map((line) => `  ${line}`).join('\n')}
fi
ensure_otlp_tls ${q(otlpCaParameter(config))} ${q(`${config.name} OTLP CA`)}
${
  ingest
    ? `ensure_ingest_tls ${q(ingest.names)} ${q(ingest.certificate)} ${q(ingest.key)} ${q(secretsKeyId(config))}
`
    : ''
}if [[ "$MODE" == ${RENEW_TLS_ARGUMENT} && "$OTLP_TLS_RENEWED" == 1 ]]; then
  # The collector reads its certificate as a systemd credential, copied at start: only a restart loads the new one.
  # It stops its receivers first and drains its queues; senders retry meanwhile, so nothing is dropped.
  if [[ -n "$ROOT" && -z "\${LGTM_SYSTEMCTL:-}" ]]; then
    echo "lgtm-secrets: LGTM_ROOT is set (test mode) but LGTM_SYSTEMCTL is not; refusing to restart real units" >&2
    exit 2
  fi
  "\${LGTM_SYSTEMCTL:-systemctl}" try-restart otelcol.service || { echo "lgtm-secrets: otelcol did not restart; see journalctl -u otelcol" >&2; failed=1; }
fi
exit "$failed"
`;
}
