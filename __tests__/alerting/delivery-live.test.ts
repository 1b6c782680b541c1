import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { alertDefinition, runbookUrl } from '../../lib/alerting/packs';
import { dashboardUrl } from '../../lib/contracts/dashboards';
import { alertGrafanaUrl } from '../../lib/alerting/annotations';
import {
  FakeSlack,
  FlakyApp,
  probeJobForTest,
  renderedRuleFile,
  shortenFor,
  startAlertmanager,
  startBlackbox,
  startPrometheus,
  type SlackMessage,
} from './live-stack';
import { CONTEXT, defaultConfig, run, tempDir, waitFor, type Daemon } from './support';

/**
 * End to end, on 127.0.0.1 only: an app's health endpoint starts failing → the blackbox exporter (the platform's
 * rendered modules) probes it through the platform's rendered probe scrape job → Prometheus evaluates the
 * platform's rendered probes.yml (the catalog's ProbeFailing, only `for:` shortened) → Alertmanager (the rendered
 * config and Slack template) posts to a fake Slack → the app recovers → a resolved message follows.
 * Bounded: every wait has a deadline, all processes stop.
 */
describe('live alert delivery: Prometheus → Alertmanager → Slack', () => {
  const workspace = tempDir('live');
  const slack = new FakeSlack();
  const app = new FlakyApp();
  const daemons: Daemon[] = [];
  const config = defaultConfig();
  const service = config.services[0].name;
  const environment = config.services[0].environments[1].name;
  const probeFailing = alertDefinition('ProbeFailing');
  const expectedDashboard = dashboardUrl(alertGrafanaUrl(config, CONTEXT), probeFailing.dashboard, { service, environment });
  const expectedRunbook = runbookUrl(config.alerting.runbookBaseUrl, 'ProbeFailing');

  afterAll(async () => {
    await Promise.all(daemons.map((daemon) => daemon.stop()));
    await Promise.all([slack.stop(), app.stop()]);
    workspace.cleanup();
  });

  const firingFor = (m: SlackMessage) => m.attachments?.[0]?.title.includes('FIRING') && m.attachments[0].title.includes('ProbeFailing');
  const resolvedFor = (m: SlackMessage) => m.attachments?.[0]?.title.includes('RESOLVED') && m.attachments[0].title.includes('ProbeFailing');

  it('delivers a firing message with every field, then a resolved message after recovery', async () => {
    await Promise.all([slack.start(), app.start()]);
    const ruleFile = shortenFor(renderedRuleFile(config, CONTEXT, probeFailing.group));
    const rule = (yaml.load(ruleFile) as { groups: Array<{ rules: Array<{ alert?: string; annotations?: Record<string, string> }> }> }).groups
      .flatMap((g) => g.rules)
      .find((r) => r.alert === 'ProbeFailing');
    expect(rule?.annotations?.value).toBe(probeFailing.value);
    writeFileSync(path.join(workspace.dir, 'rules-check.yml'), ruleFile);
    expect(run('promtool', ['check', 'rules', path.join(workspace.dir, 'rules-check.yml')]).status).toBe(0);

    const alertmanager = await startAlertmanager(config, CONTEXT, workspace.dir, slack.url);
    daemons.push(alertmanager.daemon);
    const blackbox = await startBlackbox(workspace.dir);
    daemons.push(blackbox.daemon);
    const prometheus = await startPrometheus(workspace.dir, {
      alertmanagerPort: alertmanager.port,
      scrapeJobs: [probeJobForTest(config, { blackboxPort: blackbox.port, targetUrl: app.healthUrl, service, environment })],
      ruleFileContent: ruleFile,
    });
    daemons.push(prometheus.daemon);
    const logs = () => daemons.map((d) => d.output()).join('\n---\n');

    // healthy first: the probe succeeds, so nothing fires
    await waitFor(
      'a successful probe',
      async () => {
        const response = await fetch(`http://127.0.0.1:${prometheus.port}/api/v1/query?query=probe_success`);
        const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
        return body.data.result[0]?.value[1] === '1' ? true : undefined;
      },
      10000,
    );
    expect(slack.messages.filter(firingFor)).toHaveLength(0);

    app.healthy = false;
    const firing = await waitFor(`a FIRING message in fake Slack\n${logs()}`, () => slack.messages.find(firingFor), 25000);
    const attachment = firing.attachments[0];
    expect(firing.channel).toBe(config.alerting.slack.channels.critical);
    expect(attachment.color).toBe('danger');
    expect(attachment.title).toBe(`:rotating_light: FIRING [CRITICAL] ProbeFailing · ${service}/${environment}`);
    expect(attachment.text).toContain('*Alert:* `ProbeFailing`');
    expect(attachment.text).toContain('*Severity:* critical');
    expect(attachment.text).toContain(`*Service:* ${service} / ${environment}`);
    expect(attachment.text).toContain(`*Host/target:* \`${app.healthUrl}\``);
    // the real rule fires on the 5-minute success ratio, which includes the healthy samples before the outage
    const value = /\*Value:\* (\d+(?:\.\d+)?)% of probes succeeded \(5m\)/.exec(attachment.text);
    expect({ value: value?.[0], text: attachment.text }).toEqual({ value: expect.any(String), text: attachment.text });
    expect(Number(value![1])).toBeLessThan(50);
    expect(attachment.text).toContain(`*Summary:* ${service} (${environment}) fails its HTTP probe`);
    expect(attachment.text).toContain(`<${expectedRunbook}|:book: Runbook>`);
    expect(attachment.text).toContain(`<${expectedDashboard}|:bar_chart: Dashboard>`);
    expect(attachment.text).toContain(`<${alertmanager.url}/#/silences/new?filter=%7B`);
    expect(attachment.title_link).toBe(expectedDashboard);
    expect(attachment.actions?.map((a) => [a.text, a.url])).toEqual([
      ['Runbook :book:', expectedRunbook],
      ['Dashboard :bar_chart:', expectedDashboard],
      [expect.stringContaining('Silence'), expect.stringContaining(`${alertmanager.url}/#/silences/new?filter=`)],
    ]);

    app.healthy = true;
    const resolved = await waitFor(`a RESOLVED message in fake Slack\n${logs()}`, () => slack.messages.find(resolvedFor), 25000);
    expect(resolved.attachments[0].color).toBe('good');
    expect(resolved.channel).toBe(config.alerting.slack.channels.critical);
    expect(resolved.attachments[0].text).toContain(`<${expectedRunbook}|:book: Runbook>`);
  }, 60000);
});
