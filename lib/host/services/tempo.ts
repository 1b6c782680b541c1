import { PORTS } from '../../contracts/ports';
import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { PATHS, dataDir } from '../../shared/host-paths';
import { TEMPO_RING_ADDRESS_KEYS } from '../../telemetry/tempo';
import { LOOPBACK_ONLY, dirOf } from './common';
import type { HostServiceDescriptor } from './types';

const RINGS_ADVERTISE_GRPC_ADDRESS = `# tempo -config.verify accepts rings that advertise an address gRPC does not listen on (or none, which dskit
# then looks up on eth0/en0): the distributor could not reach the ingester or the generator. Refuse those.
tempo_rings_advertise_grpc_address() {
  local leaves listen key addr status=0
  leaves="$(yaml_leaves "$1")"
  listen="$(awk -F= '$1 == "server.grpc_listen_address" { print substr($0, length($1) + 2); exit }' <<<"$leaves")"
  for key in ${TEMPO_RING_ADDRESS_KEYS.join(' ')}; do
    addr="$(awk -F= -v key="$key" '$1 == key { print substr($0, length($1) + 2); exit }' <<<"$leaves")"
    if [[ -z "$addr" || "$addr" != "$listen" ]]; then
      echo "tempo.yml: $key is \${addr:-unset}; every ring must advertise server.grpc_listen_address (\${listen:-unset})"
      status=1
    fi
  done
  return "$status"
}`;

export const tempo: HostServiceDescriptor = {
  unit: 'tempo',
  description: 'Grafana Tempo (traces)',
  artifact: 'tempo',
  user: 'tempo',
  uid: 825,
  files: {
    dirs: [dirOf(PATHS.tempoConfig)],
    checker: {
      kind: 'command',
      tools: [{ variable: 'TEMPO', artifact: 'tempo', executable: 'tempo' }],
      covers: [PATHS.tempoConfig],
      bash: [
        `"$TEMPO" "-config.file=$NEW${PATHS.tempoConfig}" -config.verify || return 1`,
        `tempo_rings_advertise_grpc_address "$NEW${PATHS.tempoConfig}" || return 1`,
      ],
      functions: RINGS_ADVERTISE_GRPC_ADDRESS,
    },
  },
  reload: { kind: 'restart' },
  ports: (config) => [
    { port: PORTS.tempo, what: 'HTTP API (query)', reach: ['loopback'], health: '/ready', metrics: true },
    { port: PORTS.tempoGrpc, what: 'gRPC', reach: ['loopback'] },
    // Fed by the host collector only, in every mode: the ingest nodes send their traces through its TLS receivers.
    { port: PORTS.tempoOtlpGrpc, what: 'OTLP gRPC receiver', reach: ['loopback'] },
    ...(config.scale === 'distributed' ? [{ port: PORTS.tempoMemberlist, what: 'memberlist ring', reach: ['loopback'] } as const] : []),
  ],
  scrapeJob: SCRAPE_JOBS.tempo,
  sampleLimit: 20_000,
  downAlert: 'PlatformComponentDown',
  unitSettings: ({ config, bin }) => ({
    exec: [bin('tempo', 'tempo'), `-config.file=${PATHS.tempoConfig}`],
    dataDir: dataDir('tempo'),
    // With scale: distributed its blocks live in S3.
    instanceMetadata: config.scale === 'distributed',
    // dskit lists the network interfaces (netlink) at start, even with every ring address set.
    extraAddressFamilies: ['AF_NETLINK'],
    // On one host Tempo talks to loopback only; with scale: distributed it reaches S3 for its blocks.
    ...(config.scale === 'distributed' ? {} : { extra: LOOPBACK_ONLY }),
  }),
};
