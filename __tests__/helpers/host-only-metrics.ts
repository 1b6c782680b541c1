/**
 * Node exporter metrics that exist only where the kernel or the init system provides them: conntrack needs the
 * nf_conntrack module loaded, the systemd collector needs systemd answering on the system D-Bus (the monitoring
 * host has both; a test machine or container may have neither). Live tests that run node exporter outside the
 * host assert for these that their collector is enabled instead of requiring their series. Their names are those
 * of node exporter's collector/conntrack_linux.go and collector/systemd_linux.go at the pinned version.
 */
export const HOST_ONLY_METRICS: Readonly<Record<string, string>> = {
  node_nf_conntrack_entries: 'conntrack',
  node_nf_conntrack_entries_limit: 'conntrack',
  node_systemd_unit_state: 'systemd',
  node_systemd_service_restart_total: 'systemd',
};

/** Whether a PromQL expression reads only host-only metrics (so it may return nothing off the host). */
export function readsOnlyHostOnlyMetrics(metrics: readonly string[]): boolean {
  return metrics.length > 0 && metrics.every((metric) => metric in HOST_ONLY_METRICS);
}
