/**
 * Where the telemetry agent lives on an app server. Everything is under its own names (`lgtm-agent`), so it
 * never collides with what the app server already runs (its own node_exporter, say).
 */
export const AGENT_OPT_ROOT = '/opt/lgtm-agent';
export const AGENT_STATE_DIR = '/var/lib/lgtm-agent';

export const AGENT_PATHS = {
  installScript: '/usr/local/sbin/lgtm-agent-install',
  otelcolConfig: '/etc/lgtm-agent/otelcol.yml',
  /** Written by the install script from the association's parameter: `LGTM_MONITORING_HOST=<private IP>`. */
  environmentFile: '/etc/lgtm-agent/agent.env',
  /** The OTLP bearer token, read from SSM by the install script (root only; the collector's systemd credential). */
  otlpToken: '/etc/lgtm-agent/otlp-token',
  /** The monitoring host's OTLP CA certificate (public), read from SSM by the install script. */
  otlpCaCertificate: '/etc/lgtm-agent/otlp-ca.crt',
  /** The collector's persistent queue and log read positions (file_storage extension). */
  otelcolStorage: `${AGENT_STATE_DIR}/otelcol`,
  systemdDir: '/etc/systemd/system',
} as const;

/** The agent's units (without `.service`) and the system users they run as. */
export const AGENT_UNITS = {
  nodeExporter: { unit: 'lgtm-agent-node-exporter', user: 'lgtm-node-exporter' },
  otelcol: { unit: 'lgtm-agent-otelcol', user: 'lgtm-otelcol' },
} as const;

/** The environment variable the agent's collector config reads the monitoring host's address from. */
export const MONITORING_HOST_VARIABLE = 'LGTM_MONITORING_HOST';

/** The instance metadata service: the collector's resourcedetection (ec2) asks it for the instance's identity. */
export const IMDS_ADDRESS = '169.254.169.254';
