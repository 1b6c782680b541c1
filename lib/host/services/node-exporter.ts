import { PORTS } from '../../contracts/ports';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { PATHS } from '../../shared/host-paths';
import { LOOPBACK_ONLY, loopback } from './common';
import type { HostServiceDescriptor } from './types';

/** No configuration file: its flags are its config, so a change of them is a change of its unit. */
export const nodeExporter: HostServiceDescriptor = {
  unit: 'node_exporter',
  description: 'Prometheus Node Exporter (host metrics)',
  artifact: 'node_exporter',
  user: 'node_exporter',
  uid: 822,
  reload: { kind: 'restart' },
  ports: () => [{ port: PORTS.nodeExporter, what: 'metrics', reach: ['loopback'], health: '/metrics', metrics: true }],
  scrapeJob: SCRAPE_JOBS.node,
  sampleLimit: 10_000,
  downAlert: 'HostDown',
  unitSettings: ({ bin }) => ({
    exec: [
      bin('node_exporter', 'node_exporter'),
      `--web.listen-address=${loopback(PORTS.nodeExporter)}`,
      `--collector.textfile.directory=${PATHS.textfileDir}`,
    ],
    extraAddressFamilies: ['AF_NETLINK'],
    reportsOnHost: true,
    extra: LOOPBACK_ONLY,
  }),
};
