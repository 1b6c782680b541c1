import { OPERATOR_REACHED, operatorUrl } from '../../contracts/operator-reach';
import { PORTS } from '../../contracts/ports';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { PATHS, dataDir } from '../../shared/host-paths';
import { agentTargets } from '../../agent/targets';
import { prometheusRetentionFlags } from '../prometheus-retention';
import { dirOf, loopback } from './common';
import type { HostServiceDescriptor } from './types';

export const prometheus: HostServiceDescriptor = {
  unit: 'prometheus',
  description: 'Prometheus metrics store and rule evaluator',
  artifact: 'prometheus',
  user: 'prometheus',
  uid: 820,
  files: {
    dirs: [dirOf(PATHS.prometheusConfig)],
    mirrored: [PATHS.prometheusRulesDir],
    checker: {
      kind: 'command',
      tools: [{ variable: 'PROMTOOL', artifact: 'prometheus', executable: 'promtool' }],
      covers: [PATHS.prometheusConfig, `${PATHS.prometheusRulesDir}/*`],
      bash: [
        'local rules=()',
        `for rel in "\${files[@]}"; do [[ "$rel" == ${PATHS.prometheusRulesDir.slice(1)}/* ]] && rules+=("$NEW/$rel"); done`,
        'if ((${#rules[@]})); then "$PROMTOOL" check rules "${rules[@]}" || return 1; fi',
        `if [[ -f "$NEW${PATHS.prometheusConfig}" ]]; then`,
        `  "$PROMTOOL" check config "$(candidate_copy ${PATHS.prometheusConfig.slice(1)} ${dirOf(PATHS.prometheusConfig).slice(1)})" || return 1`,
        'fi',
      ],
    },
  },
  reload: { kind: 'signal' },
  ports: () => [{ port: PORTS.prometheus, what: 'web UI, API and remote-write receiver', reach: ['loopback'], health: '/-/ready', metrics: true }],
  scrapeJob: SCRAPE_JOBS.prometheus,
  sampleLimit: 20_000,
  downAlert: 'PlatformComponentDown',
  unitSettings: ({ config, bin }) => ({
    exec: [
      bin('prometheus', 'prometheus'),
      `--config.file=${PATHS.prometheusConfig}`,
      `--storage.tsdb.path=${dataDir('prometheus')}`,
      ...prometheusRetentionFlags(config),
      `--web.listen-address=${loopback(PORTS.prometheus)}`,
      // Alert source links point at the operator's end of an SSM port forward (lib/contracts/operator-reach.ts).
      `--web.external-url=${operatorUrl(OPERATOR_REACHED.prometheus)}`,
      // No --web.enable-lifecycle: it would let any local process POST /-/quit. The sync reloads by SIGHUP.
      '--web.enable-remote-write-receiver',
      '--enable-feature=exemplar-storage',
    ],
    dataDir: dataDir('prometheus'),
    // With scale: distributed it writes to AMP (SigV4); app-server agents are found by EC2 discovery.
    instanceMetadata: config.scale === 'distributed' || agentTargets(config).length > 0,
  }),
};
