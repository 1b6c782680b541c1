import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_CATALOG } from '../../lib/alerting/packs';
import { HOST_ALERTS_BEYOND_THE_MIXIN, NODE_MIXIN_COVERAGE, NODE_MIXIN_TAG, withRenderedMixinTable } from '../../lib/alerting/mixin-coverage';
import { ARTIFACTS } from '../../lib/host/artifacts';

/**
 * GIVEN the alert names of the node-exporter mixin at the pinned tag (read from
 * docs/node-mixin/alerts/alerts.libsonnet of prometheus/node_exporter at v1.12.1; its alert set and conditions are those of v1.9.1, which the table was first read at)
 * THEN the coverage table has each of them once, maps them to host alerts of the catalog or says why not,
 * every host alert appears in it, and docs/host-alerts.md shows exactly that table.
 */
const MIXIN_ALERTS_AT_V1_12_1 = [
  'NodeFilesystemSpaceFillingUp',
  'NodeFilesystemAlmostOutOfSpace',
  'NodeFilesystemFilesFillingUp',
  'NodeFilesystemAlmostOutOfFiles',
  'NodeNetworkReceiveErrs',
  'NodeNetworkTransmitErrs',
  'NodeHighNumberConntrackEntriesUsed',
  'NodeTextFileCollectorScrapeError',
  'NodeClockSkewDetected',
  'NodeClockNotSynchronising',
  'NodeRAIDDegraded',
  'NodeRAIDDiskFailure',
  'NodeFileDescriptorLimit',
  'NodeCPUHighUsage',
  'NodeSystemSaturation',
  'NodeMemoryMajorPagesFaults',
  'NodeMemoryHighUtilization',
  'NodeDiskIOSaturation',
  'NodeSystemdServiceFailed',
  'NodeSystemdServiceCrashlooping',
  'NodeBondingDegraded',
];

describe('node-exporter mixin coverage', () => {
  it('GIVEN the pinned node exporter THEN the table was read at its tag', () => {
    expect(`v${ARTIFACTS.find((a) => a.name === 'node_exporter')!.version}`).toBe(NODE_MIXIN_TAG);
  });

  it('GIVEN the mixin alerts THEN each is in the table once', () => {
    expect(NODE_MIXIN_COVERAGE.map((row) => row.mixin)).toEqual(MIXIN_ALERTS_AT_V1_12_1);
  });

  it('GIVEN a row THEN it names host alerts of the catalog, warning first, or says why it does not apply', () => {
    for (const row of NODE_MIXIN_COVERAGE) {
      if (row.ours.length === 0)
        expect({ mixin: row.mixin, difference: row.difference }).toEqual({ mixin: row.mixin, difference: expect.stringMatching(/^Does not apply: .{20,}/) });
      for (const name of row.ours)
        expect({ mixin: row.mixin, name, group: ALERT_CATALOG.find((a) => a.name === name)?.group }).toEqual({ mixin: row.mixin, name, group: 'host' });
      const severities = row.ours.map((name) => ALERT_CATALOG.find((a) => a.name === name)!.severity);
      if (severities.length === 2) expect({ mixin: row.mixin, severities }).toEqual({ mixin: row.mixin, severities: ['warning', 'critical'] });
    }
  });

  it('GIVEN the host alerts of the catalog THEN each is in the table', () => {
    const listed = new Set([...NODE_MIXIN_COVERAGE.flatMap((row) => row.ours), ...HOST_ALERTS_BEYOND_THE_MIXIN.map((row) => row.ours)]);
    for (const def of ALERT_CATALOG.filter((a) => a.group === 'host'))
      expect({ alert: def.name, listed: listed.has(def.name) }).toEqual({ alert: def.name, listed: true });
  });

  it('GIVEN docs/host-alerts.md THEN its table is the rendering of the coverage table', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'host-alerts.md'), 'utf8');
    expect(withRenderedMixinTable(doc)).toBe(doc);
    expect(doc).toContain('| NodeRAIDDegraded |');
    expect(() => withRenderedMixinTable('no markers')).toThrow(/markers/);
  });
});
