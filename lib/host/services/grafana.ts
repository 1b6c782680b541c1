import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { PATHS, dataDir } from '../../shared/host-paths';
import { dirOf } from './common';
import type { HostServiceDescriptor } from './types';

const GRAFANA_HOME = '/opt/lgtm/grafana/current';

/**
 * Grafana applies `admin_password` only when it creates its database, so a rotated SSM parameter would lock
 * the Grafana stack (which logs in with the new value) out. Before every start, `grafana cli admin
 * reset-admin-password --password-from-stdin` (grafana/grafana pkg/cmd/grafana-cli/commands: adminCommands)
 * sets the admin password to the credential, read on stdin so it never shows in argv. `-`: on the first boot
 * there is no admin yet (Grafana creates it from admin_password right after), and that failure must not stop
 * the start. `$$` is systemd's escape for a literal `$`.
 */
function grafanaAdminPasswordReset(grafana: string): string {
  const cli = `exec "$$0" cli --homepath=${GRAFANA_HOME} --config=${PATHS.grafanaIni} admin reset-admin-password --password-from-stdin`;
  return `-/bin/sh -c '${cli} <"$$CREDENTIALS_DIRECTORY/grafana-admin-password"' ${grafana}`;
}

export const grafana: HostServiceDescriptor = {
  unit: 'grafana-server',
  description: 'Grafana',
  artifact: 'grafana',
  user: 'grafana',
  uid: 827,
  files: {
    dirs: [dirOf(PATHS.grafanaIni)],
    mirrored: [`${PATHS.grafanaProvisioningDir}/dashboards`],
    // Grafana has no check mode for grafana.ini; its keys are checked at render against the allowlist read from
    // Grafana's source (__tests__/scale/allowlists/).
    checker: { kind: 'none', reason: 'Grafana refuses a broken ini at start and keeps logging why' },
  },
  reload: { kind: 'restart' },
  ports: (config) => [{ port: config.host.grafanaPort, what: 'web UI and API', reach: ['grafana-users'], health: '/api/health', metrics: true }],
  scrapeJob: SCRAPE_JOBS.grafana,
  sampleLimit: 20_000,
  // With host.grafanaTls it only speaks HTTPS: the certificate is checked against its domain, or (issued for the
  // bare address) accepted on loopback, where there is nobody in between to check for.
  scrapeSettings: (config) => {
    const tls = config.host.grafanaTls;
    return tls ? { scheme: 'https', tls_config: tls.domain ? { server_name: tls.domain } : { insecure_skip_verify: true } } : {};
  },
  downAlert: 'PlatformComponentDown',
  unitSettings: ({ config, bin }) => ({
    exec: [bin('grafana', 'grafana'), 'server', `--homepath=${GRAFANA_HOME}`, `--config=${PATHS.grafanaIni}`],
    dataDir: dataDir('grafana'),
    // With scale: distributed it queries AMP (SigV4).
    instanceMetadata: config.scale === 'distributed',
    extra: { ExecStartPre: [grafanaAdminPasswordReset(bin('grafana', 'grafana'))] },
  }),
};
