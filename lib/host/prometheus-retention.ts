import type { PlatformConfig } from '../config/schema';

/**
 * Share of the data volume that Prometheus may fill before it deletes its oldest blocks; the rest is for
 * Loki, Tempo, Grafana and headroom (the HostDiskAlmostFull alert fires before the volume is full).
 */
export const PROMETHEUS_VOLUME_SHARE = 0.5;

/**
 * `--storage.tsdb.retention.size` for the configured data volume. Prometheus reads `GB` as 2^30 bytes,
 * i.e. GiB, the same unit as `dataVolumeGiB`.
 */
export function prometheusRetentionSize(config: PlatformConfig): string {
  return `${Math.max(1, Math.floor(config.host.dataVolumeGiB * PROMETHEUS_VOLUME_SHARE))}GB`;
}

/** Retention flags for the Prometheus unit: by time (`host.retention.metrics`) and by size (from `dataVolumeGiB`). */
export function prometheusRetentionFlags(config: PlatformConfig): string[] {
  return [`--storage.tsdb.retention.time=${config.host.retention.metrics}`, `--storage.tsdb.retention.size=${prometheusRetentionSize(config)}`];
}
