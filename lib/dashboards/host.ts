import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import { heldFor } from '../alerting/alert-definition';
import { alertDefinition } from '../alerting/packs';
import type { PlatformConfig } from '../config/schema';
import { dataSourceRef } from '../contracts/data-sources';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { DATA_FILESYSTEM_MATCHER } from '../contracts/selectors';
import { dashboardLink, graph, labelVariable, newDashboard, promQuery, row, singleStat, thresholds, type Dashboard } from './common';

/** ` for <how long the alert's condition must hold>` as this description renders it (alertOverrides included). */
function held(alertname: string, config: PlatformConfig): string {
  return heldFor(alertDefinition(alertname), config);
}

/** The platform's systemd units over time: active green, failed red (HostUnitFailed's series). */
function unitStates(config: PlatformConfig, sel: string): statetimeline.PanelBuilder {
  return new statetimeline.PanelBuilder()
    .title('Platform units')
    .description(
      `State of each platform systemd unit (node exporter systemd collector): failed units in red; HostUnitFailed pages when one has failed${held('HostUnitFailed', config)}.`,
    )
    .datasource(dataSourceRef('prometheus'))
    .withTarget(promQuery('A', `max by (name) (node_systemd_unit_state{state="failed", ${sel}})`, '{{name}}'))
    .mappings([{ type: dashboard.MappingType.ValueToText, options: { '0': { text: 'ok', color: 'green' }, '1': { text: 'FAILED', color: 'red' } } }])
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .span(12)
    .height(8);
}

/**
 * Node Exporter on the monitoring host: CPU (all cores and per core), memory, disk space, inodes and I/O,
 * network, load, kernel limits and clock, and the platform's systemd units. Variable: `instance`.
 * Every host alert reads at least one series drawn here, so its `dashboard_url` lands on what it fired on.
 */
export function hostDashboard(config: PlatformConfig): Dashboard {
  const t = config.alerting.thresholds;
  const sel = 'instance="$instance"';
  const fs = `${sel}, ${DATA_FILESYSTEM_MATCHER}`;
  return newDashboard('host', ['host', 'node-exporter'])
    .description('The monitoring host as Node Exporter sees it.')
    .withVariable(labelVariable('instance', 'instance', 'node_uname_info', { labelText: 'Instance' }))
    .link(dashboardLink('platform'))
    .withRow(row('Overview'))
    .withPanel(
      singleStat(
        'CPU busy',
        'Share of CPU time not idle, all cores.',
        'percentunit',
        promQuery('A', `1 - avg(rate(node_cpu_seconds_total{mode="idle", ${sel}}[$__rate_interval]))`),
      ).thresholds(
        thresholds([
          [null, 'green'],
          [t.cpuPercent / 100, 'red'],
        ]),
      ),
    )
    .withPanel(
      singleStat(
        'Memory used',
        'Share of memory not available to new programs.',
        'percentunit',
        promQuery('A', `1 - node_memory_MemAvailable_bytes{${sel}} / node_memory_MemTotal_bytes{${sel}}`),
      ).thresholds(
        thresholds([
          [null, 'green'],
          [t.memoryPercent / 100, 'red'],
        ]),
      ),
    )
    .withPanel(
      singleStat(
        'Fullest filesystem',
        'Share used of the fullest real filesystem.',
        'percentunit',
        promQuery('A', `max(1 - node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}})`),
      ).thresholds(
        thresholds([
          [null, 'green'],
          [t.diskPercent / 100, 'red'],
        ]),
      ),
    )
    .withPanel(singleStat('Uptime', 'Time since boot.', 's', promQuery('A', `node_time_seconds{${sel}} - node_boot_time_seconds{${sel}}`)))
    .withPanel(
      singleStat(
        'Node exporter scraped',
        `Whether Prometheus reaches the node exporter (HostDown pages when it has been 0${held('HostDown', config)}); every other panel is stale while it is 0.`,
        'none',
        promQuery('A', `up{job="${SCRAPE_JOBS.node}", ${sel}}`),
        24,
        3,
      )
        .mappings([{ type: dashboard.MappingType.ValueToText, options: { '0': { text: 'DOWN', color: 'red' }, '1': { text: 'UP', color: 'green' } } }])
        .graphMode(common.BigValueGraphMode.None),
    )
    .withRow(row('CPU and load'))
    .withPanel(
      graph('CPU by mode', 'CPU seconds per second by mode, averaged over cores.', 'percentunit', [
        promQuery('A', `avg by (mode) (rate(node_cpu_seconds_total{mode!="idle", ${sel}}[$__rate_interval]))`, '{{mode}}'),
      ]),
    )
    .withPanel(
      graph('CPU busy per core', 'Share of each core not idle: one hot core is a single-threaded bottleneck the average hides.', 'percentunit', [
        promQuery('A', `1 - avg by (cpu) (rate(node_cpu_seconds_total{mode="idle", ${sel}}[$__rate_interval]))`, 'core {{cpu}}'),
      ])
        .max(1)
        .min(0),
    )
    .withPanel(
      graph('Load average', 'Run-queue length against the number of cores.', 'short', [
        promQuery('A', `node_load1{${sel}}`, 'load 1m'),
        promQuery('B', `node_load5{${sel}}`, 'load 5m'),
        promQuery('C', `node_load15{${sel}}`, 'load 15m'),
        promQuery('D', `count(node_cpu_seconds_total{mode="idle", ${sel}})`, 'cores'),
      ]),
    )
    .withPanel(
      graph('Load per core', 'One-minute load divided by the cores, against the HostLoadHigh threshold.', 'short', [
        promQuery('A', `node_load1{${sel}} / on (instance) count by (instance) (node_cpu_seconds_total{mode="idle", ${sel}})`, 'load 1m per core'),
      ]).thresholds(
        thresholds([
          [null, 'green'],
          [t.loadPerCore, 'red'],
        ]),
      ),
    )
    .withRow(row('Memory'))
    .withPanel(
      graph('Memory', 'Total and available memory.', 'bytes', [
        promQuery('A', `node_memory_MemTotal_bytes{${sel}}`, 'total'),
        promQuery('B', `node_memory_MemAvailable_bytes{${sel}}`, 'available'),
      ]),
    )
    .withPanel(
      graph('Swap used', 'Swap in use.', 'bytes', [promQuery('A', `node_memory_SwapTotal_bytes{${sel}} - node_memory_SwapFree_bytes{${sel}}`, 'swap used')]),
    )
    .withPanel(
      graph(
        'Major page faults',
        'Pages read back from disk per second: memory is short when this stays high.',
        'short',
        [promQuery('A', `rate(node_vmstat_pgmajfault{${sel}}[$__rate_interval])`, 'major faults/s')],
        24,
      ),
    )
    .withRow(row('Disk'))
    .withPanel(
      graph('Disk space used', 'Share used per filesystem.', 'percentunit', [
        promQuery('A', `1 - node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}}`, '{{mountpoint}}'),
      ]),
    )
    .withPanel(
      graph('Disk I/O', 'Bytes read and written per second per device.', 'Bps', [
        promQuery('A', `rate(node_disk_read_bytes_total{${sel}}[$__rate_interval])`, 'read {{device}}'),
        promQuery('B', `rate(node_disk_written_bytes_total{${sel}}[$__rate_interval])`, 'written {{device}}'),
      ]),
    )
    .withPanel(
      graph('Disk busy', 'Share of time each device had I/O in flight.', 'percentunit', [
        promQuery('A', `rate(node_disk_io_time_seconds_total{${sel}}[$__rate_interval])`, '{{device}}'),
      ]),
    )
    .withPanel(
      graph('Disk I/O queue', 'Average requests in flight per device (iostat aqu-sz), against the HostDiskIoSaturated threshold.', 'short', [
        promQuery('A', `rate(node_disk_io_time_weighted_seconds_total{${sel}}[$__rate_interval])`, '{{device}}'),
      ]).thresholds(
        thresholds([
          [null, 'green'],
          [t.diskIoQueueLength, 'red'],
        ]),
      ),
    )
    .withPanel(
      graph(
        'Inodes used',
        'Share of inodes (files) used per filesystem.',
        'percentunit',
        [promQuery('A', `1 - node_filesystem_files_free{${fs}} / node_filesystem_files{${fs}}`, '{{mountpoint}}')],
        24,
      ),
    )
    .withRow(row('Network'))
    .withPanel(
      graph('Network traffic', 'Bytes per second per interface (loopback excluded).', 'Bps', [
        promQuery('A', `rate(node_network_receive_bytes_total{device!="lo", ${sel}}[$__rate_interval])`, 'in {{device}}'),
        promQuery('B', `rate(node_network_transmit_bytes_total{device!="lo", ${sel}}[$__rate_interval])`, 'out {{device}}'),
      ]),
    )
    .withPanel(
      graph('Network errors', 'Receive and transmit errors per second.', 'pps', [
        promQuery('A', `rate(node_network_receive_errs_total{device!="lo", ${sel}}[$__rate_interval])`, 'in {{device}}'),
        promQuery('B', `rate(node_network_transmit_errs_total{device!="lo", ${sel}}[$__rate_interval])`, 'out {{device}}'),
        promQuery('C', `rate(node_network_receive_packets_total{device!="lo", ${sel}}[$__rate_interval])`, 'packets in {{device}}'),
        promQuery('D', `rate(node_network_transmit_packets_total{device!="lo", ${sel}}[$__rate_interval])`, 'packets out {{device}}'),
      ]),
    )
    .withRow(row('Kernel limits and clock'))
    .withPanel(
      graph('File descriptors and conntrack', 'Share of fs.file-max allocated and of the connection-tracking table used.', 'percentunit', [
        promQuery('A', `node_filefd_allocated{${sel}} / node_filefd_maximum{${sel}}`, 'file descriptors'),
        promQuery('B', `node_nf_conntrack_entries{${sel}} / node_nf_conntrack_entries_limit{${sel}}`, 'conntrack entries'),
      ])
        .max(1)
        .min(0),
    )
    .withPanel(
      graph('Clock', 'Offset from the time source, estimated error, and whether the kernel calls the clock synchronised (1).', 's', [
        promQuery('A', `node_timex_offset_seconds{${sel}}`, 'offset'),
        promQuery('B', `node_timex_maxerror_seconds{${sel}}`, 'estimated error'),
        promQuery('C', `node_timex_sync_status{${sel}}`, 'synchronised'),
      ]),
    )
    .withRow(row('systemd units'))
    .withPanel(unitStates(config, sel))
    .withPanel(
      graph(
        'Unit restarts',
        `Restarts per platform unit over 5 minutes; more than 2${held('HostUnitCrashLooping', config)} is HostUnitCrashLooping.`,
        'short',
        [promQuery('A', `increase(node_systemd_service_restart_total{${sel}}[5m])`, '{{name}}')],
        8,
      ),
    )
    .withPanel(
      graph(
        'Textfile read errors',
        '1 while node exporter cannot read a textfile (the config sync reports through them): HostTextfileCollectorError.',
        'short',
        [promQuery('A', `node_textfile_scrape_error{${sel}}`, 'textfile read error')],
        4,
      )
        .max(1)
        .min(0),
    )
    .build();
}
