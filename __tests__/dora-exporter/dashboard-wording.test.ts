import { doraDashboard } from '../../lib/dashboards/dora';
import { loadPlatformConfig } from '../../lib/config/loader';

const config = loadPlatformConfig('config/platform.yaml');

/** Panel title -> description of the DORA dashboard for a config. */
function descriptions(timeToRestoreFrom: 'deployed' | 'incident_opened'): Record<string, string> {
  const dashboard = doraDashboard({ ...config, dora: { ...config.dora!, timeToRestoreFrom } }) as unknown as { panels: { title?: string; description?: string }[] };
  return Object.fromEntries(dashboard.panels.filter((p) => p.title).map((p) => [p.title!, p.description ?? '']));
}

describe('the DORA dashboard says what the exporter measures', () => {
  it('describes time to restore from where it is configured to start', () => {
    expect(descriptions('deployed')['Time to restore']).toBe(
      'Median per change failure, from the failed deployment reaching production to the rollback/hotfix deploy reaching production or the incident issue closing.',
    );
    expect(descriptions('incident_opened')['Time to restore']).toMatch(/^Median per change failure, from the incident issue opening \(rollbacks and hotfixes: from the failed deployment/);
  });

  it('describes change failure rate as deployments blamed after reaching production, and shows the rates apart', () => {
    const panels = descriptions('deployed');
    expect(panels['Change failure rate']).toMatch(/^Share of the deployments that reached production and were then blamed by a rollback\/hotfix deploy or an incident issue\. Red pipeline runs are not counted/);
    expect(panels['Lead time for changes']).toMatch(/^Median per commit, from its author date/);
    expect(Object.keys(panels)).toEqual(expect.arrayContaining(['Deployment rework rate', 'Pipeline failure rate', 'Since the last successful poll', 'Failed polls by repository and reason']));
  });
});
