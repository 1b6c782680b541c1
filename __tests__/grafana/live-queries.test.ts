import { checkPromql } from '../../lib/grafana/dashboard-checks';
import { LIVE_QUERY_DASHBOARDS, livePrometheusQueries } from '../../lib/grafana/live-queries';
import { grafanaTestConfig } from './fixtures';

describe('livePrometheusQueries', () => {
  const config = grafanaTestConfig();
  const queries = livePrometheusQueries(config);

  it('lists the Prometheus panel queries of the Host, Uptime and SLO dashboards', () => {
    expect(LIVE_QUERY_DASHBOARDS).toEqual(['host', 'uptime', 'slo']);
    expect(new Set(queries.map((q) => q.dashboard))).toEqual(new Set(['host', 'uptime', 'slo']));
    for (const query of queries) {
      expect(query).toEqual({
        dashboard: expect.any(String),
        dashboardUid: `lgtm-${query.dashboard}`,
        panel: expect.any(String),
        refId: expect.stringMatching(/^[A-Z]$/),
        expr: expect.any(String),
      });
    }
    expect(queries.filter((q) => q.dashboard === 'host').map((q) => q.panel)).toEqual(expect.arrayContaining(['CPU busy', 'Load average', 'Disk I/O']));
  });

  it('substitutes every variable with a concrete value, leaving valid PromQL', () => {
    for (const query of queries) {
      expect(query.expr).not.toContain('$');
      expect(checkPromql(query.expr)).toEqual([]);
    }
    const cpu = queries.find((q) => q.panel === 'CPU busy');
    expect(cpu?.expr).toBe('1 - avg(rate(node_cpu_seconds_total{mode="idle", instance="127.0.0.1:9100"}[1m]))');
    expect(queries.find((q) => q.panel === 'Objective')?.expr).toBe('slo:objective:ratio{service="anvila-api", environment="staging", slo="availability"}');
  });

  it('takes the values a live test knows, and other dashboards on request', () => {
    const custom = livePrometheusQueries(config, { instance: 'localhost:19100', environment: 'production' });
    expect(custom.find((q) => q.panel === 'CPU busy')?.expr).toContain('instance="localhost:19100"');
    expect(custom.find((q) => q.panel === 'Probe success')?.expr).toBe('probe_success{service="anvila-api", environment=~"production"}');
    expect(new Set(livePrometheusQueries(config, {}, ['dora']).map((q) => q.dashboard))).toEqual(new Set(['dora']));
  });
});
