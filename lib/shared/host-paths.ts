/**
 * Where things live on the monitoring host: the paths more than one part of the platform names (a renderer, the
 * unit that reads its file, the install and sync scripts, the policy checks). Those parts take them from here,
 * so that a config file, the unit that reads it and the sync step that validates it can never disagree; a
 * renderer's own export of such a path (PROMETHEUS_CONFIG_PATH, ALERTMANAGER_CONFIG_PATH) is this value.
 */

/** Mount point of the encrypted data volume (metrics, logs, traces, dashboards state). */
export const DATA_MOUNT = '/var/lib/lgtm';

/** Installed programs: `/opt/lgtm/<artifact>/<version>/`, with `current` pointing at the active version. */
export const OPT_ROOT = '/opt/lgtm';

/** tmpfs directory the boot-time secret fetch writes to (root-owned, 0700; files 0600). */
export const SECRETS_DIR = '/run/lgtm-secrets';

/** Written by the bootstrap (user-data): LGTM_BUCKET, LGTM_PREFIX, AWS_REGION, DATA_VOLUME_ID. */
export const BOOTSTRAP_ENV = '/etc/lgtm/bootstrap.env';

export const PATHS = {
  installScript: '/usr/local/sbin/lgtm-install',
  syncScript: '/usr/local/sbin/lgtm-sync',
  secretsScript: '/usr/local/sbin/lgtm-secrets',
  systemdDir: '/etc/systemd/system',
  prometheusConfig: '/etc/prometheus/prometheus.yml',
  prometheusRulesDir: '/etc/prometheus/rules',
  alertmanagerConfig: '/etc/alertmanager/alertmanager.yml',
  alertmanagerTemplatesDir: '/etc/alertmanager/templates',
  blackboxConfig: '/etc/blackbox_exporter/blackbox.yml',
  lokiConfig: '/etc/loki/loki.yml',
  tempoConfig: '/etc/tempo/tempo.yml',
  otelcolConfig: '/etc/otelcol/config.yml',
  grafanaIni: '/etc/grafana/grafana.ini',
  grafanaProvisioningDir: '/etc/grafana/provisioning',
  /** Loki's ruler reads its rule files here (filesystem rule store). */
  lokiRulesDir: `${DATA_MOUNT}/loki/rules`,
  doraExporterScript: '/opt/dora-exporter/dora-exporter.js',
  doraExporterConfig: '/etc/dora-exporter/config.json',
  /** node_exporter's textfile collector directory; the sync script reports its state here. */
  textfileDir: `${DATA_MOUNT}/node_exporter/textfile`,
} as const;

/**
 * The provisioning directories Grafana reads at start. Grafana only reads them, and under ProtectSystem=strict
 * cannot create them under /etc, so the install script does (dashboards are then filled by the config sync).
 */
export const GRAFANA_PROVISIONING_DIRS = ['datasources', 'dashboards', 'plugins', 'alerting'].map((d) => `${PATHS.grafanaProvisioningDir}/${d}`);

/** Data directory of a service on the data volume. */
export function dataDir(service: string): string {
  return `${DATA_MOUNT}/${service}`;
}
