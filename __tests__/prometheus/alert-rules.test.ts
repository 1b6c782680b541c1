import { ALERT_CATALOG, type AlertName } from '../../lib/alerting/packs';
import { hostInstanceName } from '../../lib/prometheus/scrape-config';
import { series, type AlertRuleTest, type InputSeries, type PromtoolTestCase } from '../../gameday/promtool';
import { DEFAULT_CONFIG, runPromtoolTests } from './promtool-harness';

/**
 * GIVEN the rules rendered from the default config and synthetic input series
 * WHEN promtool evaluates them
 * THEN every alert of the catalog fires in its bad case (with the labels the catalog promises) and stays quiet
 * in its good case.
 */

const HOST = hostInstanceName(DEFAULT_CONFIG);
const node = { job: 'node', instance: HOST };
const disk = { ...node, device: '/dev/nvme1n1', mountpoint: '/var/lib/lgtm', fstype: 'ext4' };
const probe = { job: 'blackbox-http', instance: 'https://api.anvila.example/health', service: 'anvila-api', environment: 'production' };
const app = { job: 'app', instance: '10.0.1.10:8000', service: 'anvila-api', environment: 'staging', route: '/items', method: 'GET' };
const appTarget = { job: 'app', instance: '10.0.1.10:8000', service: 'anvila-api', environment: 'staging' };
const dora = { job: 'dora-exporter', instance: HOST, repo: 'acme/anvila-api', workflow: 'deploy.yml', environment: 'production' };

const fires = (alertname: string, at: string, ...labels: Record<string, string>[]): AlertRuleTest => ({
  eval_time: at,
  alertname,
  exp_alerts: labels.map((l) => ({ exp_labels: l })),
});
const quiet = (alertname: string, at: string): AlertRuleTest => ({ eval_time: at, alertname, exp_alerts: [] });
const input = (name: string, labels: Record<string, string>, valuesText: string): InputSeries => ({ series: series(name, labels), values: valuesText });
/** `count` series pushed with one environment's token (as the host collector labels them), one per user id. */
const pushedSeries = (environment: string, count: number): InputSeries[] =>
  Array.from({ length: count }, (_, i) => input('app_cart_items', { job: 'shop', environment, lgtm_pushed: 'true', user_id: `${i}` }, '1x15'));
/** The data filesystem of a 100 GB disk: size, free bytes and read-only flag, as node exporter reports them. */
const diskSeries = (avail: string, readonly = '0x300'): InputSeries[] => [
  input('node_filesystem_size_bytes', disk, '100000000000x300'),
  input('node_filesystem_avail_bytes', disk, avail),
  input('node_filesystem_readonly', disk, readonly),
];

/** The same filesystem's inodes: a million in all, `free` of them free. */
const inodeSeries = (free: string, readonly = '0x300'): InputSeries[] => [
  input('node_filesystem_files', disk, '1000000x300'),
  input('node_filesystem_files_free', disk, free),
  input('node_filesystem_readonly', disk, readonly),
];
const nic = { ...node, device: 'ens5' };
const blockDevice = { ...node, device: 'nvme1n1' };
const twoCores = ['0', '1'].map((cpu) => input('node_cpu_seconds_total', { ...node, cpu, mode: 'idle' }, '0+30x30'));
const prometheusUnit = { ...node, name: 'prometheus.service', type: 'simple' };
const syncUnit = { ...node, name: 'lgtm-sync.service', type: 'oneshot' };
const lokiUnit = { ...node, name: 'loki.service' };

/**
 * Per alert: a case where it must fire and a case where it must not. A critical tier's cases are its warning
 * twin's: each case shows where one tier fires and the other does not.
 */
const CASES: Partial<Record<AlertName, PromtoolTestCase[]>> = {
  HostDown: [
    {
      name: 'node exporter down',
      interval: '1m',
      input_series: [input('up', node, '0x10')],
      alert_rule_test: [quiet('HostDown', '1m'), fires('HostDown', '5m', { ...node, severity: 'critical' })],
    },
    {
      name: 'node exporter never scraped (absent)',
      interval: '1m',
      input_series: [input('up', { job: 'prometheus', instance: HOST }, '1x10')],
      alert_rule_test: [fires('HostDown', '5m', { ...node, severity: 'critical' })],
    },
    { name: 'node exporter up', interval: '1m', input_series: [input('up', node, '1x10')], alert_rule_test: [quiet('HostDown', '5m')] },
  ],
  HostHighCpu: [
    {
      name: 'CPU pressure (95% busy) for 30 minutes, then idle again: both tiers fire, then resolve',
      interval: '1m',
      // idle counter grows 3s per minute under pressure (95% busy), 60s per minute when idle
      input_series: [input('node_cpu_seconds_total', { ...node, cpu: '0', mode: 'idle' }, '0+3x30 150+60x40')],
      alert_rule_test: [
        quiet('HostHighCpu', '10m'), // pending: pressure not yet sustained for 15 minutes
        quiet('HostHighCpuCritical', '10m'),
        fires('HostHighCpu', '20m', { instance: HOST, severity: 'warning' }),
        fires('HostHighCpuCritical', '20m', { instance: HOST, severity: 'critical' }),
        fires('HostHighCpu', '30m', { instance: HOST, severity: 'warning' }),
        quiet('HostHighCpu', '40m'), // resolved once the pressure ended
        quiet('HostHighCpuCritical', '40m'),
      ],
    },
    {
      name: '85% busy: a ticket, no page',
      interval: '1m',
      input_series: [input('node_cpu_seconds_total', { ...node, cpu: '0', mode: 'idle' }, '0+9x30')],
      alert_rule_test: [fires('HostHighCpu', '20m', { instance: HOST, severity: 'warning' }), quiet('HostHighCpuCritical', '20m')],
    },
    {
      name: 'idle CPU',
      interval: '1m',
      input_series: [input('node_cpu_seconds_total', { ...node, cpu: '0', mode: 'idle' }, '0+60x30')],
      alert_rule_test: [quiet('HostHighCpu', '25m'), quiet('HostHighCpuCritical', '25m')],
    },
  ],
  HostHighMemory: [
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
  HostDiskFillingUp: [
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
  HostDiskAlmostFull: [
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
  HostInodesFillingUp: [
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
  HostInodesAlmostExhausted: [
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
  HostNetworkReceiveErrors: [
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
  HostNetworkTransmitErrors: [
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
  HostConntrackNearLimit: [
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
  HostTextfileCollectorError: [
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
  HostClockSkew: [
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
  HostClockNotSynchronising: [
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
  HostFileDescriptorsNearLimit: [
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
  HostLoadHigh: [
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
  HostDiskIoSaturated: [
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
  HostMemoryMajorPageFaults: [
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
  HostUnitFailed: [
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
  HostUnitCrashLooping: [
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
  ProbeFailing: [
    {
      name: 'probe failing',
      interval: '1m',
      input_series: [input('probe_success', probe, '0x20')],
      alert_rule_test: [fires('ProbeFailing', '10m', { ...probe, team: 'platform', severity: 'critical' })],
    },
    {
      name: 'one failed probe among successes',
      interval: '1m',
      input_series: [input('probe_success', probe, '1x5 0 1x14')],
      alert_rule_test: [quiet('ProbeFailing', '8m')],
    },
  ],
  ProbeSlow: [
    {
      name: 'probe takes 2.5s',
      interval: '1m',
      input_series: [input('probe_duration_seconds', probe, '2.5x20')],
      alert_rule_test: [fires('ProbeSlow', '15m', { ...probe, team: 'platform', severity: 'warning' })],
    },
    {
      name: 'probe takes 0.2s',
      interval: '1m',
      input_series: [input('probe_duration_seconds', probe, '0.2x20')],
      alert_rule_test: [quiet('ProbeSlow', '15m')],
    },
  ],
  TlsCertificateExpiring: [
    // promtool's clock starts at 0, so the expiry timestamp is seconds after the start of the test
    {
      name: 'certificate expires in 5 days',
      interval: '1m',
      input_series: [input('probe_ssl_earliest_cert_expiry', probe, '432000x30')],
      alert_rule_test: [fires('TlsCertificateExpiring', '20m', { ...probe, team: 'platform', severity: 'warning' })],
    },
    {
      name: 'certificate expires in 90 days',
      interval: '1m',
      input_series: [input('probe_ssl_earliest_cert_expiry', probe, '7776000x30')],
      alert_rule_test: [quiet('TlsCertificateExpiring', '20m')],
    },
  ],
  App5xxRatioHigh: [
    {
      name: '9% of requests fail',
      interval: '1m',
      input_series: [input('http_requests_total', { ...app, status: '200' }, '0+600x30'), input('http_requests_total', { ...app, status: '500' }, '0+60x30')],
      alert_rule_test: [fires('App5xxRatioHigh', '15m', { service: 'anvila-api', environment: 'staging', team: 'platform', severity: 'warning' })],
    },
    {
      name: '1% of requests fail',
      interval: '1m',
      input_series: [input('http_requests_total', { ...app, status: '200' }, '0+600x30'), input('http_requests_total', { ...app, status: '500' }, '0+6x30')],
      alert_rule_test: [quiet('App5xxRatioHigh', '15m')],
    },
  ],
  AppTargetDown: [
    {
      name: 'app metrics target down',
      interval: '1m',
      input_series: [input('up', appTarget, '0x15')],
      alert_rule_test: [quiet('AppTargetDown', '3m'), fires('AppTargetDown', '10m', { ...appTarget, team: 'platform', severity: 'warning' })],
    },
    {
      // The scrape job lost the target (or was never loaded): no up series at all, so every SLI of it is blind.
      name: 'app metrics target absent',
      interval: '1m',
      input_series: [input('up', node, '1x15')],
      alert_rule_test: [fires('AppTargetDown', '10m', { job: 'app', service: 'anvila-api', environment: 'staging', team: 'platform', severity: 'warning' })],
    },
    { name: 'app metrics target up', interval: '1m', input_series: [input('up', appTarget, '1x15')], alert_rule_test: [quiet('AppTargetDown', '10m')] },
  ],
  SLOBurnRateFast: [
    {
      name: 'probe down for 10 minutes after a healthy hour',
      interval: '1m',
      input_series: [input('probe_success', probe, '1x60 0x10 1x10')],
      alert_rule_test: [
        quiet('SLOBurnRateFast', '60m'),
        fires('SLOBurnRateFast', '70m', {
          service: 'anvila-api',
          environment: 'production',
          slo: 'availability',
          sli: 'probe',
          team: 'platform',
          severity: 'critical',
        }),
      ],
    },
    { name: 'probe healthy', interval: '1m', input_series: [input('probe_success', probe, '1x80')], alert_rule_test: [quiet('SLOBurnRateFast', '70m')] },
  ],
  SLOBurnRateSlow: [
    {
      name: 'one probe in ten fails for 3 hours',
      interval: '1m',
      input_series: [input('probe_success', probe, `1x60 ${Array.from({ length: 18 }, () => '1x8 0').join(' ')}`)],
      alert_rule_test: [
        fires('SLOBurnRateSlow', '240m', {
          service: 'anvila-api',
          environment: 'production',
          slo: 'availability',
          sli: 'probe',
          team: 'platform',
          severity: 'warning',
        }),
      ],
    },
    { name: 'probe healthy', interval: '1m', input_series: [input('probe_success', probe, '1x240')], alert_rule_test: [quiet('SLOBurnRateSlow', '240m')] },
  ],
  SLOSliAbsent: [
    {
      name: "staging's probe stops being scraped while its app metrics keep coming",
      interval: '1m',
      input_series: [
        input('probe_success', probe, '1x40'),
        input('probe_success', { ...probe, environment: 'staging', instance: 'https://staging.api.anvila.example/health' }, '1x10 _x30'),
        input('http_requests_total', { ...app, status: '200' }, '0+600x40'),
        input('http_request_duration_seconds_bucket', { ...app, le: '0.5' }, '0+600x40'),
        input('http_request_duration_seconds_count', app, '0+600x40'),
      ],
      alert_rule_test: [
        quiet('SLOSliAbsent', '12m'),
        fires('SLOSliAbsent', '35m', {
          service: 'anvila-api',
          environment: 'staging',
          slo: 'availability',
          sli: 'probe',
          team: 'platform',
          severity: 'warning',
        }),
      ],
    },
    {
      name: 'every SLI has data',
      interval: '1m',
      input_series: [
        input('probe_success', probe, '1x40'),
        input('probe_success', { ...probe, environment: 'staging', instance: 'https://staging.api.anvila.example/health' }, '1x40'),
        input('http_requests_total', { ...app, status: '200' }, '0+600x40'),
        input('http_request_duration_seconds_bucket', { ...app, le: '0.5' }, '0+600x40'),
        input('http_request_duration_seconds_count', app, '0+600x40'),
      ],
      alert_rule_test: [quiet('SLOSliAbsent', '35m')],
    },
  ],
  SLOErrorBudgetExhausted: [
    {
      name: 'every probe fails from the start',
      interval: '1m',
      input_series: [input('probe_success', probe, '0x30')],
      alert_rule_test: [
        quiet('SLOErrorBudgetExhausted', '3m'),
        fires('SLOErrorBudgetExhausted', '20m', {
          service: 'anvila-api',
          environment: 'production',
          slo: 'availability',
          sli: 'probe',
          team: 'platform',
          severity: 'warning',
        }),
      ],
    },
    {
      name: 'probe healthy',
      interval: '1m',
      input_series: [input('probe_success', probe, '1x30')],
      alert_rule_test: [quiet('SLOErrorBudgetExhausted', '20m')],
    },
  ],
  SLOErrorBudgetPolicy: [
    {
      // the default config's policy: freeze feature deploys below 25 % of the budget left
      name: 'every probe fails from the start',
      interval: '1m',
      input_series: [input('probe_success', probe, '0x30')],
      alert_rule_test: [
        quiet('SLOErrorBudgetPolicy', '3m'),
        fires('SLOErrorBudgetPolicy', '20m', {
          service: 'anvila-api',
          environment: 'production',
          slo: 'availability',
          sli: 'probe',
          team: 'platform',
          budget_policy: 'freeze feature deploys',
          severity: 'info',
        }),
      ],
    },
    {
      // an error ratio of 0.3 %, budget 0.5 %: 40 % of the budget left, above the policy's 25 %
      name: 'one probe in 333 fails',
      interval: '1m',
      input_series: [input('probe_success', probe, Array.from({ length: 3 }, () => '1x331 0').join(' '))],
      alert_rule_test: [quiet('SLOErrorBudgetPolicy', '700m')],
    },
  ],
  DoraChangeFailureRateHigh: [
    {
      name: '50% change failure rate over 30d (and 90% over 7d, which is not what the alert reads)',
      interval: '5m',
      input_series: [
        input('dora_change_failure_rate_ratio', { ...dora, window: '30d' }, '0.5x20'),
        input('dora_change_failure_rate_ratio', { ...dora, window: '7d' }, '0.9x20'),
      ],
      alert_rule_test: [fires('DoraChangeFailureRateHigh', '40m', { ...dora, window: '30d', severity: 'warning' })],
    },
    {
      name: '10% change failure rate over 30d',
      interval: '5m',
      input_series: [
        input('dora_change_failure_rate_ratio', { ...dora, window: '30d' }, '0.1x20'),
        input('dora_change_failure_rate_ratio', { ...dora, window: '7d' }, '0.9x20'),
      ],
      alert_rule_test: [quiet('DoraChangeFailureRateHigh', '40m')],
    },
  ],
  DoraTimeToRestoreHigh: [
    {
      name: 'median time to restore 48h',
      interval: '5m',
      input_series: [input('dora_time_to_restore_median_seconds', { ...dora, window: '30d' }, '172800x20')],
      alert_rule_test: [fires('DoraTimeToRestoreHigh', '40m', { ...dora, window: '30d', severity: 'warning' })],
    },
    {
      name: 'median time to restore 1h',
      interval: '5m',
      input_series: [input('dora_time_to_restore_median_seconds', { ...dora, window: '30d' }, '3600x20')],
      alert_rule_test: [quiet('DoraTimeToRestoreHigh', '40m')],
    },
  ],
  DoraExporterDown: [
    {
      name: 'exporter down',
      interval: '1m',
      input_series: [input('up', { job: 'dora-exporter', instance: HOST }, '0x20')],
      alert_rule_test: [fires('DoraExporterDown', '15m', { job: 'dora-exporter', instance: HOST, severity: 'warning' })],
    },
    {
      name: 'exporter up',
      interval: '1m',
      input_series: [input('up', { job: 'dora-exporter', instance: HOST }, '1x20')],
      alert_rule_test: [quiet('DoraExporterDown', '15m')],
    },
  ],
  DoraPollStale: [
    {
      // the default poll interval is 300 s: stale after 900 s, firing 10 min later
      name: 'a repository last read 20 minutes ago, its polls failing since',
      interval: '1m',
      input_series: [
        input('dora_exporter_repository_last_successful_poll_timestamp_seconds', { job: 'dora-exporter', instance: HOST, repo: 'acme/api' }, '0x60'),
        input('dora_exporter_repository_poll_ok', { job: 'dora-exporter', instance: HOST, repo: 'acme/api' }, '0x60'),
      ],
      alert_rule_test: [
        quiet('DoraPollStale', '20m'),
        fires('DoraPollStale', '30m', { job: 'dora-exporter', instance: HOST, repo: 'acme/api', severity: 'warning' }),
      ],
    },
    {
      name: 'a misspelt repository, never read',
      interval: '1m',
      input_series: [input('dora_exporter_repository_poll_ok', { job: 'dora-exporter', instance: HOST, repo: 'acme/apl' }, '0x30')],
      alert_rule_test: [fires('DoraPollStale', '15m', { job: 'dora-exporter', instance: HOST, repo: 'acme/apl', severity: 'warning' })],
    },
    {
      name: 'a repository read every 5 minutes',
      interval: '1m',
      input_series: [
        input(
          'dora_exporter_repository_last_successful_poll_timestamp_seconds',
          { job: 'dora-exporter', instance: HOST, repo: 'acme/api' },
          '0x4 300x4 600x4 900x4 1200x4 1500x4 1800x4 2100x4 2400x4 2700x4',
        ),
        input('dora_exporter_repository_poll_ok', { job: 'dora-exporter', instance: HOST, repo: 'acme/api' }, '1x50'),
      ],
      alert_rule_test: [quiet('DoraPollStale', '45m')],
    },
  ],
  PrometheusRuleEvaluationFailures: [
    {
      name: 'a rule group fails every minute',
      interval: '1m',
      input_series: [
        input(
          'prometheus_rule_evaluation_failures_total',
          { job: 'prometheus', instance: HOST, rule_group: '/etc/prometheus/rules/slo.yml;slo-anvila-api-recording' },
          '0+1x30',
        ),
      ],
      alert_rule_test: [
        fires('PrometheusRuleEvaluationFailures', '10m', {
          job: 'prometheus',
          instance: HOST,
          rule_group: '/etc/prometheus/rules/slo.yml;slo-anvila-api-recording',
          severity: 'critical',
        }),
      ],
    },
    {
      name: 'no failures',
      interval: '1m',
      input_series: [input('prometheus_rule_evaluation_failures_total', { job: 'prometheus', instance: HOST, rule_group: 'host' }, '0x30')],
      alert_rule_test: [quiet('PrometheusRuleEvaluationFailures', '10m')],
    },
  ],
  AlertmanagerNotificationsFailing: [
    {
      name: 'slack notifications fail',
      interval: '1m',
      input_series: [input('alertmanager_notifications_failed_total', { job: 'alertmanager', instance: HOST, integration: 'slack' }, '0+1x30')],
      alert_rule_test: [fires('AlertmanagerNotificationsFailing', '15m', { job: 'alertmanager', instance: HOST, integration: 'slack', severity: 'critical' })],
    },
    {
      name: 'notifications succeed',
      interval: '1m',
      input_series: [input('alertmanager_notifications_failed_total', { job: 'alertmanager', instance: HOST, integration: 'slack' }, '0x30')],
      alert_rule_test: [quiet('AlertmanagerNotificationsFailing', '15m')],
    },
  ],
  PlatformComponentDown: [
    {
      name: 'loki down (and node down, which HostDown covers, not this alert)',
      interval: '1m',
      input_series: [input('up', { job: 'loki', instance: HOST }, '0x20'), input('up', node, '0x20')],
      alert_rule_test: [fires('PlatformComponentDown', '10m', { job: 'loki', instance: HOST, severity: 'warning' })],
    },
    {
      name: 'everything up',
      interval: '1m',
      input_series: [input('up', { job: 'loki', instance: HOST }, '1x20'), input('up', { job: 'grafana', instance: HOST }, '1x20')],
      alert_rule_test: [quiet('PlatformComponentDown', '10m')],
    },
  ],
  ConfigSyncRefused: [
    {
      name: 'a bad push of the prometheus files, refused until the fix is pushed at minute 20',
      interval: '1m',
      // the marker is only present while the bucket holds the refused files; node exporter drops it after the fix
      input_series: [
        input('lgtm_config_sync_refused', { ...node, group: 'prometheus' }, '_x2 1x18 stale'),
        input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x30'),
      ],
      alert_rule_test: [
        quiet('ConfigSyncRefused', '5m'), // pending: refused for 3 minutes only
        fires('ConfigSyncRefused', '10m', { ...node, group: 'prometheus', severity: 'warning' }),
        quiet('ConfigSyncRefused', '22m'), // the correcting push was applied
      ],
    },
    {
      name: 'a push refused for one run only (a half-uploaded deploy), then applied: no ticket',
      interval: '1m',
      input_series: [input('lgtm_config_sync_refused', { ...node, group: 'alertmanager' }, '_x2 1x1 stale')],
      alert_rule_test: [quiet('ConfigSyncRefused', '4m'), quiet('ConfigSyncRefused', '8m')],
    },
  ],
  PushedSeriesOverBudget: [
    {
      name: 'staging pushes one series over the default budget for 15 minutes; production stays under it',
      interval: '1m',
      input_series: [...pushedSeries('staging', DEFAULT_CONFIG.alerting.thresholds.pushedSeriesPerEnvironment + 1), ...pushedSeries('production', 10)],
      alert_rule_test: [
        quiet('PushedSeriesOverBudget', '5m'), // pending
        fires('PushedSeriesOverBudget', '12m', { environment: 'staging', severity: 'critical' }),
      ],
    },
    {
      name: 'exactly the budget: at it, not over it',
      interval: '1m',
      input_series: pushedSeries('staging', DEFAULT_CONFIG.alerting.thresholds.pushedSeriesPerEnvironment),
      alert_rule_test: [quiet('PushedSeriesOverBudget', '12m')],
    },
  ],
  ConfigSyncStale: [
    {
      name: 'the sync stops at minute 5; node exporter keeps exporting the last timestamp',
      interval: '1m',
      input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x5 300x40'), input('node_boot_time_seconds', node, '-86400x45')],
      alert_rule_test: [
        quiet('ConfigSyncStale', '20m'), // 15 minutes without a run: at the threshold, not above it
        quiet('ConfigSyncStale', '24m'), // pending
        fires('ConfigSyncStale', '27m', { ...node, severity: 'warning' }),
      ],
    },
    {
      name: 'the sync series disappears (textfile gone) on a host that has been up for a day',
      interval: '1m',
      // runs every minute until minute 3, then the series vanishes (stale marker): only the absent branch can fire
      input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x3 stale'), input('node_boot_time_seconds', node, '-86400x20')],
      alert_rule_test: [quiet('ConfigSyncStale', '3m'), quiet('ConfigSyncStale', '8m'), fires('ConfigSyncStale', '10m', { ...node, severity: 'warning' })],
    },
    {
      name: 'a fresh host: no sync recorded during the first 14 minutes after boot, then runs every minute',
      interval: '1m',
      input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '_x14 840+60x30'), input('node_boot_time_seconds', node, '0x45')],
      alert_rule_test: [quiet('ConfigSyncStale', '10m'), quiet('ConfigSyncStale', '14m'), quiet('ConfigSyncStale', '40m')],
    },
    {
      name: 'the sync runs every minute',
      interval: '1m',
      input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x60'), input('node_boot_time_seconds', node, '-86400x60')],
      alert_rule_test: [quiet('ConfigSyncStale', '30m'), quiet('ConfigSyncStale', '60m')],
    },
    {
      name: 'node exporter not scraped at all: HostDown, not this alert',
      interval: '1m',
      input_series: [input('up', node, '0x40')],
      alert_rule_test: [quiet('ConfigSyncStale', '30m')],
    },
  ],
};

describe('alert catalog rules under promtool', () => {
  it('GIVEN the catalog THEN every alert has a firing and a non-firing case', () => {
    for (const def of ALERT_CATALOG) {
      const tests = (CASES[(def.tierOf ?? def.name) as AlertName] ?? []).flatMap((c) => c.alert_rule_test ?? []).filter((t) => t.alertname === def.name);
      expect({ alert: def.name, firing: tests.some((t) => t.exp_alerts.length > 0) }).toEqual({ alert: def.name, firing: true });
      expect({ alert: def.name, quiet: tests.some((t) => t.exp_alerts.length === 0) }).toEqual({ alert: def.name, quiet: true });
    }
  });

  it('GIVEN the firing labels in the cases THEN they are exactly the catalog labels plus severity', () => {
    for (const def of ALERT_CATALOG) {
      for (const test of (CASES[(def.tierOf ?? def.name) as AlertName] ?? []).flatMap((c) => c.alert_rule_test ?? []).filter((t) => t.alertname === def.name)) {
        for (const exp of test.exp_alerts) {
          for (const label of [...def.labels, 'severity'])
            expect({ alert: def.name, label, present: label in exp.exp_labels }).toEqual({ alert: def.name, label, present: true });
          expect(exp.exp_labels.severity).toBe(def.severity);
        }
      }
    }
  });

  it.each(Object.keys(CASES) as AlertName[])('WHEN promtool runs the cases of %s THEN they pass', (name) => {
    const result = runPromtoolTests(CASES[name] ?? []);
    if (result.status !== 0) throw new Error(`promtool test rules failed for ${name}:\n${result.output}`);
    expect(result.status).toBe(0);
  });

  it('GIVEN a wrong expectation WHEN promtool runs THEN it fails (the harness can fail)', () => {
    const wrong: PromtoolTestCase = {
      name: 'node up yet HostDown expected',
      interval: '1m',
      input_series: [input('up', node, '1x10')],
      alert_rule_test: [fires('HostDown', '5m', { ...node, severity: 'critical' })],
    };
    const result = runPromtoolTests([wrong]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/HostDown/);
  });

  it('GIVEN the rendered annotations WHEN ProbeSlow fires THEN summary, description, value, runbook and dashboard links are exact', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'annotations of ProbeSlow',
          interval: '1m',
          input_series: [input('probe_duration_seconds', probe, '2.5x20')],
          alert_rule_test: [
            {
              eval_time: '15m',
              alertname: 'ProbeSlow',
              exp_alerts: [
                {
                  exp_labels: { ...probe, team: 'platform', severity: 'warning' },
                  exp_annotations: {
                    summary: 'anvila-api (production) answers its probe slowly',
                    description: 'The blackbox probe of https://api.anvila.example/health has taken 2.5s on average over 5 minutes.',
                    value: '2.5s average probe duration (5m)',
                    runbook_url: 'https://github.com/acme/anvila-observability/blob/main/runbooks/ProbeSlow.md',
                    dashboard_url: 'http://203.0.113.10:3000/d/lgtm-uptime?var-service=anvila-api&var-environment=production',
                  },
                },
              ],
            },
          ],
        },
      ],
      { keepAnnotations: true },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });

  it('GIVEN a refused push WHEN ConfigSyncRefused fires THEN its description names the group and where to look on the host', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'annotations of ConfigSyncRefused',
          interval: '1m',
          input_series: [input('lgtm_config_sync_refused', { ...node, group: 'alertmanager' }, '1x10')],
          alert_rule_test: [
            {
              eval_time: '6m',
              alertname: 'ConfigSyncRefused',
              exp_alerts: [
                {
                  exp_labels: { ...node, group: 'alertmanager', severity: 'warning' },
                  exp_annotations: {
                    summary: `The host ${HOST} refuses the pushed alertmanager configuration`,
                    description:
                      `The config sync on ${HOST} has refused the alertmanager files in the config bucket for 5 minutes (lgtm_config_sync_refused = 1): ` +
                      'they failed their checker, so alertmanager keeps running the last good files and the pushed change is not live. ' +
                      'Why: journalctl -u lgtm-sync on the host, and the checker output in /var/lib/lgtm-sync/rejected/alertmanager/reason.txt.',
                    runbook_url: 'https://github.com/acme/anvila-observability/blob/main/runbooks/ConfigSyncRefused.md',
                    dashboard_url: 'http://203.0.113.10:3000/d/lgtm-platform',
                  },
                },
              ],
            },
          ],
        },
      ],
      { keepAnnotations: true },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });

  it('GIVEN a total outage from the start WHEN SLOBurnRateFast fires THEN its description shows the burn rate and, via query, the budget left', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'annotations of SLOBurnRateFast',
          interval: '1m',
          input_series: [input('probe_success', probe, '0x10')],
          alert_rule_test: [
            {
              eval_time: '5m',
              alertname: 'SLOBurnRateFast',
              exp_alerts: [
                {
                  exp_labels: { service: 'anvila-api', environment: 'production', slo: 'availability', sli: 'probe', team: 'platform', severity: 'critical' },
                  exp_annotations: {
                    summary: 'anvila-api (production) burns its availability error budget fast',
                    // error ratio 1 against a 0.5% budget: 200x; the whole window so far was an outage: 1 - 200 = -19900% left
                    description:
                      'The availability SLO of anvila-api in production burns its error budget at 200x the sustainable rate; at this pace the budget is gone within days. Error budget left: -1.99e+04%.',
                    value: '200x burn rate',
                    runbook_url: 'https://github.com/acme/anvila-observability/blob/main/runbooks/SLOBurnRateFast.md',
                    dashboard_url: 'http://203.0.113.10:3000/d/lgtm-slo?var-service=anvila-api&var-environment=production&var-slo=availability',
                  },
                },
              ],
            },
          ],
        },
      ],
      { keepAnnotations: true },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });
});
