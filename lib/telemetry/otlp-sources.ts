import type { PlatformConfig } from '../config/schema';
import { PORTS } from '../contracts/ports';
import { DATA_MOUNT } from '../shared/host-paths';

/**
 * Who may push OTLP, and how each push is attributed. Every environment of the config (by name, across services)
 * has its own bearer token(s), its own pair of receiver ports and its own pipelines on every receiving collector,
 * which set `environment` from the receiver the request arrived on. The bearertokenauth extension only says
 * yes or no (it puts nothing into the request context a processor could read), so one receiver per environment is
 * what ties a token to the environment its telemetry is labelled with: a staging token opens only the staging
 * receiver, whose pipelines overwrite whatever `environment` the sender claimed with `staging`.
 */

/** One environment's OTLP entry point, as every collector, security group and script of the platform names it. */
export interface OtlpEnvironment {
  /** The environment name (`services[].environments[].name`); also what its telemetry is labelled with. */
  readonly name: string;
  /** The SSM SecureString holding its token(s), one per line (for rotation). */
  readonly tokenParameter: string;
  /** systemd credential id (and file name) of those tokens. */
  readonly tokenCredential: string;
  readonly grpcPort: number;
  readonly httpPort: number;
  /** Collector component ids: the receiver, its authenticator, and the processor setting the environment. */
  readonly receiver: string;
  readonly authenticator: string;
  readonly labeller: string;
  /** Where it first appears in config, for messages. */
  readonly configPath: string;
}

/**
 * Environments get ports in pairs from 4317/4318 up, below Tempo's own OTLP receiver (4417): at most 50. Ports
 * follow the order in which environments first appear in `services`, so an environment added at the end moves
 * no other environment's ports.
 */
export const MAX_OTLP_ENVIRONMENTS = (PORTS.tempoOtlpGrpc - PORTS.otlpGrpc) / 2;

/** The SSM parameter prefix of the environments' tokens: `<prefix>/<environment>`. @default /<name>/otlp-token */
export function otlpTokenParameterPrefix(config: PlatformConfig): string {
  return config.host.otlpTokenParameter ?? `/${config.name}/otlp-token`;
}

/** systemd credential id of an environment's tokens, on every collector that holds them. */
export function otlpTokenCredential(environment: string): string {
  return `otlp-token-${environment}`;
}

/** Every environment's OTLP entry point, in order of first appearance. */
export function otlpEnvironments(config: PlatformConfig): OtlpEnvironment[] {
  const seen = new Map<string, string>();
  config.services.forEach((service, s) =>
    service.environments.forEach((environment, e) => {
      if (!seen.has(environment.name)) seen.set(environment.name, `services[${s}].environments[${e}].name`);
    }),
  );
  return [...seen].map(([name, configPath], index) => ({
    name,
    tokenParameter: `${otlpTokenParameterPrefix(config)}/${name}`,
    tokenCredential: otlpTokenCredential(name),
    grpcPort: PORTS.otlpGrpc + 2 * index,
    httpPort: PORTS.otlpHttp + 2 * index,
    receiver: `otlp/${name}`,
    authenticator: `bearertokenauth/${name}`,
    labeller: `resource/environment-${name}`,
    configPath,
  }));
}

/** The OTLP environment of `name`; a library bug if the config has none. */
export function otlpEnvironment(config: PlatformConfig, name: string): OtlpEnvironment {
  const found = otlpEnvironments(config).find((environment) => environment.name === name);
  if (!found) throw new Error(`no OTLP environment ${name} in the platform config`);
  return found;
}

/**
 * Per-request bounds on every receiver: a sender cannot make a collector buffer more than this per request
 * (the collector's memory limiter bounds the sum). 8 MiB holds a batch of 8192 data points with room to spare.
 */
export const OTLP_MAX_REQUEST_MIB = 8;

/**
 * The host's OTLP server certificate and its private CA. Both keys are made on the host at boot (lgtm-secrets)
 * on the data volume and never leave it, so a replacement host on the same volume keeps the CA that the senders
 * trust. Only the CA certificate is published, to the SSM String parameter `otlpCaParameter`, where agents and
 * ingest nodes read it.
 */
export const OTLP_TLS_DIR = `${DATA_MOUNT}/otlp-tls`;
export const OTLP_TLS_FILES = {
  caCertificate: `${OTLP_TLS_DIR}/ca.crt`,
  caKey: `${OTLP_TLS_DIR}/ca.key`,
  certificate: `${OTLP_TLS_DIR}/server.crt`,
  key: `${OTLP_TLS_DIR}/server.key`,
  /** The addresses the current server certificate names, to tell when the host's address changed. */
  names: `${OTLP_TLS_DIR}/server.names`,
} as const;

/**
 * The ingest nodes' server certificate, issued by the host from the same CA for the load balancer's names, so
 * every sender that trusts the host also verifies the nodes. Its key leaves the host only as an SSM SecureString
 * under the platform's secrets key that only the nodes' role may decrypt (otlpIngestTlsParameters).
 */
export const OTLP_INGEST_TLS_FILES = {
  certificate: `${OTLP_TLS_DIR}/ingest.crt`,
  key: `${OTLP_TLS_DIR}/ingest.key`,
  /** The load balancer names the current ingest certificate carries. */
  names: `${OTLP_TLS_DIR}/ingest.names`,
} as const;

/**
 * The SSM parameters of the ingest certificate: `names` (String, written by Terraform: `DNS:<load balancer>`),
 * `certificate` (String, public) and `key` (SecureString) written by the host, read by the nodes.
 */
export function otlpIngestTlsParameters(config: PlatformConfig): { readonly names: string; readonly certificate: string; readonly key: string } {
  const prefix = `/${config.name}/otlp-ingest-tls`;
  return { names: `${prefix}/names`, certificate: `${prefix}/certificate`, key: `${prefix}/key` };
}

/** Credential ids under which the collector reads its certificate and key (loaded by systemd from OTLP_TLS_DIR). */
export const OTLP_TLS_CREDENTIALS = { certificate: 'otlp-tls-certificate', key: 'otlp-tls-key', ca: 'otlp-ca-certificate' } as const;

/** The SSM String parameter (public: a certificate) the host publishes its OTLP CA certificate to. */
export function otlpCaParameter(config: PlatformConfig): string {
  return `/${config.name}/otlp-ca-certificate`;
}

/** TLS 1.2 or newer on every OTLP connection. */
export const OTLP_TLS_MIN_VERSION = '1.2';

/** A receiver protocol's server TLS settings. */
export function otlpServerTls(certificateFile: string, keyFile: string): Record<string, unknown> {
  return { cert_file: certificateFile, key_file: keyFile, min_version: OTLP_TLS_MIN_VERSION };
}

/** An exporter's client TLS settings: verify the server against `caFile` (never skipped). */
export function otlpClientTls(caFile: string): Record<string, unknown> {
  return { ca_file: caFile, min_version: OTLP_TLS_MIN_VERSION };
}
