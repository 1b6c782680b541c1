import { Testing } from '../../lib/framework';
import { renderHostFiles } from '../../lib/render-host-files';
import { ObservabilityPlatform } from '../../lib/platform';
import { platformConfig } from '../helpers/platform-fixtures';
import { CONTEXT, SINGLE_CONTEXT, switchedConfig } from './fixtures';
import { compilePlatform } from '../../lib/model/compile';

/** The Grafana stack's resources of one type, by name. */
function grafanaResources(config: ReturnType<typeof platformConfig>, type: string): Record<string, any> {
  const app = Testing.app();
  const platform = new ObservabilityPlatform(app, 'platform', { config });
  return JSON.parse(Testing.synth(platform.grafana)).resource[type];
}

describe('GIVEN the default platform, once on one host and once switched to scale: distributed', () => {
  const single = platformConfig();
  const distributed = switchedConfig();
  const singleFiles = new Map(renderHostFiles(compilePlatform(single), SINGLE_CONTEXT).map((f) => [f.path, f.content]));
  const distributedFiles = new Map(renderHostFiles(compilePlatform(distributed), CONTEXT).map((f) => [f.path, f.content]));

  it('THEN every rule file (recording rules, alerts, SLOs) is byte-identical', () => {
    const rules = [...singleFiles.keys()].filter((path) => path.startsWith('/etc/prometheus/rules/'));
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const path of rules) expect(distributedFiles.get(path)).toBe(singleFiles.get(path));
  });

  it("THEN Alertmanager's config and templates are byte-identical", () => {
    const alerting = [...singleFiles.keys()].filter((path) => path.startsWith('/etc/alertmanager/'));
    expect(alerting.length).toBeGreaterThan(0);
    for (const path of alerting) expect(distributedFiles.get(path)).toBe(singleFiles.get(path));
  });

  it('THEN only the storage, remote-write, data-source and ingest-certificate files change, and no file appears or disappears', () => {
    expect([...distributedFiles.keys()]).toEqual([...singleFiles.keys()]);
    const changed = [...singleFiles.keys()].filter((path) => distributedFiles.get(path) !== singleFiles.get(path));
    expect(changed.sort()).toEqual(
      [
        '/etc/grafana/grafana.ini',
        '/etc/loki/loki.yml',
        '/etc/prometheus/prometheus.yml',
        '/etc/tempo/tempo.yml',
        // The units of the programs that now call S3 or AMP may reach the instance metadata service (the role's credentials).
        '/etc/systemd/system/grafana-server.service',
        '/etc/systemd/system/loki.service',
        '/etc/systemd/system/prometheus.service',
        '/etc/systemd/system/tempo.service',
        // The ingest fleet's server certificate is issued by the host's CA at boot (lgtm-secrets).
        '/usr/local/sbin/lgtm-secrets',
      ].sort(),
    );
  });

  it('THEN every dashboard and folder is byte-identical, and every data source keeps its UID', () => {
    const singleDashboards = grafanaResources(single, 'grafana_dashboard');
    const distributedDashboards = grafanaResources(distributed, 'grafana_dashboard');
    expect(Object.keys(singleDashboards).length).toBeGreaterThanOrEqual(7);
    expect(distributedDashboards).toEqual(singleDashboards);
    expect(grafanaResources(distributed, 'grafana_folder')).toEqual(grafanaResources(single, 'grafana_folder'));
    const uids = (config: typeof single) => Object.values(grafanaResources(config, 'grafana_data_source')).map((d: any) => [d.uid, d.type, d.name]);
    expect(uids(distributed)).toEqual(uids(single));
  });
});
