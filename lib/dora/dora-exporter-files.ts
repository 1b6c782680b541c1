import type { PlatformConfig } from '../config/schema';
import { PACKAGE_ROOT } from '../package-root';
import type { HostFile } from '../shared/host-file';
import { dataDir } from '../shared/host-paths';
import { PORTS } from '../contracts/ports';
import { credentialPath } from '../host/secrets';
import { loadDoraExporterBundle } from './dora-exporter-bundle';
import type { ExporterConfig } from './exporter/config';

/** The GitHub token read from `dora.githubTokenParameter` (SSM) at boot, handed to the unit as a systemd credential. */
export const DORA_TOKEN_FILE = credentialPath('dora-exporter', 'github-token');
/** The exporter's state file (processed runs, cumulative totals), on the data volume so it outlives the instance. */
export const DORA_STATE_FILE = `${dataDir('dora-exporter')}/state.json`;
export const DORA_CONFIG_FILE = '/etc/dora-exporter/config.json';
/** The whole exporter, prom-client included, as one CommonJS file: `node /opt/dora-exporter/dora-exporter.js --config FILE`. */
export const DORA_PROGRAM_FILE = '/opt/dora-exporter/dora-exporter.js';

/** The exporter's config file content for a platform config with `dora` set. */
export function renderDoraExporterConfig(config: PlatformConfig): string {
  const dora = config.dora;
  if (!dora) throw new Error('renderDoraExporterConfig needs config.dora');
  const exporter: ExporterConfig = {
    apiUrl: dora.apiUrl.replace(/\/+$/, ''),
    tokenFile: DORA_TOKEN_FILE,
    stateFile: DORA_STATE_FILE,
    listen: { host: '127.0.0.1', port: PORTS.doraExporter },
    pollIntervalSeconds: dora.pollIntervalSeconds,
    incidentLabel: dora.incidentLabel,
    rollbackMarkers: dora.rollbackMarkers,
    lookbackDays: 30,
    perPage: 100,
    timeToRestoreFrom: dora.timeToRestoreFrom,
    repositories: dora.repositories.map((r) => ({
      repo: r.repo,
      deployWorkflow: r.deployWorkflow,
      environment: r.environment,
      ...(r.branch ? { branch: r.branch } : {}),
      ...(r.deployRef ? { deployRef: r.deployRef } : {}),
    })),
  };
  return `${JSON.stringify(exporter, null, 2)}\n`;
}

let bundled: string | undefined;

/** The exporter program (see loadDoraExporterBundle), loaded once per process: synth and render call this for every stack. */
export function bundleDoraExporter(): string {
  bundled ??= loadDoraExporterBundle(PACKAGE_ROOT);
  return bundled;
}

/** The exporter's files on the host; none when `dora` is not configured. */
export function renderDoraExporterFiles(config: PlatformConfig): HostFile[] {
  if (!config.dora) return [];
  return [
    { path: DORA_CONFIG_FILE, content: renderDoraExporterConfig(config), mode: '0644' },
    { path: DORA_PROGRAM_FILE, content: bundleDoraExporter(), mode: '0755' },
  ];
}
