import { buildDashboards } from '../../lib/dashboards';
import { STATIC_ALERTS } from '../../lib/alerting/packs';
import { dashboardQueries } from '../../lib/grafana/dashboard-queries';
import { compilePlatform } from '../../lib/model/compile';
import { promqlMetricNames, promqlVectorSelectors, type VectorSelector } from '../../lib/promql/expression-metrics';
import { platformConfig } from '../helpers/platform-fixtures';

/**
 * GIVEN the Host dashboard and the alert packs, built from the default config
 * WHEN the `node_filesystem_*` selectors of the dashboard's disk panels and of the alerts are parsed
 * THEN both pick filesystems with the same matchers (fstype, mountpoint, device), so a filesystem an alert fires
 * on is one the dashboard draws and the dashboard draws none the alerts ignore.
 */

const config = platformConfig();
const model = compilePlatform(config);

/** The matchers of a selector that choose filesystems (not the instance or the job, which say whose). */
const FILESYSTEM_LABELS = ['fstype', 'mountpoint', 'device'];
const filesystemChoice = (selector: VectorSelector) =>
  selector.matchers
    .filter((m) => FILESYSTEM_LABELS.includes(m.label))
    .map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`)
    .sort()
    .join(',');
const filesystemSelectors = (exprs: readonly string[]) => exprs.flatMap(promqlVectorSelectors).filter((s) => s.metric?.startsWith('node_filesystem_'));

const dashboardExprs = dashboardQueries('host', buildDashboards(config).host)
  .filter((q) => q.language === 'promql')
  .map((q) => q.expr);
const alertExprs = STATIC_ALERTS.map((def) => def.expr(model.alertContext));

describe('GIVEN the Host dashboard and the disk alerts', () => {
  it('THEN the dashboard has disk panels and the packs have filesystem alerts to compare', () => {
    expect(filesystemSelectors(dashboardExprs).length).toBeGreaterThanOrEqual(3);
    expect(STATIC_ALERTS.filter((def) => def.reads.some((m) => m.startsWith('node_filesystem_'))).map((def) => def.name)).toEqual(
      expect.arrayContaining(['HostDiskFillingUp', 'HostDiskAlmostFull', 'HostInodesFillingUp', 'HostInodesAlmostExhausted']),
    );
  });

  it('THEN every node_filesystem_* selector of either side chooses filesystems with the same matchers', () => {
    const dashboard = new Set(filesystemSelectors(dashboardExprs).map(filesystemChoice));
    const alerts = new Set(filesystemSelectors(alertExprs).map(filesystemChoice));
    expect([...dashboard]).toEqual([...alerts]);
    expect(dashboard.size).toBe(1);
    expect([...dashboard][0]).toMatch(/^fstype!~"[^"]+"$/);
  });

  it('THEN the parser behind the comparison reads matchers, and the metric names derived from it are unchanged', () => {
    expect(promqlVectorSelectors(`node_filesystem_avail_bytes{job="node", fstype!~"tmpfs|ramfs", mountpoint=~'/var.*'}`)).toEqual([
      {
        metric: 'node_filesystem_avail_bytes',
        matchers: [
          { label: 'job', op: '=', value: 'node' },
          { label: 'fstype', op: '!~', value: 'tmpfs|ramfs' },
          { label: 'mountpoint', op: '=~', value: '/var.*' },
        ],
      },
    ]);
    expect(promqlMetricNames('rate({__name__="a_total"}[5m]) / b{__name__!="c"}')).toEqual(['a_total', 'b']);
  });
});
