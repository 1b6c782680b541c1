import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { DATA_FILESYSTEM_MATCHER, jobMatcher, monitoringHostSelector } from '../../contracts/selectors';
import { criticalTier, staticAlert } from '../alert-definition';
import {
  EXAMPLE_HOST,
  blockDevice,
  disk,
  diskSeries,
  fires,
  inodeSeries,
  input,
  lokiUnit,
  nic,
  node,
  prometheusUnit,
  quiet,
  syncUnit,
  twoCores,
} from './example-series';

/** The host pack: the monitoring host's (and the app servers') node exporter series. */

const HOST = ['instance'];
/** Filesystem alerts: one per real filesystem. */
const FILESYSTEM = [...HOST, 'mountpoint', 'device'];
/** One systemd unit of the platform (`name` is the unit, e.g. `prometheus.service`). */
const UNIT = [...HOST, 'name'];

const NODE = jobMatcher(SCRAPE_JOBS.node);
const FS = `${NODE},${DATA_FILESYSTEM_MATCHER}`;
/** Appended to a filesystem condition: read-only filesystems cannot fill up, so they never alert. */
const READ_WRITE = ` and on (instance, device, mountpoint) node_filesystem_readonly{${FS}} == 0`;

/*
 * Fixed thresholds, taken from the node-exporter mixin (docs/host-alerts.md says where ours differ and why).
 * Only the ones a team tunes to its host are in alerting.thresholds.
 */
const INODES = {
  fillingFreePercent: 40,
  fullWithinHours: 24,
  criticalFillingFreePercent: 20,
  criticalFullWithinHours: 4,
  almostExhaustedFreePercent: 5,
  criticalAlmostExhaustedFreePercent: 3,
};
const NETWORK_ERROR_RATIO = 0.01;
const CONNTRACK_USED_RATIO = 0.75;
const CLOCK = { skewSeconds: 0.05, unsynchronisedMaxErrorSeconds: 16 };
const MAJOR_PAGE_FAULTS_PER_SECOND = 500;
/** More restarts than this in 5 minutes is a crash loop. */
const UNIT_RESTARTS_IN_5M = 2;

/** CPU busy share in percent, all cores of the host together (iowait counts as busy: it is time no query runs). */
const cpuBusyPercent = () => `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{${NODE},mode="idle"}[5m])))`;
const memoryUsedPercent = () => `100 * (1 - node_memory_MemAvailable_bytes{${NODE}} / node_memory_MemTotal_bytes{${NODE}})`;
const fileDescriptorsPercent = () => `100 * node_filefd_allocated{${NODE}} / node_filefd_maximum{${NODE}}`;
/** Free share in percent of a filesystem resource: space (`avail_bytes`/`size_bytes`) or inodes (`files_free`/`files`). */
const freePercent = (free: string, total: string) => `100 * node_filesystem_${free}{${FS}} / node_filesystem_${total}{${FS}}`;
/** Less than `freeBelow` % free now, and the 6-hour trend reaches zero within `withinHours`; read-write only. */
const fillingUp = (free: string, total: string, freeBelow: number, withinHours: number) =>
  `${freePercent(free, total)} < ${freeBelow}` +
  ` and on (instance, device, mountpoint) predict_linear(node_filesystem_${free}{${FS}}[6h], ${Math.round(withinHours * 3600)}) < 0` +
  READ_WRITE;
const networkErrorRatio = (direction: 'receive' | 'transmit') =>
  `rate(node_network_${direction}_errs_total{${NODE}}[2m]) / rate(node_network_${direction}_packets_total{${NODE}}[2m]) > ${NETWORK_ERROR_RATIO}`;

const hostHighCpu = staticAlert({
  name: 'HostHighCpu',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: HOST,
  for: '15m',
  summary: 'CPU of {{ $labels.instance }} is above the threshold',
  description: 'CPU utilisation of {{ $labels.instance }} has been {{ $value | humanize }}%{for}.',
  value: '{{ $value | humanize }}% CPU',
  dashboard: 'host',
  promtoolCases: [
    {
      name: 'CPU pressure (95% busy) for 30 minutes, then idle again: both tiers fire, then resolve',
      interval: '1m',
      // idle counter grows 3s per minute under pressure (95% busy), 60s per minute when idle
      input_series: [input('node_cpu_seconds_total', { ...node, cpu: '0', mode: 'idle' }, '0+3x30 150+60x40')],
      alert_rule_test: [
        quiet('HostHighCpu', '10m'), // pending: pressure not yet sustained for 15 minutes
        quiet('HostHighCpuCritical', '10m'),
        fires('HostHighCpu', '20m', { instance: EXAMPLE_HOST, severity: 'warning' }),
        fires('HostHighCpuCritical', '20m', { instance: EXAMPLE_HOST, severity: 'critical' }),
        fires('HostHighCpu', '30m', { instance: EXAMPLE_HOST, severity: 'warning' }),
        quiet('HostHighCpu', '40m'), // resolved once the pressure ended
        quiet('HostHighCpuCritical', '40m'),
      ],
    },
    {
      name: '85% busy: a ticket, no page',
      interval: '1m',
      input_series: [input('node_cpu_seconds_total', { ...node, cpu: '0', mode: 'idle' }, '0+9x30')],
      alert_rule_test: [fires('HostHighCpu', '20m', { instance: EXAMPLE_HOST, severity: 'warning' }), quiet('HostHighCpuCritical', '20m')],
    },
    {
      name: 'idle CPU',
      interval: '1m',
      input_series: [input('node_cpu_seconds_total', { ...node, cpu: '0', mode: 'idle' }, '0+60x30')],
      alert_rule_test: [quiet('HostHighCpu', '25m'), quiet('HostHighCpuCritical', '25m')],
    },
  ],
  expr: (c) => `${cpuBusyPercent()} > ${c.t.cpuPercent}`,
});
const hostHighMemory = staticAlert({
  name: 'HostHighMemory',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: HOST,
  for: '15m',
  summary: 'Memory of {{ $labels.instance }} is above the threshold',
  description: 'Memory in use on {{ $labels.instance }} has been {{ $value | humanize }}%{for}.',
  value: '{{ $value | humanize }}% memory used',
  dashboard: 'host',
  promtoolCases: [
    {
      name: 'memory 95% used: both tiers',
      interval: '1m',
      input_series: [input('node_memory_MemTotal_bytes', node, '1000x30'), input('node_memory_MemAvailable_bytes', node, '50x30')],
      alert_rule_test: [
        quiet('HostHighMemoryCritical', '10m'), // pending
        fires('HostHighMemory', '20m', { ...node, severity: 'warning' }),
        fires('HostHighMemoryCritical', '20m', { ...node, severity: 'critical' }),
      ],
    },
    {
      name: 'memory 85% used: a ticket, no page',
      interval: '1m',
      input_series: [input('node_memory_MemTotal_bytes', node, '1000x30'), input('node_memory_MemAvailable_bytes', node, '150x30')],
      alert_rule_test: [fires('HostHighMemory', '20m', { ...node, severity: 'warning' }), quiet('HostHighMemoryCritical', '20m')],
    },
    {
      name: 'memory 50% used',
      interval: '1m',
      input_series: [input('node_memory_MemTotal_bytes', node, '1000x30'), input('node_memory_MemAvailable_bytes', node, '500x30')],
      alert_rule_test: [quiet('HostHighMemory', '20m'), quiet('HostHighMemoryCritical', '20m')],
    },
  ],
  expr: (c) => `${memoryUsedPercent()} > ${c.t.memoryPercent}`,
});
const hostDiskFillingUp = staticAlert({
  name: 'HostDiskFillingUp',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: FILESYSTEM,
  for: '1h',
  summary: 'Disk {{ $labels.mountpoint }} of {{ $labels.instance }} is predicted to fill up',
  description:
    'At the trend of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} fills up within the configured horizon; {{ $value | humanize }}% is free now.',
  value: '{{ $value | humanize }}% free',
  dashboard: 'host',
  promtoolCases: [
    {
      name: 'disk losing 6 GB an hour: predicted full within 24h long before it is full',
      interval: '1m',
      // 100 GB disk, 38 GB free, 100 MB less every minute: full after about 6 hours
      input_series: diskSeries('38000000000-100000000x300'),
      alert_rule_test: [
        quiet('HostDiskFillingUp', '30m'), // pending for an hour
        fires('HostDiskFillingUp', '2h', { ...disk, severity: 'warning' }),
        quiet('HostDiskFillingUpCritical', '2h'), // 26% free and 4+ hours left: no page yet
        quiet('HostDiskAlmostFull', '2h'), // 74% used: the threshold alert would still be silent
      ],
    },
    {
      name: 'disk at 19% free losing 6 GB an hour: full within about 3 hours, so it pages',
      interval: '1m',
      input_series: diskSeries('19000000000-100000000x300'),
      alert_rule_test: [
        quiet('HostDiskFillingUpCritical', '30m'),
        fires('HostDiskFillingUpCritical', '65m', { ...disk, severity: 'critical' }),
        fires('HostDiskFillingUp', '65m', { ...disk, severity: 'warning' }),
      ],
    },
    {
      name: 'disk at 19% free losing 1.2 GB an hour: full in about 16 hours, a ticket but no page',
      interval: '1m',
      input_series: diskSeries('19000000000-20000000x300'),
      alert_rule_test: [fires('HostDiskFillingUp', '2h', { ...disk, severity: 'warning' }), quiet('HostDiskFillingUpCritical', '2h')],
    },
    {
      name: 'disk usage flat',
      interval: '1m',
      input_series: diskSeries('38000000000x300'),
      alert_rule_test: [quiet('HostDiskFillingUp', '4h'), quiet('HostDiskFillingUpCritical', '4h')],
    },
    {
      name: 'a mostly empty disk taking a burst of writes: above the free-space floor, so no prediction alert',
      interval: '1m',
      input_series: diskSeries('90000000000-100000000x300'),
      alert_rule_test: [quiet('HostDiskFillingUp', '2h')],
    },
    {
      name: 'a read-only filesystem cannot fill up',
      interval: '1m',
      input_series: diskSeries('19000000000-100000000x300', '1x300'),
      alert_rule_test: [quiet('HostDiskFillingUp', '2h'), quiet('HostDiskFillingUpCritical', '2h')],
    },
  ],
  expr: (c) => fillingUp('avail_bytes', 'size_bytes', c.t.diskFillingFreePercent, c.t.diskFullWithinHours),
});
const hostDiskAlmostFull = staticAlert({
  name: 'HostDiskAlmostFull',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: FILESYSTEM,
  for: '30m',
  summary: 'Disk {{ $labels.mountpoint }} of {{ $labels.instance }} is almost full',
  description: '{{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | humanize }}% full.',
  value: '{{ $value | humanize }}% used',
  dashboard: 'host',
  promtoolCases: [
    {
      name: 'disk 85% used: a ticket after 30 minutes, no page',
      interval: '1m',
      input_series: diskSeries('15000000000x60'),
      alert_rule_test: [
        quiet('HostDiskAlmostFull', '20m'),
        fires('HostDiskAlmostFull', '40m', { ...disk, severity: 'warning' }),
        quiet('HostDiskAlmostFullCritical', '40m'),
      ],
    },
    {
      name: 'disk 95% used: both tiers',
      interval: '1m',
      input_series: diskSeries('5000000000x60'),
      alert_rule_test: [
        fires('HostDiskAlmostFull', '40m', { ...disk, severity: 'warning' }),
        fires('HostDiskAlmostFullCritical', '40m', { ...disk, severity: 'critical' }),
      ],
    },
    {
      name: 'disk 50% used',
      interval: '1m',
      input_series: diskSeries('50000000000x60'),
      alert_rule_test: [quiet('HostDiskAlmostFull', '40m'), quiet('HostDiskAlmostFullCritical', '40m')],
    },
    {
      name: 'a full read-only filesystem (a mounted snapshot) is not a space problem',
      interval: '1m',
      input_series: diskSeries('1000000000x60', '1x60'),
      alert_rule_test: [quiet('HostDiskAlmostFull', '40m'), quiet('HostDiskAlmostFullCritical', '40m')],
    },
  ],
  expr: (c) => `100 - ${freePercent('avail_bytes', 'size_bytes')} > ${c.t.diskPercent}${READ_WRITE}`,
});
const hostInodesFillingUp = staticAlert({
  name: 'HostInodesFillingUp',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: FILESYSTEM,
  for: '1h',
  summary: 'Filesystem {{ $labels.mountpoint }} of {{ $labels.instance }} is predicted to run out of inodes',
  description:
    'At the trend of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} runs out of inodes (files) within 24 hours; {{ $value | humanize }}% of its inodes are free now.',
  value: '{{ $value | humanize }}% inodes free',
  dashboard: 'host',
  promtoolCases: [
    {
      name: '35% of inodes free, 1000 fewer a minute: out within 6 hours, a ticket',
      interval: '1m',
      input_series: inodeSeries('350000-1000x300'),
      alert_rule_test: [
        quiet('HostInodesFillingUp', '30m'),
        fires('HostInodesFillingUp', '2h', { ...disk, severity: 'warning' }),
        quiet('HostInodesFillingUpCritical', '2h'),
      ],
    },
    {
      name: '19% of inodes free, 1000 fewer a minute: out within about 3 hours, a page',
      interval: '1m',
      input_series: inodeSeries('190000-1000x300'),
      alert_rule_test: [
        fires('HostInodesFillingUpCritical', '65m', { ...disk, severity: 'critical' }),
        fires('HostInodesFillingUp', '65m', { ...disk, severity: 'warning' }),
      ],
    },
    {
      name: 'inode use flat',
      interval: '1m',
      input_series: inodeSeries('350000x300'),
      alert_rule_test: [quiet('HostInodesFillingUp', '2h'), quiet('HostInodesFillingUpCritical', '2h')],
    },
  ],
  expr: () => fillingUp('files_free', 'files', INODES.fillingFreePercent, INODES.fullWithinHours),
});
const hostInodesAlmostExhausted = staticAlert({
  name: 'HostInodesAlmostExhausted',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: FILESYSTEM,
  for: '1h',
  summary: 'Filesystem {{ $labels.mountpoint }} of {{ $labels.instance }} is almost out of inodes',
  description:
    'Only {{ $value | humanize }}% of the inodes of {{ $labels.mountpoint }} on {{ $labels.instance }} are free: new files cannot be created once they are gone, whatever the free space.',
  value: '{{ $value | humanize }}% inodes free',
  dashboard: 'host',
  promtoolCases: [
    {
      name: '4% of inodes free: a ticket after an hour, no page',
      interval: '1m',
      input_series: inodeSeries('40000x90'),
      alert_rule_test: [
        quiet('HostInodesAlmostExhausted', '30m'),
        fires('HostInodesAlmostExhausted', '70m', { ...disk, severity: 'warning' }),
        quiet('HostInodesAlmostExhaustedCritical', '70m'),
      ],
    },
    {
      name: '2% of inodes free: both tiers',
      interval: '1m',
      input_series: inodeSeries('20000x90'),
      alert_rule_test: [
        fires('HostInodesAlmostExhausted', '70m', { ...disk, severity: 'warning' }),
        fires('HostInodesAlmostExhaustedCritical', '70m', { ...disk, severity: 'critical' }),
      ],
    },
    {
      name: 'half the inodes free',
      interval: '1m',
      input_series: inodeSeries('500000x90'),
      alert_rule_test: [quiet('HostInodesAlmostExhausted', '70m'), quiet('HostInodesAlmostExhaustedCritical', '70m')],
    },
    {
      name: 'a read-only filesystem with no inodes left',
      interval: '1m',
      input_series: inodeSeries('100x90', '1x90'),
      alert_rule_test: [quiet('HostInodesAlmostExhaustedCritical', '70m')],
    },
  ],
  expr: () => `${freePercent('files_free', 'files')} < ${INODES.almostExhaustedFreePercent}${READ_WRITE}`,
});
const hostFileDescriptorsNearLimit = staticAlert({
  name: 'HostFileDescriptorsNearLimit',
  severity: 'warning',
  group: 'host',
  scope: 'host',
  labels: HOST,
  for: '15m',
  summary: 'The kernel of {{ $labels.instance }} is running out of file descriptors',
  description:
    '{{ $value | humanize }}% of the file descriptors the kernel of {{ $labels.instance }} allows (fs.file-max) are allocated; at the limit every program fails to open files and sockets.',
  value: '{{ $value | humanize }}% of fs.file-max allocated',
  dashboard: 'host',
  promtoolCases: [
    {
      name: '75% of file descriptors allocated: a ticket, no page',
      interval: '1m',
      input_series: [input('node_filefd_allocated', node, '75000x30'), input('node_filefd_maximum', node, '100000x30')],
      alert_rule_test: [
        quiet('HostFileDescriptorsNearLimit', '10m'),
        fires('HostFileDescriptorsNearLimit', '20m', { ...node, severity: 'warning' }),
        quiet('HostFileDescriptorsNearLimitCritical', '20m'),
      ],
    },
    {
      name: '95% of file descriptors allocated: both tiers',
      interval: '1m',
      input_series: [input('node_filefd_allocated', node, '95000x30'), input('node_filefd_maximum', node, '100000x30')],
      alert_rule_test: [
        fires('HostFileDescriptorsNearLimit', '20m', { ...node, severity: 'warning' }),
        fires('HostFileDescriptorsNearLimitCritical', '20m', { ...node, severity: 'critical' }),
      ],
    },
    {
      name: '2% allocated',
      interval: '1m',
      input_series: [input('node_filefd_allocated', node, '2000x30'), input('node_filefd_maximum', node, '100000x30')],
      alert_rule_test: [quiet('HostFileDescriptorsNearLimit', '20m'), quiet('HostFileDescriptorsNearLimitCritical', '20m')],
    },
  ],
  expr: (c) => `${fileDescriptorsPercent()} > ${c.t.fileDescriptorPercent}`,
});

/** The host pack, in rule-file order. */
export const HOST_ALERTS = [
  staticAlert({
    name: 'HostDown',
    severity: 'critical',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '2m',
    summary: 'Node exporter on {{ $labels.instance }} is not being scraped',
    description:
      'Prometheus has not scraped the node exporter on {{ $labels.instance }}{for} (up is 0 or absent): host metrics, and every host alert, are blind.',
    dashboard: 'host',
    promtoolCases: [
      {
        name: 'node exporter down',
        interval: '1m',
        input_series: [input('up', node, '0x10')],
        alert_rule_test: [quiet('HostDown', '1m'), fires('HostDown', '5m', { ...node, severity: 'critical' })],
      },
      {
        name: 'node exporter never scraped (absent)',
        interval: '1m',
        input_series: [input('up', { job: 'prometheus', instance: EXAMPLE_HOST }, '1x10')],
        alert_rule_test: [fires('HostDown', '5m', { ...node, severity: 'critical' })],
      },
      { name: 'node exporter up', interval: '1m', input_series: [input('up', node, '1x10')], alert_rule_test: [quiet('HostDown', '5m')] },
    ],
    expr: (c) => `up{${NODE}} == 0 or absent(up{${monitoringHostSelector(c.instance)}})`,
  }),
  hostHighCpu,
  criticalTier(hostHighCpu, {
    summary: 'CPU of {{ $labels.instance }} is above the critical threshold',
    description:
      'CPU utilisation of {{ $labels.instance }} has been {{ $value | humanize }}%{for}: queries, rule evaluation and ingestion compete for what is left.',
    expr: (c) => `${cpuBusyPercent()} > ${c.t.cpuCriticalPercent}`,
  }),
  hostHighMemory,
  criticalTier(hostHighMemory, {
    summary: 'Memory of {{ $labels.instance }} is above the critical threshold',
    description:
      'Memory in use on {{ $labels.instance }} has been {{ $value | humanize }}%{for}: the kernel is close to OOM-killing a platform program (Prometheus first, as the largest).',
    expr: (c) => `${memoryUsedPercent()} > ${c.t.memoryCriticalPercent}`,
  }),
  hostDiskFillingUp,
  criticalTier(hostDiskFillingUp, {
    summary: 'Disk {{ $labels.mountpoint }} of {{ $labels.instance }} fills up within hours',
    description:
      'At the trend of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} fills up within the critical horizon (4 hours by default); {{ $value | humanize }}% is free now.',
    expr: (c) => fillingUp('avail_bytes', 'size_bytes', c.t.diskFillingCriticalFreePercent, c.t.diskFullCriticalWithinHours),
  }),
  hostDiskAlmostFull,
  criticalTier(hostDiskAlmostFull, {
    summary: 'Disk {{ $labels.mountpoint }} of {{ $labels.instance }} is critically full',
    description:
      '{{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | humanize }}% full: when it is full, Prometheus, Loki and Tempo stop writing.',
    expr: (c) => `100 - ${freePercent('avail_bytes', 'size_bytes')} > ${c.t.diskCriticalPercent}${READ_WRITE}`,
  }),
  hostInodesFillingUp,
  criticalTier(hostInodesFillingUp, {
    summary: 'Filesystem {{ $labels.mountpoint }} of {{ $labels.instance }} runs out of inodes within hours',
    description:
      'At the trend of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.instance }} runs out of inodes within 4 hours; {{ $value | humanize }}% of its inodes are free now.',
    expr: () => fillingUp('files_free', 'files', INODES.criticalFillingFreePercent, INODES.criticalFullWithinHours),
  }),
  hostInodesAlmostExhausted,
  criticalTier(hostInodesAlmostExhausted, {
    summary: 'Filesystem {{ $labels.mountpoint }} of {{ $labels.instance }} is critically low on inodes',
    description:
      'Only {{ $value | humanize }}% of the inodes of {{ $labels.mountpoint }} on {{ $labels.instance }} are free: writes of new files (TSDB blocks, chunks, WAL segments) are about to fail.',
    expr: () => `${freePercent('files_free', 'files')} < ${INODES.criticalAlmostExhaustedFreePercent}${READ_WRITE}`,
  }),
  staticAlert({
    name: 'HostNetworkReceiveErrors',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: [...HOST, 'device'],
    for: '1h',
    summary: 'Network interface {{ $labels.device }} of {{ $labels.instance }} reports many receive errors',
    description:
      '{{ $value | humanizePercentage }} of the packets received on {{ $labels.device }} of {{ $labels.instance }} over 2 minutes were errors,{for}.',
    value: '{{ $value | humanizePercentage }} of received packets in error',
    dashboard: 'host',
    promtoolCases: [
      {
        name: '2% of received packets are errors for over an hour',
        interval: '1m',
        input_series: [input('node_network_receive_packets_total', nic, '0+6000x90'), input('node_network_receive_errs_total', nic, '0+120x90')],
        alert_rule_test: [quiet('HostNetworkReceiveErrors', '30m'), fires('HostNetworkReceiveErrors', '70m', { ...nic, severity: 'warning' })],
      },
      {
        name: '0.1% of received packets are errors',
        interval: '1m',
        input_series: [input('node_network_receive_packets_total', nic, '0+6000x90'), input('node_network_receive_errs_total', nic, '0+6x90')],
        alert_rule_test: [quiet('HostNetworkReceiveErrors', '70m')],
      },
    ],
    expr: () => networkErrorRatio('receive'),
  }),
  staticAlert({
    name: 'HostNetworkTransmitErrors',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: [...HOST, 'device'],
    for: '1h',
    summary: 'Network interface {{ $labels.device }} of {{ $labels.instance }} reports many transmit errors',
    description: '{{ $value | humanizePercentage }} of the packets sent on {{ $labels.device }} of {{ $labels.instance }} over 2 minutes were errors,{for}.',
    value: '{{ $value | humanizePercentage }} of sent packets in error',
    dashboard: 'host',
    promtoolCases: [
      {
        name: '2% of sent packets are errors for over an hour',
        interval: '1m',
        input_series: [input('node_network_transmit_packets_total', nic, '0+6000x90'), input('node_network_transmit_errs_total', nic, '0+120x90')],
        alert_rule_test: [fires('HostNetworkTransmitErrors', '70m', { ...nic, severity: 'warning' }), quiet('HostNetworkReceiveErrors', '70m')],
      },
      {
        name: 'no transmit errors',
        interval: '1m',
        input_series: [input('node_network_transmit_packets_total', nic, '0+6000x90'), input('node_network_transmit_errs_total', nic, '0x90')],
        alert_rule_test: [quiet('HostNetworkTransmitErrors', '70m')],
      },
    ],
    expr: () => networkErrorRatio('transmit'),
  }),
  staticAlert({
    name: 'HostConntrackNearLimit',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '0s',
    summary: 'The connection-tracking table of {{ $labels.instance }} is nearly full',
    description:
      '{{ $value | humanizePercentage }} of the kernel connection-tracking entries of {{ $labels.instance }} are in use; when the table is full, new connections (scrapes, OTLP, Grafana) are dropped.',
    value: '{{ $value | humanizePercentage }} of conntrack entries used',
    dashboard: 'host',
    promtoolCases: [
      {
        name: '76% of conntrack entries used',
        interval: '1m',
        input_series: [input('node_nf_conntrack_entries', node, '200000x10'), input('node_nf_conntrack_entries_limit', node, '262144x10')],
        alert_rule_test: [fires('HostConntrackNearLimit', '5m', { ...node, severity: 'warning' })],
      },
      {
        name: 'a few hundred connections tracked',
        interval: '1m',
        input_series: [input('node_nf_conntrack_entries', node, '300x10'), input('node_nf_conntrack_entries_limit', node, '262144x10')],
        alert_rule_test: [quiet('HostConntrackNearLimit', '5m')],
      },
    ],
    expr: () => `node_nf_conntrack_entries{${NODE}} / node_nf_conntrack_entries_limit{${NODE}} > ${CONNTRACK_USED_RATIO}`,
  }),
  staticAlert({
    name: 'HostTextfileCollectorError',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '5m',
    summary: 'Node exporter on {{ $labels.instance }} cannot read its textfile metrics',
    description:
      "Node exporter's textfile collector on {{ $labels.instance }} has failed to read a metrics file of its textfile directory{for} (node_textfile_scrape_error = {{ $value }}): the config sync reports through those files, so ConfigSyncRefused and ConfigSyncStale may be blind.",
    dashboard: 'host',
    promtoolCases: [
      {
        name: 'a textfile that stays unreadable',
        interval: '1m',
        input_series: [input('node_textfile_scrape_error', node, '1x20')],
        alert_rule_test: [quiet('HostTextfileCollectorError', '3m'), fires('HostTextfileCollectorError', '10m', { ...node, severity: 'warning' })],
      },
      {
        name: 'one failed read, then fine',
        interval: '1m',
        input_series: [input('node_textfile_scrape_error', node, '0x3 1 0x16')],
        alert_rule_test: [quiet('HostTextfileCollectorError', '4m'), quiet('HostTextfileCollectorError', '10m')],
      },
    ],
    expr: () => `node_textfile_scrape_error{${NODE}} == 1`,
  }),
  staticAlert({
    name: 'HostClockSkew',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '10m',
    summary: 'The clock of {{ $labels.instance }} is off',
    description:
      'The clock of {{ $labels.instance }} is {{ $value | humanizeDuration }} off according to the kernel, and not converging: timestamps of samples, logs and traces are wrong, and rate() windows skew.',
    value: '{{ $value | humanizeDuration }} offset',
    dashboard: 'host',
    promtoolCases: [
      {
        name: 'clock 100 ms ahead and not converging',
        interval: '1m',
        input_series: [input('node_timex_offset_seconds', node, '0.1x30')],
        alert_rule_test: [quiet('HostClockSkew', '5m'), fires('HostClockSkew', '15m', { ...node, severity: 'warning' })],
      },
      {
        name: 'clock 100 ms behind and drifting further',
        interval: '1m',
        input_series: [input('node_timex_offset_seconds', node, '-0.1-0.001x30')],
        alert_rule_test: [fires('HostClockSkew', '15m', { ...node, severity: 'warning' })],
      },
      {
        name: 'clock 200 ms ahead but being slewed back',
        interval: '1m',
        input_series: [input('node_timex_offset_seconds', node, '0.2-0.005x30')],
        alert_rule_test: [quiet('HostClockSkew', '15m')],
      },
      {
        name: 'clock within 1 ms',
        interval: '1m',
        input_series: [input('node_timex_offset_seconds', node, '0.001x30')],
        alert_rule_test: [quiet('HostClockSkew', '15m')],
      },
    ],
    // Off by more than the tolerance and not moving back towards zero (a clock being slewed back is left alone).
    expr: () =>
      `(node_timex_offset_seconds{${NODE}} > ${CLOCK.skewSeconds} and deriv(node_timex_offset_seconds{${NODE}}[5m]) >= 0)` +
      ` or (node_timex_offset_seconds{${NODE}} < -${CLOCK.skewSeconds} and deriv(node_timex_offset_seconds{${NODE}}[5m]) <= 0)`,
  }),
  staticAlert({
    name: 'HostClockNotSynchronising',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '10m',
    summary: 'The clock of {{ $labels.instance }} is not synchronising',
    description:
      'The kernel of {{ $labels.instance }} reports its clock unsynchronised with an estimated error of {{ $value | humanizeDuration }}: NTP (chrony, the Amazon Time Sync Service) is not working.',
    value: '{{ $value | humanizeDuration }} estimated error',
    dashboard: 'host',
    promtoolCases: [
      {
        name: 'NTP unreachable: unsynchronised, error at the 16 s cap',
        interval: '1m',
        input_series: [input('node_timex_sync_status', node, '0x30'), input('node_timex_maxerror_seconds', node, '16x30')],
        alert_rule_test: [quiet('HostClockNotSynchronising', '5m'), fires('HostClockNotSynchronising', '20m', { ...node, severity: 'warning' })],
      },
      {
        name: 'synchronised',
        interval: '1m',
        input_series: [input('node_timex_sync_status', node, '1x30'), input('node_timex_maxerror_seconds', node, '0.02x30')],
        alert_rule_test: [quiet('HostClockNotSynchronising', '20m')],
      },
    ],
    // The value is the estimated error; the kernel caps it at 16 s once it has not been synchronised for a while.
    expr: () =>
      `node_timex_maxerror_seconds{${NODE}} >= ${CLOCK.unsynchronisedMaxErrorSeconds} and on (job, instance) min_over_time(node_timex_sync_status{${NODE}}[5m]) == 0`,
  }),
  hostFileDescriptorsNearLimit,
  criticalTier(hostFileDescriptorsNearLimit, {
    summary: 'The kernel of {{ $labels.instance }} is about to run out of file descriptors',
    description:
      '{{ $value | humanize }}% of the file descriptors the kernel of {{ $labels.instance }} allows (fs.file-max) are allocated: programs are about to fail opening files and sockets.',
    expr: (c) => `${fileDescriptorsPercent()} > ${c.t.fileDescriptorCriticalPercent}`,
  }),
  staticAlert({
    name: 'HostLoadHigh',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '15m',
    summary: 'The load of {{ $labels.instance }} per core is very high',
    description:
      'The 1-minute load average of {{ $labels.instance }} has been {{ $value | humanize }} per core{for}: more work is runnable (or blocked on I/O) than the cores can serve, and the host may stop answering.',
    value: '{{ $value | humanize }} load per core',
    dashboard: 'host',
    promtoolCases: [
      {
        name: 'load 5 on 2 cores for 20 minutes',
        interval: '1m',
        input_series: [input('node_load1', node, '5x30'), ...twoCores],
        alert_rule_test: [quiet('HostLoadHigh', '10m'), fires('HostLoadHigh', '20m', { ...node, severity: 'warning' })],
      },
      {
        name: 'load 3 on 2 cores',
        interval: '1m',
        input_series: [input('node_load1', node, '3x30'), ...twoCores],
        alert_rule_test: [quiet('HostLoadHigh', '20m')],
      },
    ],
    expr: (c) => `node_load1{${NODE}} / on (job, instance) count by (job, instance) (node_cpu_seconds_total{${NODE},mode="idle"}) > ${c.t.loadPerCore}`,
  }),
  staticAlert({
    name: 'HostDiskIoSaturated',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: [...HOST, 'device'],
    for: '30m',
    summary: 'Disk {{ $labels.device }} of {{ $labels.instance }} is saturated',
    description:
      'The I/O queue of {{ $labels.device }} on {{ $labels.instance }} has averaged {{ $value | humanize }} requests{for}: the volume cannot keep up (an exhausted EBS burst balance or IOPS limit), so writes of the WAL and queries stall.',
    value: '{{ $value | humanize }} requests queued on average',
    dashboard: 'host',
    promtoolCases: [
      {
        name: 'an average of 15 requests queued on the data volume for 40 minutes',
        interval: '1m',
        input_series: [input('node_disk_io_time_weighted_seconds_total', blockDevice, '0+900x60')],
        alert_rule_test: [quiet('HostDiskIoSaturated', '20m'), fires('HostDiskIoSaturated', '40m', { ...blockDevice, severity: 'warning' })],
      },
      {
        name: 'one request queued on average',
        interval: '1m',
        input_series: [input('node_disk_io_time_weighted_seconds_total', blockDevice, '0+60x60')],
        alert_rule_test: [quiet('HostDiskIoSaturated', '40m')],
      },
    ],
    // Seconds spent per second with I/O in flight, weighted by the number in flight: the average queue length.
    expr: (c) => `rate(node_disk_io_time_weighted_seconds_total{${NODE}}[5m]) > ${c.t.diskIoQueueLength}`,
  }),
  staticAlert({
    name: 'HostMemoryMajorPageFaults',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: HOST,
    for: '15m',
    summary: '{{ $labels.instance }} reads memory pages back from disk at a high rate',
    description:
      '{{ $labels.instance }} has taken {{ $value | humanize }} major page faults per second{for}: memory is short and programs wait on disk for their own pages.',
    value: '{{ $value | humanize }} major page faults/s',
    dashboard: 'host',
    promtoolCases: [
      {
        name: '1000 major page faults a second',
        interval: '1m',
        input_series: [input('node_vmstat_pgmajfault', node, '0+60000x30')],
        alert_rule_test: [quiet('HostMemoryMajorPageFaults', '10m'), fires('HostMemoryMajorPageFaults', '20m', { ...node, severity: 'warning' })],
      },
      {
        name: '10 major page faults a second',
        interval: '1m',
        input_series: [input('node_vmstat_pgmajfault', node, '0+600x30')],
        alert_rule_test: [quiet('HostMemoryMajorPageFaults', '20m')],
      },
    ],
    expr: () => `rate(node_vmstat_pgmajfault{${NODE}}[5m]) > ${MAJOR_PAGE_FAULTS_PER_SECOND}`,
  }),
  staticAlert({
    name: 'HostUnitFailed',
    severity: 'critical',
    group: 'host',
    scope: 'host',
    labels: UNIT,
    for: '5m',
    summary: 'Platform unit {{ $labels.name }} on {{ $labels.instance }} has failed',
    description:
      'systemd reports {{ $labels.name }} on {{ $labels.instance }} in the failed state{for} (node_systemd_unit_state = {{ $value }}): a service that has used up its restarts stays down until someone starts it; for lgtm-sync.service, every timer run since has failed as well.',
    dashboard: 'host',
    promtoolCases: [
      {
        name: 'prometheus.service used up its restarts and stays failed',
        interval: '1m',
        input_series: [
          input('node_systemd_unit_state', { ...prometheusUnit, state: 'failed' }, '0x2 1x20'),
          input('node_systemd_unit_state', { ...prometheusUnit, state: 'active' }, '1x2 0x20'),
        ],
        alert_rule_test: [quiet('HostUnitFailed', '5m'), fires('HostUnitFailed', '10m', { ...prometheusUnit, state: 'failed', severity: 'critical' })],
      },
      {
        name: 'one failed run of lgtm-sync.service (an S3 blip), then the next run succeeds',
        interval: '1m',
        input_series: [input('node_systemd_unit_state', { ...syncUnit, state: 'failed' }, '0x2 1x2 0x16')],
        alert_rule_test: [quiet('HostUnitFailed', '4m'), quiet('HostUnitFailed', '10m')],
      },
      {
        name: 'every unit active',
        interval: '1m',
        input_series: [input('node_systemd_unit_state', { ...prometheusUnit, state: 'failed' }, '0x20')],
        alert_rule_test: [quiet('HostUnitFailed', '10m')],
      },
    ],
    expr: () => `node_systemd_unit_state{${NODE},state="failed"} == 1`,
  }),
  staticAlert({
    name: 'HostUnitCrashLooping',
    severity: 'warning',
    group: 'host',
    scope: 'host',
    labels: UNIT,
    for: '15m',
    summary: 'Platform unit {{ $labels.name }} on {{ $labels.instance }} keeps restarting',
    description:
      'systemd restarted {{ $labels.name }} on {{ $labels.instance }} {{ $value | humanize }} times in 5 minutes,{for}: it crashes some time after each start, slowly enough to stay under its start limit.',
    value: '{{ $value | humanize }} restarts (5m)',
    dashboard: 'host',
    promtoolCases: [
      {
        name: 'loki.service dies a minute after every start, for half an hour',
        interval: '1m',
        input_series: [input('node_systemd_service_restart_total', lokiUnit, '0+1x40')],
        alert_rule_test: [quiet('HostUnitCrashLooping', '10m'), fires('HostUnitCrashLooping', '25m', { ...lokiUnit, severity: 'warning' })],
      },
      {
        name: 'one restart (a config change), then steady',
        interval: '1m',
        input_series: [input('node_systemd_service_restart_total', lokiUnit, '0x5 1x35')],
        alert_rule_test: [quiet('HostUnitCrashLooping', '10m'), quiet('HostUnitCrashLooping', '25m')],
      },
    ],
    expr: () => `increase(node_systemd_service_restart_total{${NODE}}[5m]) > ${UNIT_RESTARTS_IN_5M}`,
  }),
];
