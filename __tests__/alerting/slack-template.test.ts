import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { renderAlertmanagerConfig } from '../../lib/alerting/alertmanager-config';
import { SLACK_MAX_FIRING_LINES, SLACK_TEMPLATES, renderSlackTemplate } from '../../lib/alerting/slack-template';
import { CONTEXT, defaultConfig, run, tempDir } from './support';

/**
 * Slack's documented limits that apply to Alertmanager's attachment messages: a text object/section holds at most
 * 3000 characters, a message at most 100 attachments (Alertmanager sends one per Slack config) and legacy
 * attachments at most 5 action buttons. The title is kept far below Alertmanager's own 1024-rune cut.
 */
const SLACK_TEXT_LIMIT = 3000;
const SLACK_MAX_ATTACHMENTS = 100;
const SLACK_MAX_ACTIONS = 5;
const TITLE_LIMIT = 1024;

interface AlertData {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

function alert(index: number, status: 'firing' | 'resolved', overrides: Partial<AlertData> = {}): AlertData {
  return {
    status,
    labels: {
      alertname: 'ProbeFailing',
      severity: 'critical',
      service: 'anvila-api',
      environment: 'production',
      instance: `https://api-${index}.anvila.example/health`,
      job: 'blackbox-http',
    },
    annotations: {
      summary: `anvila-api production endpoint ${index} is unreachable`,
      description: `The blackbox probe of https://api-${index}.anvila.example/health has failed for 2 minutes (probe_success = 0).`,
      value: '0',
      runbook_url: 'https://github.com/acme/anvila-observability/blob/main/runbooks/ProbeFailing.md',
      dashboard_url: 'http://203.0.113.10:3000/d/lgtm-uptime?var-service=anvila-api&var-environment=production',
    },
    startsAt: '2026-11-25T07:00:00Z',
    endsAt: status === 'resolved' ? '2026-11-25T07:05:00Z' : '0001-01-01T00:00:00Z',
    generatorURL: 'http://127.0.0.1:9090/graph',
    fingerprint: index.toString(16).padStart(16, '0'),
    ...overrides,
  };
}

/** Alertmanager's template.Data for one notification group. */
function groupData(alerts: AlertData[]) {
  const common = (pick: (a: AlertData) => Record<string, string>) => {
    const [first, ...rest] = alerts.map(pick);
    return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((other) => other[k] === v)));
  };
  const commonLabels = common((a) => a.labels);
  return {
    receiver: 'slack-critical',
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: Object.fromEntries(['alertname', 'service', 'environment', 'severity'].filter((k) => k in commonLabels).map((k) => [k, commonLabels[k]])),
    commonLabels,
    commonAnnotations: common((a) => a.annotations),
    externalURL: 'http://127.0.0.1:9093',
  };
}

describe('Slack template, rendered by amtool template render (the pinned Alertmanager)', () => {
  const workspace = tempDir('slacktmpl');
  afterAll(() => workspace.cleanup());
  const templateFile = path.join(workspace.dir, 'slack.tmpl');
  writeFileSync(templateFile, renderSlackTemplate());
  let counter = 0;

  /** Renders every template the Slack receivers use, for one group. */
  function renderAll(alerts: AlertData[]): Record<keyof typeof SLACK_TEMPLATES, string> {
    const dataFile = path.join(workspace.dir, `data-${counter++}.json`);
    writeFileSync(dataFile, JSON.stringify(groupData(alerts)));
    const out = {} as Record<keyof typeof SLACK_TEMPLATES, string>;
    for (const [key, name] of Object.entries(SLACK_TEMPLATES) as Array<[keyof typeof SLACK_TEMPLATES, string]>) {
      const result = run('amtool', [
        'template',
        'render',
        `--template.glob=${templateFile}`,
        `--template.data=${dataFile}`,
        `--template.text={{ template "${name}" . }}`,
      ]);
      if (result.status !== 0) throw new Error(`amtool template render ${name} failed: ${result.stderr}`);
      out[key] = result.stdout.replace(/\n$/, '');
    }
    return out;
  }

  it('GIVEN one firing critical alert THEN the message shows every field, red, with runbook, dashboard and silence links', () => {
    const m = renderAll([alert(1, 'firing')]);
    expect(m.color).toBe('danger');
    expect(m.title).toBe(':rotating_light: FIRING [CRITICAL] ProbeFailing · anvila-api/production');
    for (const expected of [
      '*Alert:* `ProbeFailing`',
      '*Severity:* critical',
      '*Service:* anvila-api / production',
      '*Host/target:* `https://api-1.anvila.example/health`',
      '*Value:* 0',
      '*Summary:* anvila-api production endpoint 1 is unreachable',
      '*Description:* The blackbox probe',
      '<https://github.com/acme/anvila-observability/blob/main/runbooks/ProbeFailing.md|:book: Runbook>',
      '<http://203.0.113.10:3000/d/lgtm-uptime?var-service=anvila-api&var-environment=production|:bar_chart: Dashboard>',
      '<http://127.0.0.1:9093/#/silences/new?filter=%7Balertname%3D%22ProbeFailing%22%2Cenvironment%3D%22production%22%2Cservice%3D%22anvila-api%22%2Cseverity%3D%22critical%22%7D|:no_bell: Silence>',
    ])
      expect(m.text).toContain(expected);
    expect(m.runbookUrl).toBe('https://github.com/acme/anvila-observability/blob/main/runbooks/ProbeFailing.md');
    expect(m.titleLink).toBe(m.dashboardUrl);
    expect(m.fallback).toContain('ProbeFailing');
    expect(m.text.length).toBeLessThanOrEqual(SLACK_TEXT_LIMIT);
  });

  it('GIVEN a resolved warning THEN it is green and says RESOLVED; a firing warning is amber', () => {
    const resolved = renderAll([alert(2, 'resolved', { labels: { ...alert(2, 'resolved').labels, severity: 'warning' } })]);
    expect(resolved.color).toBe('good');
    expect(resolved.title).toMatch(/^:white_check_mark: RESOLVED \[WARNING\] ProbeFailing/);
    expect(resolved.text).toContain('*Resolved:* 2026-11-25 07:05:00 UTC');
    const firing = renderAll([alert(3, 'firing', { labels: { ...alert(3, 'firing').labels, severity: 'warning' } })]);
    expect(firing.color).toBe('warning');
  });

  it('GIVEN a value only as a label THEN it is shown as the current value', () => {
    const base = alert(4, 'firing');
    const { value: _omit, ...annotations } = base.annotations;
    void _omit;
    const m = renderAll([{ ...base, annotations, labels: { ...base.labels, value: '42.5%' } }]);
    expect(m.text).toContain('*Value:* 42.5%');
  });

  it('GIVEN text with Slack control characters THEN they are escaped and cannot break the links', () => {
    const base = alert(5, 'firing');
    const m = renderAll([{ ...base, annotations: { ...base.annotations, summary: 'p99 > 2s for <GET /orders> & <POST /cart>' } }]);
    expect(m.text).toContain('*Summary:* p99 &gt; 2s for &lt;GET /orders&gt; &amp; &lt;POST /cart&gt;');
    expect(m.text.match(/</g)).toHaveLength(3); // only the runbook, dashboard and silence links open a tag
  });

  it('GIVEN label values with Slack control sequences (as pushed telemetry may carry) THEN title and text escape them', () => {
    const base = alert(6, 'firing');
    const labels = { ...base.labels, service: '<!channel>', environment: '<https://evil.example|prod>', slo: '<@U123>' };
    const m = renderAll([{ ...base, labels }]);
    for (const field of [m.title, m.text, m.fallback]) {
      expect(field).not.toContain('<!channel>');
      expect(field).not.toContain('<https://evil.example');
    }
    expect(m.title).toContain('&lt;!channel&gt;/&lt;https://evil.example|prod&gt;');
    expect(m.text).toContain('*Service:* &lt;!channel&gt; / &lt;https://evil.example|prod&gt;');
    expect(m.text).toContain('*SLO:* &lt;@U123&gt;');
    const group = renderAll([
      { ...base, labels },
      { ...alert(7, 'firing'), labels: { ...alert(7, 'firing').labels, service: '<!channel>', environment: '<https://evil.example|prod>' } },
    ]);
    expect(group.text).not.toContain('<!channel>');
  });

  it('GIVEN a group of 50 alerts with long fields THEN the message is compact and within Slack limits', () => {
    const long = 'x'.repeat(2000);
    const alerts = Array.from({ length: 50 }, (_, i) =>
      alert(i, i < 45 ? 'firing' : 'resolved', {
        annotations: { ...alert(i, 'firing').annotations, summary: `endpoint ${i} down ${long}`, description: `detail ${long}` },
      }),
    );
    const m = renderAll(alerts);
    expect(m.title).toBe(':rotating_light: FIRING [CRITICAL] ProbeFailing · anvila-api/production (45 firing, 5 resolved)');
    expect(m.text.length).toBeLessThanOrEqual(SLACK_TEXT_LIMIT);
    expect(m.title.length).toBeLessThanOrEqual(TITLE_LIMIT);
    expect(m.text).toContain('*Firing (45):*');
    expect(m.text).toContain(`_…and 45 firing in total; the first ${SLACK_MAX_FIRING_LINES} are shown, all are in Alertmanager._`);
    expect(m.text).toContain('*Resolved (5):*');
    expect(m.text.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(SLACK_MAX_FIRING_LINES + 4);
    expect(m.text).toContain('• `https://api-0.anvila.example/health` = *0* — endpoint 0 down xxx');
    expect(m.text).toContain(':book: Runbook>');
    expect(m.text).toContain(':bar_chart: Dashboard>');
    expect(m.text).toContain(':no_bell: Silence>');
  });

  it('GIVEN the rendered receivers THEN each message is one attachment with at most 5 buttons', () => {
    const doc = yaml.load(renderAlertmanagerConfig(defaultConfig(), CONTEXT)) as { receivers: Array<{ slack_configs?: Array<{ actions: unknown[] }> }> };
    for (const receiver of doc.receivers) {
      const slackConfigs = receiver.slack_configs ?? [];
      expect(slackConfigs.length).toBeLessThanOrEqual(SLACK_MAX_ATTACHMENTS);
      expect(slackConfigs).toHaveLength(1);
      expect(slackConfigs[0].actions.length).toBeLessThanOrEqual(SLACK_MAX_ACTIONS);
    }
  });
});
