import { PORTS } from '../../contracts/ports';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { PATHS, dataDir } from '../../shared/host-paths';
import { dirOf } from './common';
import type { HostServiceDescriptor } from './types';

const DORA_DIRS = [dirOf(PATHS.doraExporterConfig), dirOf(PATHS.doraExporterScript)];

export const doraExporter: HostServiceDescriptor = {
  unit: 'dora-exporter',
  description: 'DORA metrics exporter (GitHub Actions deployments to Prometheus)',
  artifact: 'node',
  user: 'dora-exporter',
  uid: 828,
  runsWhen: (config) => config.dora !== undefined,
  files: {
    dirs: DORA_DIRS,
    checker: {
      kind: 'command',
      tools: [{ variable: 'NODE', artifact: 'node', executable: 'node' }],
      covers: DORA_DIRS.flatMap((dir) => [`${dir}/*.json`, `${dir}/*.js`]),
      bash: [
        'for rel in "${files[@]}"; do',
        '  case "$rel" in',
        `    *.json) "$NODE" -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$NEW/$rel" || return 1 ;;`,
        '    *.js) "$NODE" --check "$NEW/$rel" || return 1 ;;',
        '  esac',
        'done',
      ],
    },
  },
  reload: { kind: 'restart' },
  ports: () => [{ port: PORTS.doraExporter, what: 'metrics', reach: ['loopback'], health: '/healthz', metrics: true }],
  scrapeJob: SCRAPE_JOBS.dora,
  sampleLimit: 10_000,
  downAlert: 'DoraExporterDown',
  unitSettings: ({ bin }) => ({
    exec: [bin('node', 'node'), PATHS.doraExporterScript, '--config', PATHS.doraExporterConfig],
    dataDir: dataDir('dora-exporter'),
    needsWxMemory: true,
    extra: { Environment: ['NODE_ENV=production'] },
  }),
};
