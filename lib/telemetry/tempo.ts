import { dump } from 'js-yaml';
import type { PlatformConfig } from '../config/schema';
import { placeholderScaleEndpoints, type ScaleEndpoints } from '../contracts/scale-endpoints';
import type { HostContext, HostFile } from '../shared/host-file';
import { PORTS } from '../contracts/ports';
import { EXEMPLAR_TRACE_ID_LABEL } from '../contracts/data-sources';
import { PATHS, dataDir } from '../shared/host-paths';
import { hours } from './loki';

/**
 * Where each ring a single Tempo process joins reads the address it advertises to its peers (Tempo v2.10.8:
 * modules/ingester/config.go embeds dskit's ring.LifecyclerConfig, `address`; the generator's pkg/ring Config
 * (modules/generator/config.go), modules/distributor/distributor_ring.go and modules/compactor/compactor_ring.go,
 * `ring.instance_addr`).
 * Unset, dskit looks the address up on the interfaces `eth0`/`en0` (AL2023 names them `ens5`) through
 * netlink, and a found private address is unreachable while gRPC listens on 127.0.0.1: the distributor could
 * not push to the ingester or the generator. Each must therefore be the gRPC listen address; the config sync
 * refuses a tempo.yml where one is not (lib/host/config-sync.ts).
 */
export const TEMPO_RING_ADDRESS_KEYS = [
  'ingester.lifecycler.address',
  'metrics_generator.ring.instance_addr',
  'distributor.ring.instance_addr',
  'compactor.ring.instance_addr',
] as const;

/** The gRPC address every Tempo ring advertises: the one gRPC listens on. */
export const TEMPO_GRPC_ADDRESS = '127.0.0.1';

/** `TEMPO_RING_ADDRESS_KEYS` whose value in a parsed tempo.yml is not `server.grpc_listen_address`, with what was found. */
export function tempoRingAddressProblems(doc: unknown): string[] {
  const at = (path: string) =>
    path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), doc);
  const listen = at('server.grpc_listen_address');
  return TEMPO_RING_ADDRESS_KEYS.filter((key) => at(key) === undefined || at(key) !== listen).map(
    (key) => `${key} is ${JSON.stringify(at(key) ?? null)}; every ring must advertise server.grpc_listen_address (${JSON.stringify(listen ?? null)})`,
  );
}

/**
 * Tempo as one process on loopback: local block storage on the data volume, retention
 * `host.retention.traces`, OTLP gRPC from the collector on 127.0.0.1:4417, and the metrics-generator
 * producing span metrics and service graphs, remote-written into Prometheus.
 */
export function renderTempoConfig(config: PlatformConfig, context?: HostContext): string {
  const root = dataDir('tempo');
  const doc: Record<string, unknown> = {
    stream_over_http_enabled: true,
    server: {
      http_listen_address: '127.0.0.1',
      http_listen_port: PORTS.tempo,
      grpc_listen_address: TEMPO_GRPC_ADDRESS,
      grpc_listen_port: PORTS.tempoGrpc,
      log_level: 'info',
    },
    memberlist: { bind_addr: ['127.0.0.1'] },
    distributor: {
      receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${PORTS.tempoOtlpGrpc}` } } } },
      ring: { instance_addr: TEMPO_GRPC_ADDRESS },
    },
    ingester: { max_block_duration: '5m', lifecycler: { address: TEMPO_GRPC_ADDRESS } },
    compactor: { compaction: { block_retention: hours(config.host.retention.traces) }, ring: { instance_addr: TEMPO_GRPC_ADDRESS } },
    metrics_generator: {
      ring: { instance_addr: TEMPO_GRPC_ADDRESS },
      registry: { external_labels: { source: 'tempo' } },
      storage: {
        path: `${root}/generator/wal`,
        remote_write: [{ url: `http://127.0.0.1:${PORTS.prometheus}/api/v1/write`, send_exemplars: true }],
      },
      traces_storage: { path: `${root}/generator/traces` },
    },
    storage: {
      trace: {
        backend: 'local',
        wal: { path: `${root}/wal` },
        local: { path: `${root}/blocks` },
      },
    },
    overrides: {
      defaults: { metrics_generator: { processors: ['service-graphs', 'span-metrics', 'local-blocks'], trace_id_label_name: EXEMPLAR_TRACE_ID_LABEL } },
    },
    usage_report: { reporting_enabled: false },
  };
  const scale = config.scale === 'distributed' ? (context?.scale ?? placeholderScaleEndpoints(config)) : undefined;
  if (scale) Object.assign(doc, tempoObjectStorage(root, scale));
  return `# Rendered by the LGTM platform from config/platform.yaml; do not edit on the host.\n${dump(doc, { lineWidth: -1, noRefs: true })}`;
}

/**
 * `scale: distributed`: blocks live in the S3 bucket (instance-role credentials), the WAL stays on the data
 * volume, and the rings keep their state in memberlist on their own port (Loki's is 7946). Still one process:
 * memberlist binds and every ring advertises 127.0.0.1, so a Tempo on another node could neither join nor be
 * reached; scaling Tempo out needs per-node bind and advertise addresses and join_members naming real peers,
 * which this file does not render. The distributor's OTLP receiver stays on loopback with ingest nodes too: their
 * traces arrive through the host collector's TLS receiver. Every key is checked
 * against Tempo's config structs at the pinned tag (__tests__/scale/allowlists/tempo.json).
 */
function tempoObjectStorage(root: string, scale: ScaleEndpoints): Record<string, unknown> {
  return {
    memberlist: {
      bind_addr: ['127.0.0.1'],
      bind_port: PORTS.tempoMemberlist,
      join_members: [`127.0.0.1:${PORTS.tempoMemberlist}`],
    },
    storage: {
      trace: {
        backend: 's3',
        wal: { path: `${root}/wal` },
        s3: { bucket: scale.tempoBucket, endpoint: `s3.${scale.region}.amazonaws.com`, region: scale.region },
      },
    },
  };
}

export function renderTempoFiles(config: PlatformConfig, context?: HostContext): HostFile[] {
  return [{ path: PATHS.tempoConfig, content: renderTempoConfig(config, context) }];
}
