import { OPERATOR_REACHED, operatorUrl } from '../../contracts/operator-reach';
import { PORTS } from '../../contracts/ports';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { PATHS, dataDir } from '../../shared/host-paths';
import { dirOf, loopback } from './common';
import type { HostServiceDescriptor } from './types';

export const alertmanager: HostServiceDescriptor = {
  unit: 'alertmanager',
  description: 'Prometheus Alertmanager',
  artifact: 'alertmanager',
  user: 'alertmanager',
  uid: 821,
  files: {
    dirs: [dirOf(PATHS.alertmanagerConfig)],
    mirrored: [PATHS.alertmanagerTemplatesDir],
    checker: {
      kind: 'command',
      tools: [{ variable: 'AMTOOL', artifact: 'alertmanager', executable: 'amtool' }],
      // amtool check-config also parses the templates the config names (candidate_copy points it at the candidates).
      covers: [PATHS.alertmanagerConfig, `${PATHS.alertmanagerTemplatesDir}/*`],
      bash: [
        `if [[ -f "$NEW${PATHS.alertmanagerConfig}" ]]; then`,
        `  "$AMTOOL" check-config "$(candidate_copy ${PATHS.alertmanagerConfig.slice(1)} ${dirOf(PATHS.alertmanagerConfig).slice(1)})" || return 1`,
        'fi',
      ],
    },
  },
  reload: { kind: 'http', url: `http://${loopback(PORTS.alertmanager)}/-/reload` },
  ports: () => [{ port: PORTS.alertmanager, what: 'web UI and API', reach: ['loopback'], health: '/-/ready', metrics: true }],
  scrapeJob: SCRAPE_JOBS.alertmanager,
  sampleLimit: 5_000,
  downAlert: 'PlatformComponentDown',
  unitSettings: ({ bin }) => ({
    exec: [
      bin('alertmanager', 'alertmanager'),
      `--config.file=${PATHS.alertmanagerConfig}`,
      `--storage.path=${dataDir('alertmanager')}`,
      `--web.listen-address=${loopback(PORTS.alertmanager)}`,
      // Silence links in notifications point at the operator's end of an SSM port forward.
      `--web.external-url=${operatorUrl(OPERATOR_REACHED.alertmanager)}`,
      // A single instance: no gossip port.
      '--cluster.listen-address=',
    ],
    dataDir: dataDir('alertmanager'),
  }),
};
