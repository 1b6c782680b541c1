import { alertDefinition } from './packs';

/**
 * How the host alerts stand against the node-exporter mixin (docs/node-mixin/alerts/alerts.libsonnet of
 * prometheus/node_exporter at the pinned node_exporter tag): for each of its alerts, ours, or why it does not
 * apply, and where our condition or `for` differs from its. docs/host-alerts.md is rendered from this table.
 */

/** The tag the mixin facts below were read at: the node_exporter version the host pins. */
export const NODE_MIXIN_TAG = 'v1.12.1';

export interface MixinAlert {
  /** The mixin's alert name (it names both tiers of a tiered alert alike). */
  readonly mixin: string;
  /** Its condition and `for` per severity, in short. */
  readonly reference: string;
  /** Our alerts that cover it, warning tier first; empty when it does not apply. */
  readonly ours: readonly string[];
  /** Where ours differs and why, or why it does not apply. */
  readonly difference: string;
}

export const NODE_MIXIN_COVERAGE: readonly MixinAlert[] = [
  {
    mixin: 'NodeFilesystemSpaceFillingUp',
    reference: 'warning: < 40 % free and predicted full within 24 h (6 h trend), 1h; critical: < 20 % free and full within 4 h, 1h; read-write only',
    ours: ['HostDiskFillingUp', 'HostDiskFillingUpCritical'],
    difference:
      'Same conditions and `for`; the free floors and horizons are `alerting.thresholds` keys. An almost-full disk (HostDiskAlmostFull or its critical tier) mutes the warning, which would only repeat it.',
  },
  {
    mixin: 'NodeFilesystemAlmostOutOfSpace',
    reference: 'warning: < 5 % free, 30m; critical: < 3 % free, 30m; read-write only',
    ours: ['HostDiskAlmostFull', 'HostDiskAlmostFullCritical'],
    difference:
      'Earlier thresholds, kept from the seed project: ticket at 80 % used, page at 90 % (`diskPercent`, `diskCriticalPercent`), so every case the mixin pages for pages here too, sooner. One monitoring host has no replica to fail over to, and a full data volume stops Prometheus, Loki and Tempo at once; the headroom is the time to grow the EBS volume.',
  },
  {
    mixin: 'NodeFilesystemFilesFillingUp',
    reference: 'warning: < 40 % inodes free and out within 24 h, 1h; critical: < 20 % and out within 4 h, 1h; read-write only',
    ours: ['HostInodesFillingUp', 'HostInodesFillingUpCritical'],
    difference: 'Same conditions and `for`.',
  },
  {
    mixin: 'NodeFilesystemAlmostOutOfFiles',
    reference: 'warning: < 5 % inodes free, 1h; critical: < 3 %, 1h; read-write only',
    ours: ['HostInodesAlmostExhausted', 'HostInodesAlmostExhaustedCritical'],
    difference: 'Same conditions and `for`.',
  },
  {
    mixin: 'NodeNetworkReceiveErrs',
    reference: 'warning: receive errors > 1 % of received packets (2m rate), 1h',
    ours: ['HostNetworkReceiveErrors'],
    difference: 'Same condition and `for`.',
  },
  {
    mixin: 'NodeNetworkTransmitErrs',
    reference: 'warning: transmit errors > 1 % of sent packets (2m rate), 1h',
    ours: ['HostNetworkTransmitErrors'],
    difference: 'Same condition and `for`.',
  },
  {
    mixin: 'NodeHighNumberConntrackEntriesUsed',
    reference: 'warning: conntrack entries > 75 % of the limit, no `for`',
    ours: ['HostConntrackNearLimit'],
    difference: 'Same condition and `for`.',
  },
  {
    mixin: 'NodeTextFileCollectorScrapeError',
    reference: 'warning: node_textfile_scrape_error == 1, no `for`',
    ours: ['HostTextfileCollectorError'],
    difference:
      "`for: 5m`: one unreadable read (a file caught mid-write by a tool that does not rename into place) should not open a ticket; a lasting error blinds ConfigSyncRefused and ConfigSyncStale, which read the sync's textfile metrics.",
  },
  {
    mixin: 'NodeClockSkewDetected',
    reference: 'warning: offset > 50 ms and not shrinking (5m deriv), 10m',
    ours: ['HostClockSkew'],
    difference: 'Same condition and `for`.',
  },
  {
    mixin: 'NodeClockNotSynchronising',
    reference: 'warning: unsynchronised for 5m and maxerror >= 16 s, 10m',
    ours: ['HostClockNotSynchronising'],
    difference: "Same condition and `for`; the alert's value is the estimated error (the mixin's is the 0 of the status).",
  },
  {
    mixin: 'NodeRAIDDegraded',
    reference: 'critical: an md array has fewer active disks than required, 15m',
    ours: [],
    difference: 'Does not apply: EBS volumes are attached as single NVMe devices, the platform builds no md RAID, so node_md_* is never exported.',
  },
  {
    mixin: 'NodeRAIDDiskFailure',
    reference: 'warning: a failed device in an md array, no `for`',
    ours: [],
    difference: 'Does not apply: no md RAID on the host (see NodeRAIDDegraded); EBS replicates within its availability zone.',
  },
  {
    mixin: 'NodeFileDescriptorLimit',
    reference: 'warning: > 70 % of fs.file-max allocated, 15m; critical: > 90 %, 15m',
    ours: ['HostFileDescriptorsNearLimit', 'HostFileDescriptorsNearLimitCritical'],
    difference: 'Same conditions and `for`; thresholds are `fileDescriptorPercent` and `fileDescriptorCriticalPercent`.',
  },
  {
    mixin: 'NodeCPUHighUsage',
    reference: 'info: CPU busy (all modes but idle and iowait) > 90 %, 15m',
    ours: ['HostHighCpu', 'HostHighCpuCritical'],
    difference:
      'Two tiers instead of one informational alert: ticket above 80 %, page above 90 % (`cpuPercent`, `cpuCriticalPercent`), as the seed project had. Busy is everything but idle (iowait counts): a core waiting on disk serves no query either; HostDiskIoSaturated names the disk cause. A saturated single host delays every alert of the platform, so it pages.',
  },
  {
    mixin: 'NodeSystemSaturation',
    reference: 'warning: 1-minute load per core > 2, 15m',
    ours: ['HostLoadHigh'],
    difference: 'Same condition and `for`; the per-core threshold is `loadPerCore`.',
  },
  {
    mixin: 'NodeMemoryMajorPagesFaults',
    reference: 'warning: > 500 major page faults/s (5m rate), 15m',
    ours: ['HostMemoryMajorPageFaults'],
    difference: 'Same condition and `for`.',
  },
  {
    mixin: 'NodeMemoryHighUtilization',
    reference: 'warning: memory used (1 - MemAvailable/MemTotal) > 90 %, 15m',
    ours: ['HostHighMemory', 'HostHighMemoryCritical'],
    difference:
      'Two tiers: ticket above 80 %, page above 90 % (`memoryPercent`, `memoryCriticalPercent`): at 90 % the OOM killer is near, and it takes Prometheus, the largest process, first.',
  },
  {
    mixin: 'NodeDiskIOSaturation',
    reference: 'warning: average I/O queue (weighted io time rate, 5m) > 10, 30m',
    ours: ['HostDiskIoSaturated'],
    difference: 'Same condition and `for`; the queue threshold is `diskIoQueueLength`.',
  },
  {
    mixin: 'NodeSystemdServiceFailed',
    reference: 'warning: node_systemd_unit_state{state="failed"} == 1, 5m',
    ours: ['HostUnitFailed'],
    difference:
      "Critical instead of warning, and limited to the platform's units by the collector's unit pattern: a platform unit that failed has used up its restarts (StartLimitBurst) and stays down until someone starts it.",
  },
  {
    mixin: 'NodeSystemdServiceCrashlooping',
    reference: 'warning: more than 2 restarts in 5m, 15m',
    ours: ['HostUnitCrashLooping'],
    difference:
      'Same condition and `for`. With our units (restart after 5 s, at most 10 starts in 10 minutes) a fast crash loop ends in the failed state and pages as HostUnitFailed; this alert catches the slower loops that stay under the start limit.',
  },
  {
    mixin: 'NodeBondingDegraded',
    reference: 'warning: a bonding interface has inactive slaves, 5m',
    ours: [],
    difference: 'Does not apply: an EC2 instance has ENA interfaces without Linux bonding, so node_bonding_* is never exported.',
  },
];

/** Our host alerts with no mixin counterpart, and why they exist. */
export const HOST_ALERTS_BEYOND_THE_MIXIN: ReadonlyArray<{ readonly ours: string; readonly why: string }> = [
  { ours: 'HostDown', why: 'The mixin leaves a missing target to a generic TargetDown alert elsewhere; here it is the host alert that mutes the others.' },
];

/** docs/host-alerts.md's comparison table. */
export function renderMixinCoverageTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const ours = (names: readonly string[]) =>
    names.length ? names.map((name) => `${name} (${alertDefinition(name).severity}, for ${alertDefinition(name).for})`).join('<br>') : 'does not apply';
  const rows = NODE_MIXIN_COVERAGE.map((row) => `| ${row.mixin} | ${cell(row.reference)} | ${ours(row.ours)} | ${cell(row.difference)} |`);
  const beyond = HOST_ALERTS_BEYOND_THE_MIXIN.map((row) => `| — | — | ${ours([row.ours])} | ${cell(row.why)} |`);
  return ['| Mixin alert | Mixin condition | Ours | Difference, and why |', '| --- | --- | --- | --- |', ...rows, ...beyond].join('\n');
}

/** Where the rendered table sits in docs/host-alerts.md (the prose around it is written by hand). */
export const TABLE_MARKERS = ['<!-- mixin-table:start (rendered by scripts/host-alerts-doc.ts) -->', '<!-- mixin-table:end -->'] as const;

/** docs/host-alerts.md with its table replaced by the current rendering. */
export function withRenderedMixinTable(doc: string): string {
  const [start, end] = TABLE_MARKERS;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/host-alerts.md: the markers ${start} ... ${end} are missing or out of order`);
  return `${doc.slice(0, from + start.length)}\n${renderMixinCoverageTable()}\n${doc.slice(to)}`;
}
