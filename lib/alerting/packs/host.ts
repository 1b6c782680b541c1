import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { jobMatcher, monitoringHostSelector } from '../../contracts/selectors';
import { criticalTier, staticAlert } from '../alert-definition';

/** The host pack: the monitoring host's (and the app servers') node exporter series. */

const HOST = ['instance'];
/** Filesystem alerts: one per real filesystem. */
const FILESYSTEM = [...HOST, 'mountpoint', 'device'];
/** One systemd unit of the platform (`name` is the unit, e.g. `prometheus.service`). */
const UNIT = [...HOST, 'name'];

const NODE = jobMatcher(SCRAPE_JOBS.node);
/** Real filesystems only (no tmpfs, overlays or squashfs images). */
const FS = `${NODE},fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|fuse.lxcfs"`;
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
      'systemd reports {{ $labels.name }} on {{ $labels.instance }} in the failed state{for} (node_systemd_unit_state = {{ $value }}): a service that has used up its restarts stays down until someone starts it; for lgtm-sync.service, every run of the last 5 minutes failed.',
    dashboard: 'host',
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
    expr: () => `increase(node_systemd_service_restart_total{${NODE}}[5m]) > ${UNIT_RESTARTS_IN_5M}`,
  }),
];
