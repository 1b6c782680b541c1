import type { PlatformConfig } from '../lib/config/schema';
import { dashboardLink, graph, labelVariable, newDashboard, promQuery, row, singleStat, thresholds, type Dashboard } from './common';

/** Node Exporter on the monitoring host: CPU, memory, disk space and I/O, network, load. Variable: `instance`. */
export function hostDashboard(config: PlatformConfig): Dashboard {
  const t = config.alerting.thresholds;
  const sel = 'instance="$instance"';
  const fs = `${sel}, fstype!~"tmpfs|overlay|squashfs|ramfs"`;
  return newDashboard('host', ['host', 'node-exporter'])
    .description('The monitoring host as Node Exporter sees it.')
    .withVariable(labelVariable('instance', 'instance', 'node_uname_info', { labelText: 'Instance' }))
    .link(dashboardLink('platform'))
    .withRow(row('Overview'))
    .withPanel(
      singleStat('CPU busy', 'Share of CPU time not idle, all cores.', 'percentunit',
        promQuery('A', `1 - avg(rate(node_cpu_seconds_total{mode="idle", ${sel}}[$__rate_interval]))`))
        .thresholds(thresholds([[null, 'green'], [t.cpuPercent / 100, 'red']])),
    )
    .withPanel(
      singleStat('Memory used', 'Share of memory not available to new programs.', 'percentunit',
        promQuery('A', `1 - node_memory_MemAvailable_bytes{${sel}} / node_memory_MemTotal_bytes{${sel}}`))
        .thresholds(thresholds([[null, 'green'], [t.memoryPercent / 100, 'red']])),
    )
    .withPanel(
      singleStat('Fullest filesystem', 'Share used of the fullest real filesystem.', 'percentunit',
        promQuery('A', `max(1 - node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}})`))
        .thresholds(thresholds([[null, 'green'], [t.diskPercent / 100, 'red']])),
    )
    .withPanel(singleStat('Uptime', 'Time since boot.', 's', promQuery('A', `node_time_seconds{${sel}} - node_boot_time_seconds{${sel}}`)))
    .withRow(row('CPU and load'))
    .withPanel(graph('CPU by mode', 'CPU seconds per second by mode, averaged over cores.', 'percentunit', [
      promQuery('A', `avg by (mode) (rate(node_cpu_seconds_total{mode!="idle", ${sel}}[$__rate_interval]))`, '{{mode}}'),
    ]))
    .withPanel(graph('Load average', 'Run-queue length against the number of cores.', 'short', [
      promQuery('A', `node_load1{${sel}}`, 'load 1m'),
      promQuery('B', `node_load5{${sel}}`, 'load 5m'),
      promQuery('C', `node_load15{${sel}}`, 'load 15m'),
      promQuery('D', `count(node_cpu_seconds_total{mode="idle", ${sel}})`, 'cores'),
    ]))
    .withRow(row('Memory'))
    .withPanel(graph('Memory', 'Total and available memory.', 'bytes', [
      promQuery('A', `node_memory_MemTotal_bytes{${sel}}`, 'total'),
      promQuery('B', `node_memory_MemAvailable_bytes{${sel}}`, 'available'),
    ]))
    .withPanel(graph('Swap used', 'Swap in use.', 'bytes', [
      promQuery('A', `node_memory_SwapTotal_bytes{${sel}} - node_memory_SwapFree_bytes{${sel}}`, 'swap used'),
    ]))
    .withRow(row('Disk'))
    .withPanel(graph('Disk space used', 'Share used per filesystem.', 'percentunit', [
      promQuery('A', `1 - node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}}`, '{{mountpoint}}'),
    ]))
    .withPanel(graph('Disk I/O', 'Bytes read and written per second per device.', 'Bps', [
      promQuery('A', `rate(node_disk_read_bytes_total{${sel}}[$__rate_interval])`, 'read {{device}}'),
      promQuery('B', `rate(node_disk_written_bytes_total{${sel}}[$__rate_interval])`, 'written {{device}}'),
    ]))
    .withPanel(graph('Disk busy', 'Share of time each device had I/O in flight.', 'percentunit', [
      promQuery('A', `rate(node_disk_io_time_seconds_total{${sel}}[$__rate_interval])`, '{{device}}'),
    ], 24))
    .withRow(row('Network'))
    .withPanel(graph('Network traffic', 'Bytes per second per interface (loopback excluded).', 'Bps', [
      promQuery('A', `rate(node_network_receive_bytes_total{device!="lo", ${sel}}[$__rate_interval])`, 'in {{device}}'),
      promQuery('B', `rate(node_network_transmit_bytes_total{device!="lo", ${sel}}[$__rate_interval])`, 'out {{device}}'),
    ]))
    .withPanel(graph('Network errors', 'Receive and transmit errors per second.', 'pps', [
      promQuery('A', `rate(node_network_receive_errs_total{device!="lo", ${sel}}[$__rate_interval])`, 'in {{device}}'),
      promQuery('B', `rate(node_network_transmit_errs_total{device!="lo", ${sel}}[$__rate_interval])`, 'out {{device}}'),
    ]))
    .build();
}
