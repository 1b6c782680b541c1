import { OPERATOR_REACHED, operatorUrl } from '../../lib/contracts/operator-reach';
import { serviceSpecs } from '../../lib/host/systemd-units';
import { FakeSlack, startAlertmanager, startPrometheus } from './live-stack';
import { CONTEXT, defaultConfig, tempDir, waitFor, type Daemon } from './support';

/**
 * GIVEN Prometheus and Alertmanager started with the external URLs of the host's units (the operator's end of an
 * SSM port forward: http://localhost:<same port>)
 * WHEN an alert fires and is delivered to Slack
 * THEN the silence link and the alert's source link open on localhost at the forwarded port, and Prometheus
 * still serves its API and the lifecycle reload the config sync uses at the root path.
 */
describe('operator reach: links in alerts open through an SSM port forward (live)', () => {
  const workspace = tempDir('issue-23-reach');
  const slack = new FakeSlack();
  const daemons: Daemon[] = [];
  const config = defaultConfig();

  afterAll(async () => {
    await Promise.all(daemons.map((daemon) => daemon.stop()));
    await slack.stop();
    workspace.cleanup();
  });

  it('GIVEN the host units THEN Prometheus and Alertmanager are known by their forwarded local URL', () => {
    const specs = serviceSpecs(config);
    for (const [unit, port] of Object.entries(OPERATOR_REACHED))
      expect(specs.find((s) => s.unit === unit)!.exec).toContain(`--web.external-url=http://localhost:${port}`);
  });

  it('delivers a silence link and a source link on localhost, and the sync can still reload Prometheus', async () => {
    await slack.start();
    const alertmanager = await startAlertmanager(config, CONTEXT, workspace.dir, slack.url, { externalUrl: operatorUrl });
    daemons.push(alertmanager.daemon);
    const rules = [
      'groups:',
      '  - name: reach',
      '    rules:',
      '      - alert: HostUnitFailed',
      '        expr: vector(1)',
      '        labels: { severity: critical, instance: anvila-monitoring, name: loki.service }',
      '        annotations: { summary: reach test, description: reach test }',
    ].join('\n');
    const prometheus = await startPrometheus(workspace.dir, {
      alertmanagerPort: alertmanager.port,
      scrapeJobs: [],
      ruleFileContent: `${rules}\n`,
      extraFlags: (port) => [`--web.external-url=${operatorUrl(port)}`, '--web.enable-lifecycle'],
    });
    daemons.push(prometheus.daemon);

    const message = await waitFor(
      'a Slack message for the firing alert',
      () => slack.messages.find((m) => m.attachments?.[0]?.title.includes('HostUnitFailed')),
      30000,
      250,
    );
    expect(message.attachments[0].text).toContain(`<http://localhost:${alertmanager.port}/#/silences/new?filter=%7B`);

    const alerts = (await (await fetch(`http://127.0.0.1:${alertmanager.port}/api/v2/alerts`)).json()) as Array<{
      generatorURL: string;
      labels: Record<string, string>;
    }>;
    const fired = alerts.find((a) => a.labels.alertname === 'HostUnitFailed');
    expect(fired?.generatorURL).toMatch(new RegExp(`^http://localhost:${prometheus.port}/graph\\?g0\\.expr=`));

    // the reload URL the config sync calls (http://127.0.0.1:<port>/-/reload) is unaffected by the external URL
    expect((await fetch(`http://127.0.0.1:${prometheus.port}/-/reload`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${prometheus.port}/api/v1/query?query=up`)).status).toBe(200);
  }, 60000);
});
