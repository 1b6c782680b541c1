import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { compressRuleFile, mergeRuleFiles } from '../../gameday/compress';
import { GamedayTestService } from '../../gameday/test-service';
import { PORTS } from '../../lib/contracts/ports';
import { scrapeJobs } from '../../lib/prometheus/scrape-config';
import { SCRAPE_JOBS } from '../../lib/contracts/scrape-jobs';
import { SLO_BUDGET_SPENT_ALERTS } from '../../lib/gameday/scenario';
import { latencyThresholds } from '../../lib/gameday/world';
import { FakeSlack, renderedRuleFile, startAlertmanager, startBlackbox, startPrometheus, type ScrapeJob, type SlackMessage } from '../alerting/live-stack';
import { CONTEXT, defaultConfig, run, tempDir, waitFor, type Daemon } from '../alerting/support';

/**
 * Live game days on 127.0.0.1: the game-day test service (prom-client metrics, injectable latency and 5xx) in
 * two copies, anvila-api staging and production, probed by the pinned blackbox exporter (the platform's rendered
 * modules) through the rendered probe job and scraped through the rendered app job; Prometheus evaluates the
 * rendered probes, app and SLO rule files with the clock compressed 40x (every range and `for` divided by 40: a
 * minute of the real rules is 1.5 s here); Alertmanager (rendered config and Slack template) posts to a fake
 * Slack. Scenario 2 (2 s latency on staging's root endpoint) and scenario 4 (full outage of production) run at
 * once, each recovering as soon as its alerts are out; the firing and resolved messages are asserted. Host and platform rule files are not
 * loaded (no node exporter runs here; this machine's CPU and disk are not the game day's business).
 * Bounded: every wait has a deadline, the traffic loop and every process stop in afterAll.
 */
/** 1 real-rule minute = 1.5 s: ProbeSlow's 5m window (7.5 s) then always holds a finished probe (every 4 s, 2 s long). */
const FACTOR = 40;
const LATENCY_MS = 2000;

describe('live game day: latency on staging and a production outage, through the real stack to Slack', () => {
  const workspace = tempDir('gameday-live');
  const slack = new FakeSlack();
  const config = defaultConfig();
  const service = config.services[0];
  const staging = new GamedayTestService(latencyThresholds(service));
  const production = new GamedayTestService(latencyThresholds(service));
  const daemons: Daemon[] = [];
  let traffic = true;
  let trafficDone: Promise<unknown> = Promise.resolve();

  afterAll(async () => {
    traffic = false;
    staging.set({ latencyMs: 0 });
    await trafficDone;
    await Promise.all(daemons.map((daemon) => daemon.stop()));
    await Promise.all([slack.stop(), staging.stop(), production.stop()]);
    workspace.cleanup();
  });

  const title = (m: SlackMessage) => m.attachments?.[0]?.title ?? '';
  const message = (state: 'FIRING' | 'RESOLVED', alertname: string, environment: string) => (m: SlackMessage) =>
    title(m).includes(state) && title(m).includes(` ${alertname} `) && title(m).endsWith(`${service.name}/${environment}`);

  it('GIVEN healthy services WHEN staging turns slow and production fails THEN the right pages and tickets go out, and resolve after recovery', async () => {
    await Promise.all([slack.start(), staging.start(), production.start()]);
    const rules = mergeRuleFiles((['probes', 'app', 'slo'] as const).map((group) => compressRuleFile(renderedRuleFile(config, CONTEXT, group), FACTOR)));
    writeFileSync(path.join(workspace.dir, 'rules-check.yml'), rules);
    const check = run('promtool', ['check', 'rules', path.join(workspace.dir, 'rules-check.yml')]);
    expect(check.stderr + check.stdout).toContain('SUCCESS');

    const alertmanager = await startAlertmanager(config, CONTEXT, workspace.dir, slack.url);
    daemons.push(alertmanager.daemon);
    const blackbox = await startBlackbox(workspace.dir);
    daemons.push(blackbox.daemon);
    const jobs = scrapeJobs(config) as ScrapeJob[];
    // the rendered probe job: both environments' targets point at the test services, probes go to this blackbox;
    // probes every 4 s with room for the 2 s delay inside the scrape timeout (blackbox keeps 0.5 s of it)
    const probe = structuredClone(jobs.find((j) => j.job_name === SCRAPE_JOBS.probe)!);
    const targets: Record<string, string> = { staging: staging.url, production: production.url };
    for (const c of probe.static_configs!) c.targets = [targets[c.labels!.environment]];
    probe.relabel_configs!.find((r) => r.replacement === `127.0.0.1:${PORTS.blackboxExporter}`)!.replacement = `127.0.0.1:${blackbox.port}`;
    Object.assign(probe, { scrape_interval: '4s', scrape_timeout: '3900ms' });
    // the rendered app job, its staging target pointing at the staging test service
    const app = structuredClone(jobs.find((j) => j.job_name === SCRAPE_JOBS.app)!);
    app.static_configs![0].targets = [`127.0.0.1:${staging.port}`];
    const prometheus = await startPrometheus(workspace.dir, { alertmanagerPort: alertmanager.port, scrapeJobs: [probe, app], ruleFileContent: rules });
    daemons.push(prometheus.daemon);
    const logs = () => `${slack.messages.map(title).join('\n')}\n---\n${daemons.map((d) => d.output()).join('\n---\n')}`;
    const query = async (q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
      const response = await fetch(`http://127.0.0.1:${prometheus.port}/api/v1/query?query=${encodeURIComponent(q)}`);
      return ((await response.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
    };

    // steady traffic on staging (4 clients), so that the latency SLI has requests to judge
    trafficDone = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (traffic) {
          await fetch(staging.url)
            .then((r) => r.text())
            .catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }),
    );

    // healthy first: both probes succeed, the app is scraped, the burn rates are recorded, and nothing fires
    await waitFor(
      `healthy probes and a recorded burn rate\n${logs()}`,
      async () => {
        const probes = await query('probe_success == 1');
        const burn = await query(`slo:current_burn_rate:ratio{environment="staging",slo="latency"}`);
        return probes.length === 2 && burn.length === 1 ? true : undefined;
      },
      20000,
    );
    expect(slack.messages.filter((m) => title(m).includes('FIRING'))).toEqual([]);

    const fired = (alertname: string, environment: string) =>
      waitFor(`a FIRING ${alertname} for ${environment}\n${logs()}`, () => slack.messages.find(message('FIRING', alertname, environment)), 30000);
    const resolved = (alertname: string, environment: string) =>
      waitFor(`a RESOLVED ${alertname} for ${environment}\n${logs()}`, () => slack.messages.find(message('RESOLVED', alertname, environment)), 50000);

    // WHEN scenario 4: production answers only 503 (a full outage), until its pages are out
    const outage = async () => {
      production.set({ errorRate: 1 });
      const broken = Date.now();
      // THEN SLOBurnRateFast pages within 5 (compressed) minutes, plus the pipeline's own latency (a probe
      // every 4 s, evaluation every 1 s, Alertmanager's 1 s group_wait)
      const page = await fired('SLOBurnRateFast', 'production');
      expect(Date.now() - broken).toBeLessThan((5 * 60_000) / FACTOR + 4000 + 1000 + 1000 + 4000);
      expect(page.channel).toBe(config.alerting.slack.channels.critical);
      // AND ProbeFailing fires too, but Alertmanager mutes it under the probe SLO's fast burn: one outage, one page
      const probeFailing = await waitFor(
        `ProbeFailing for production, inhibited by SLOBurnRateFast\n${logs()}`,
        async () => {
          const alerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as {
            labels: Record<string, string>;
            status: { inhibitedBy: string[] };
          }[];
          return alerts.find((a) => a.labels.alertname === 'ProbeFailing' && a.labels.environment === 'production' && a.status.inhibitedBy.length > 0);
        },
        30000,
      );
      expect(probeFailing.labels.severity).toBe('critical');
      // AND once production answers again, the page resolves
      production.set({ errorRate: 0 });
      return Promise.all([resolved('SLOBurnRateFast', 'production')]);
    };
    // WHEN scenario 2: a 2 s delay on staging's root endpoint, until its alerts are out
    const latency = async () => {
      staging.set({ latencyMs: LATENCY_MS });
      // THEN staging's latency burns its SLO (a page) and the slow probe opens a ticket
      const page = await fired('SLOBurnRateFast', 'staging');
      expect(page.attachments[0].text).toContain('latency');
      expect(page.channel).toBe(config.alerting.slack.channels.critical);
      expect((await fired('ProbeSlow', 'staging')).channel).toBe(config.alerting.slack.channels.warning);
      // AND once the delay is gone, both resolve
      staging.set({ latencyMs: 0 });
      return Promise.all([resolved('SLOBurnRateFast', 'staging'), resolved('ProbeSlow', 'staging')]);
    };
    const resolutions = (await Promise.all([outage(), latency()])).flat();
    for (const r of resolutions) expect(r.attachments[0].color).toBe('good');

    // what must not fire: staging's probe never failed, production was never slow, nothing answered 5xx on
    // staging; and nothing but probe and SLO alerts reached Slack (the budget alerts too: this world's whole
    // history is the test's two minutes, so any burn spends the budget recorded so far)
    const firingTitles = slack.messages.filter((m) => title(m).includes('FIRING')).map(title);
    expect(firingTitles.filter((t) => / (ProbeFailing) .*\/staging$| (ProbeSlow) .*\/production$| App5xxRatioHigh /.test(t))).toEqual([]);
    const expectedKinds = ['ProbeFailing', 'ProbeSlow', 'SLOBurnRateFast', 'SLOBurnRateSlow', ...SLO_BUDGET_SPENT_ALERTS];
    expect(firingTitles.filter((t) => !expectedKinds.some((alertname) => t.includes(` ${alertname} · `)))).toEqual([]);
  }, 120000);
});
