import { FakeSlack, startAlertmanager, type RunningAlertmanager } from './live-stack';
import { CONTEXT, defaultConfig, tempDir, waitFor } from './support';

/**
 * Inhibitions proven on a running Alertmanager with the rendered config: alerts are posted to /api/v2/alerts and
 * Alertmanager itself reports which are inhibited (and by what), and the fake Slack never hears of them.
 */
describe('inhibitions on a live Alertmanager', () => {
  const workspace = tempDir('inhibit');
  const slack = new FakeSlack();
  let am: RunningAlertmanager;

  beforeAll(async () => {
    await slack.start();
    am = await startAlertmanager(defaultConfig(), CONTEXT, workspace.dir, slack.url);
  }, 30000);

  afterAll(async () => {
    await am?.daemon.stop();
    await slack.stop();
    workspace.cleanup();
  });

  type Labels = Record<string, string>;
  interface ApiAlert {
    labels: Labels;
    status: { state: string; inhibitedBy: string[] };
    fingerprint: string;
  }

  async function post(alerts: Labels[]): Promise<void> {
    const startsAt = new Date().toISOString();
    const response = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((labels) => ({ labels, annotations: { summary: idOf(labels) }, startsAt }))),
    });
    expect(response.status).toBe(200);
  }

  async function alerts(): Promise<ApiAlert[]> {
    const response = await fetch(`${am.url}/api/v2/alerts?active=true&silenced=true&inhibited=true`);
    return (await response.json()) as ApiAlert[];
  }

  const same = (a: Labels, b: Labels) => Object.keys(b).length === Object.keys(a).length && Object.entries(b).every(([k, v]) => a[k] === v);

  const sources: Labels[] = [
    { alertname: 'ProbeFailing', severity: 'critical', service: 'anvila-api', environment: 'production', instance: 'https://api.anvila.example/health' },
    { alertname: 'HostDown', severity: 'critical', instance: '10.0.0.5:9100' },
    { alertname: 'SLOBurnRateFast', severity: 'critical', service: 'anvila-api', environment: 'production', slo: 'availability' },
    { alertname: 'HostDiskAlmostFull', severity: 'critical', instance: '10.0.0.6:9100', mountpoint: '/var/lib/lgtm' },
    // the fast burns of billing's probe and errors SLOs (the pairs that always fire together)
    { alertname: 'SLOBurnRateFast', severity: 'critical', service: 'billing', environment: 'production', slo: 'availability', sli: 'probe' },
    { alertname: 'SLOBurnRateFast', severity: 'critical', service: 'billing', environment: 'production', slo: 'requests', sli: 'errors' },
  ];
  const muted: Labels[] = [
    // the warning twin of a critical alert, same service/environment/instance
    { alertname: 'ProbeFailing', severity: 'warning', service: 'anvila-api', environment: 'production', instance: 'https://api.anvila.example/health' },
    // the other host alerts of a host whose node exporter is down
    { alertname: 'HostHighCpu', severity: 'warning', instance: '10.0.0.5:9100' },
    { alertname: 'HostDiskAlmostFull', severity: 'critical', instance: '10.0.0.5:9100', mountpoint: '/' },
    // the slow burn of the same SLO
    { alertname: 'SLOBurnRateSlow', severity: 'warning', service: 'anvila-api', environment: 'production', slo: 'availability' },
    // a disk already almost full mutes its "filling up" prediction
    { alertname: 'HostDiskFillingUp', severity: 'warning', instance: '10.0.0.6:9100', mountpoint: '/var/lib/lgtm' },
    // the probe alert of the same outage as the probe SLO's fast burn
    { alertname: 'ProbeFailing', severity: 'critical', service: 'billing', environment: 'production', instance: 'https://billing.example/health' },
    // the 5xx ticket of the same burst as the errors SLO's fast burn
    { alertname: 'App5xxRatioHigh', severity: 'warning', service: 'billing', environment: 'production' },
  ];
  const notMuted: Labels[] = [
    { alertname: 'ProbeFailing', severity: 'warning', service: 'anvila-api', environment: 'staging', instance: 'https://staging.api.anvila.example/health' },
    { alertname: 'HostHighCpu', severity: 'warning', instance: '10.0.0.7:9100' },
    // a platform component on the host whose node exporter is down: its own metrics are fresh, so it still fires
    { alertname: 'PlatformComponentDown', severity: 'warning', job: 'loki', instance: '10.0.0.5:9100' },
    { alertname: 'SLOBurnRateSlow', severity: 'warning', service: 'anvila-api', environment: 'production', slo: 'latency' },
    { alertname: 'HostDiskFillingUp', severity: 'warning', instance: '10.0.0.6:9100', mountpoint: '/' },
    // another environment's probe, and a 5xx ticket where no errors SLO burns fast (that burn carries no sli="errors")
    { alertname: 'ProbeFailing', severity: 'critical', service: 'billing', environment: 'staging', instance: 'https://staging.billing.example/health' },
    { alertname: 'App5xxRatioHigh', severity: 'warning', service: 'anvila-api', environment: 'production' },
  ];

  const everyAlert = () => [...sources, ...muted, ...notMuted];
  /** A unique marker per alert, sent as its summary, to find it in Slack messages. */
  const idOf = (labels: Labels) => `alert-id-${String(everyAlert().indexOf(labels)).padStart(2, '0')}-end`;

  it('mutes exactly the designed targets, and Slack only hears of the others', async () => {
    await post(sources);
    await waitFor('the sources to be active', async () => ((await alerts()).length === sources.length ? true : undefined), 10000);
    await post([...muted, ...notMuted]);

    const states = await waitFor(
      'the targets to be inhibited',
      async () => {
        const all = await alerts();
        return all.length === sources.length + muted.length + notMuted.length && all.filter((a) => a.status.inhibitedBy.length > 0).length >= muted.length
          ? all
          : undefined;
      },
      10000,
    );
    const stateOf = (labels: Labels) => states.find((a) => same(a.labels, labels))!;
    for (const labels of muted) expect({ labels, state: stateOf(labels).status.state }).toEqual({ labels, state: 'suppressed' });
    for (const labels of [...sources, ...notMuted]) expect({ labels, state: stateOf(labels).status.state }).toEqual({ labels, state: 'active' });
    // the inhibitor named is the designed source
    const fingerprintOf = (labels: Labels) => stateOf(labels).fingerprint;
    expect(stateOf(muted[0]).status.inhibitedBy).toEqual([fingerprintOf(sources[0])]);
    expect(stateOf(muted[1]).status.inhibitedBy).toEqual([fingerprintOf(sources[1])]);
    expect(stateOf(muted[3]).status.inhibitedBy).toEqual([fingerprintOf(sources[2])]);
    expect(stateOf(muted[5]).status.inhibitedBy).toEqual([fingerprintOf(sources[4])]);
    expect(stateOf(muted[6]).status.inhibitedBy).toEqual([fingerprintOf(sources[5])]);

    // Slack hears of every active alert and of no muted one
    const slackText = () => slack.messages.map((m) => `${m.attachments[0].title}\n${m.attachments[0].text}`).join('\n====\n');
    await waitFor(
      `notifications for every active alert\n${slackText()}`,
      () => ([...sources, ...notMuted].every((labels) => slackText().includes(idOf(labels))) ? true : undefined),
      15000,
    );
    for (const labels of muted) expect({ labels, inSlack: slackText().includes(idOf(labels)) }).toEqual({ labels, inSlack: false });
  }, 45000);
});
