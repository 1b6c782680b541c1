import { PORTS } from '../../contracts/ports';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { PATHS, dataDir } from '../../shared/host-paths';
import { dirOf } from './common';
import type { HostServiceDescriptor } from './types';

export const loki: HostServiceDescriptor = {
  unit: 'loki',
  description: 'Grafana Loki (logs)',
  artifact: 'loki',
  user: 'loki',
  uid: 824,
  files: {
    dirs: [dirOf(PATHS.lokiConfig)],
    checker: {
      kind: 'command',
      tools: [{ variable: 'LOKI', artifact: 'loki', executable: 'loki' }],
      covers: [PATHS.lokiConfig],
      bash: [`"$LOKI" "-config.file=$NEW${PATHS.lokiConfig}" -verify-config || return 1`],
    },
  },
  reload: { kind: 'restart' },
  ports: (config) => [
    { port: PORTS.loki, what: 'HTTP API (push, query)', reach: ['loopback'], health: '/ready', metrics: true },
    { port: PORTS.lokiGrpc, what: 'gRPC', reach: ['loopback'] },
    ...(config.scale === 'distributed' ? [{ port: PORTS.lokiMemberlist, what: 'memberlist ring', reach: ['loopback'] } as const] : []),
  ],
  scrapeJob: SCRAPE_JOBS.loki,
  sampleLimit: 20_000,
  downAlert: 'PlatformComponentDown',
  unitSettings: ({ config, bin }) => ({
    exec: [bin('loki', 'loki'), `-config.file=${PATHS.lokiConfig}`],
    dataDir: dataDir('loki'),
    // With scale: distributed its chunks live in S3.
    instanceMetadata: config.scale === 'distributed',
  }),
};
