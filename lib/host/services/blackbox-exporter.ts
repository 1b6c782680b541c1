import { PORTS } from '../../contracts/ports';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { PATHS } from '../../shared/host-paths';
import { dirOf, loopback } from './common';
import type { HostServiceDescriptor } from './types';

export const blackboxExporter: HostServiceDescriptor = {
  unit: 'blackbox_exporter',
  description: 'Prometheus Blackbox Exporter (probes)',
  artifact: 'blackbox_exporter',
  user: 'blackbox_exporter',
  uid: 823,
  files: {
    dirs: [dirOf(PATHS.blackboxConfig)],
    checker: {
      kind: 'command',
      tools: [{ variable: 'BLACKBOX', artifact: 'blackbox_exporter', executable: 'blackbox_exporter' }],
      covers: [PATHS.blackboxConfig],
      bash: [`"$BLACKBOX" --config.check "--config.file=$NEW${PATHS.blackboxConfig}" || return 1`],
    },
  },
  reload: { kind: 'http', url: `http://${loopback(PORTS.blackboxExporter)}/-/reload` },
  ports: () => [{ port: PORTS.blackboxExporter, what: 'probes and metrics', reach: ['loopback'], health: '/-/healthy', metrics: true }],
  scrapeJob: SCRAPE_JOBS.blackbox,
  sampleLimit: 2_000,
  downAlert: 'PlatformComponentDown',
  unitSettings: ({ bin }) => ({
    exec: [bin('blackbox_exporter', 'blackbox_exporter'), `--config.file=${PATHS.blackboxConfig}`, `--web.listen-address=${loopback(PORTS.blackboxExporter)}`],
    // ICMP probes need raw sockets, and nothing else.
    extra: { AmbientCapabilities: ['CAP_NET_RAW'], CapabilityBoundingSet: ['CAP_NET_RAW'] },
  }),
};
