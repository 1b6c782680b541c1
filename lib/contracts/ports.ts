/**
 * Every port a program on the host listens on. Internal ports bind 127.0.0.1; only Grafana and the collector's
 * OTLP receivers face the network, and the security group limits who reaches them.
 */
export const PORTS = {
  prometheus: 9090,
  alertmanager: 9093,
  nodeExporter: 9100,
  blackboxExporter: 9115,
  loki: 3100,
  lokiGrpc: 9096,
  tempo: 3200,
  tempoGrpc: 9095,
  /** Tempo's own OTLP gRPC receiver, fed by the collector on loopback. */
  tempoOtlpGrpc: 4417,
  /** The first environment's OTLP receivers; each further environment takes the next pair (lib/telemetry/otlp-sources.ts). */
  otlpGrpc: 4317,
  otlpHttp: 4318,
  otelcolMetrics: 8888,
  otelcolHealth: 13133,
  doraExporter: 9491,
  /** Gossip ring of Loki (`scale: distributed`), on loopback: one Loki process (see lib/telemetry/loki.ts). */
  lokiMemberlist: 7946,
  /** Gossip ring of Tempo (`scale: distributed`); apart from Loki's, as both run on the host. */
  tempoMemberlist: 7947,
} as const;
