import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import {
  ALERTMANAGER_CONFIG_PATH,
  GROUP_BY,
  RECEIVERS,
  SLACK_TEMPLATE_PATH,
  alertmanagerConfigDocument,
  renderAlertmanagerConfig,
} from '../../lib/alerting/alertmanager-config';
import { ALERT_CATALOG } from '../../lib/alerting/packs';
import { alertmanagerSecretFiles, SLACK_WEBHOOK_FILE } from '../../lib/alerting/secret-files';
import { PlatformConfigError } from '../../lib/config/errors';
import { validatePlatformConfig } from '../../lib/config/loader';
import { renderHostFiles } from '../../lib/render-host-files';
import { CONTEXT, configWithExtraReceivers, defaultConfig, run, tempDir } from './support';
import { configErrorOf } from '../helpers/config-errors';
import { platformConfig } from '../helpers/platform-fixtures';
import { compilePlatform } from '../../lib/model/compile';

type Doc = {
  global: Record<string, unknown>;
  route: { receiver: string; group_by: string[]; routes: Array<Record<string, unknown>> };
  inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[]; equal: string[] }>;
  receivers: Array<Record<string, unknown> & { name: string }>;
};

describe('Alertmanager config', () => {
  const workspace = tempDir('amcfg');
  afterAll(() => workspace.cleanup());

  const defaultFile = path.join(workspace.dir, 'default.yml');
  const extraFile = path.join(workspace.dir, 'extra.yml');
  const defaultRendered = renderAlertmanagerConfig(defaultConfig(), CONTEXT);
  const extraRendered = renderAlertmanagerConfig(configWithExtraReceivers(), CONTEXT);
  writeFileSync(defaultFile, defaultRendered);
  writeFileSync(extraFile, extraRendered);

  /** `amtool config routes test`: the receivers an alert with these labels reaches, as amtool resolves them. */
  function routesFor(file: string, labels: Record<string, string>): string[] {
    const args = ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
    const result = run('amtool', args);
    expect(result.status).toBe(0);
    return result.stdout.trim().split(',').sort();
  }

  it('GIVEN the default config WHEN rendered THEN amtool check-config accepts it as is', () => {
    const result = run('amtool', ['check-config', defaultFile]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${6 + ALERT_CATALOG.filter((a) => a.tierOf).length} inhibit rules`); // one per critical tier
    expect(result.stdout).toContain('3 receivers');
  });

  it('GIVEN extra webhook and e-mail receivers WHEN rendered THEN amtool check-config accepts it', () => {
    const result = run('amtool', ['check-config', extraFile]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('5 receivers');
    expect(extraRendered).toContain('url_file: /run/credentials/alertmanager.service/receiver-ops-webhook-url');
  });

  it('GIVEN a broken config WHEN checked THEN amtool fails (the check can fail)', () => {
    const broken = path.join(workspace.dir, 'broken.yml');
    writeFileSync(broken, defaultRendered.replace('receiver: slack-critical', 'receiver: no-such-receiver'));
    expect(run('amtool', ['check-config', broken]).status).not.toBe(0);
  });

  it.each([
    [{ severity: 'critical', alertname: 'ProbeFailing', service: 'anvila-api', environment: 'production' }, [RECEIVERS.critical]],
    [{ severity: 'warning', alertname: 'ProbeSlow', service: 'anvila-api', environment: 'staging' }, [RECEIVERS.warning]],
    // info (an error budget policy in force) has its own route to the warning channel
    [{ severity: 'info', alertname: 'SLOErrorBudgetPolicy', service: 'anvila-api', environment: 'production' }, [RECEIVERS.warning]],
    [{ alertname: 'NoSeverity' }, [RECEIVERS.fallback]],
  ])('GIVEN the default config WHEN an alert %j is routed THEN it reaches %j', (labels, receivers) => {
    expect(routesFor(defaultFile, labels)).toEqual([...receivers].sort());
  });

  it.each([
    [{ severity: 'critical', alertname: 'HostDown', instance: 'host:9100' }, ['ops-webhook', RECEIVERS.critical]],
    [{ severity: 'warning', alertname: 'HostHighCpu', instance: 'host:9100' }, ['oncall-mail', RECEIVERS.warning]],
    [{ severity: 'info', alertname: 'SLOErrorBudgetPolicy' }, ['oncall-mail', RECEIVERS.warning]],
    [{ alertname: 'NoSeverity' }, [RECEIVERS.fallback]],
  ])('GIVEN extra receivers WHEN an alert %j is routed THEN it reaches %j', (labels, receivers) => {
    expect(routesFor(extraFile, labels)).toEqual([...receivers].sort());
  });

  it('GIVEN a critical alert WHEN verified with amtool --verify.receivers THEN a wrong receiver fails the check', () => {
    const wrong = run('amtool', ['config', 'routes', 'test', `--config.file=${defaultFile}`, `--verify.receivers=${RECEIVERS.warning}`, 'severity=critical']);
    expect(wrong.status).not.toBe(0);
    const right = run('amtool', ['config', 'routes', 'test', `--config.file=${defaultFile}`, `--verify.receivers=${RECEIVERS.critical}`, 'severity=critical']);
    expect(right.status).toBe(0);
  });

  it('groups by alertname, service, environment and severity; critical is faster than warning; resolved messages are sent', () => {
    const doc = yaml.load(defaultRendered) as Doc;
    expect(doc.route.group_by).toEqual([...GROUP_BY]);
    const [critical, warning] = doc.route.routes;
    expect(critical).toMatchObject({ receiver: RECEIVERS.critical, group_wait: '10s', repeat_interval: '1h' });
    expect(warning).toMatchObject({ receiver: RECEIVERS.warning, group_wait: '1m', repeat_interval: '12h' });
    const slackConfigs = doc.receivers.flatMap((r) => (r.slack_configs as Array<Record<string, unknown>>) ?? []);
    expect(slackConfigs).toHaveLength(3);
    for (const slack of slackConfigs) expect(slack.send_resolved).toBe(true);
    const channelOf = (name: string) => (doc.receivers.find((r) => r.name === name)!.slack_configs as Array<{ channel: string }>)[0].channel;
    expect(channelOf(RECEIVERS.critical)).toBe('#anvila-incidents');
    expect(channelOf(RECEIVERS.warning)).toBe('#anvila-alerts');
    expect(channelOf(RECEIVERS.fallback)).toBe('#anvila-alerts');
  });

  it('inhibits: critical mutes its warning twin, HostDown mutes the other host alerts, fast burn mutes slow burn, ProbeFailing and App5xxRatioHigh', () => {
    const doc = yaml.load(defaultRendered) as Doc;
    expect(doc.inhibit_rules).toEqual(
      expect.arrayContaining([
        { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'service', 'environment', 'instance'] },
        {
          source_matchers: ['alertname="HostDown"'],
          target_matchers: [
            `alertname=~"${ALERT_CATALOG.filter((a) => a.group === 'host' && a.name !== 'HostDown')
              .map((a) => a.name)
              .join('|')}"`,
          ],
          equal: ['instance'],
        },
        { source_matchers: ['alertname="HostHighCpuCritical"'], target_matchers: ['alertname="HostHighCpu"'], equal: ['instance'] },
        {
          source_matchers: ['alertname="HostDiskAlmostFullCritical"'],
          target_matchers: ['alertname="HostDiskAlmostFull"'],
          equal: ['instance', 'mountpoint', 'device'],
        },
        { source_matchers: ['alertname="SLOBurnRateFast"'], target_matchers: ['alertname="SLOBurnRateSlow"'], equal: ['service', 'environment', 'slo'] },
        { source_matchers: ['alertname="SLOBurnRateFast"', 'sli="probe"'], target_matchers: ['alertname="ProbeFailing"'], equal: ['service', 'environment'] },
        {
          source_matchers: ['alertname="SLOBurnRateFast"', 'sli="errors"'],
          target_matchers: ['alertname="App5xxRatioHigh"'],
          equal: ['service', 'environment'],
        },
      ]),
    );
  });

  it('never contains a secret: the Slack webhook, webhook URLs and SMTP password are file references', () => {
    const config = configWithExtraReceivers();
    const doc = alertmanagerConfigDocument(config, CONTEXT) as unknown as Doc;
    expect(extraRendered).not.toMatch(/hooks\.slack\.com|api_url:|slack_api_url:|auth_password:|\burl: (?!'\{\{ template)/);
    for (const receiver of doc.receivers.filter((r) => r.slack_configs))
      expect((receiver.slack_configs as Array<{ api_url_file: string }>)[0].api_url_file).toBe(SLACK_WEBHOOK_FILE);
    expect(doc.global.smtp_auth_password_file).toBe('/run/credentials/alertmanager.service/smtp-password');
    expect(alertmanagerSecretFiles(config)).toEqual([
      { parameter: '/anvila/slack-webhook', path: '/run/credentials/alertmanager.service/slack-webhook-url', source: 'alerting.slack.webhookUrlParameter' },
      {
        parameter: '/anvila/ops-webhook',
        path: '/run/credentials/alertmanager.service/receiver-ops-webhook-url',
        source: 'alerting.receivers[0].webhookUrlParameter',
      },
      { parameter: '/anvila/smtp-password', path: '/run/credentials/alertmanager.service/smtp-password', source: 'alerting.smtp.passwordParameter' },
    ]);
  });

  it('is pure: the same config renders the same bytes', () => {
    expect(renderAlertmanagerConfig(defaultConfig(), CONTEXT)).toBe(defaultRendered);
  });

  it('GIVEN an extra receiver named like a built-in Slack receiver THEN rendering fails with PlatformConfigError', () => {
    const config = defaultConfig();
    const clashing = validatePlatformConfig({
      ...JSON.parse(JSON.stringify(config)),
      alerting: { ...config.alerting, receivers: [{ name: 'slack-critical', webhookUrlParameter: '/x/y' }] },
    });
    expect(() => renderAlertmanagerConfig(clashing, CONTEXT)).toThrow(PlatformConfigError);
    expect(() => renderAlertmanagerConfig(clashing, CONTEXT)).toThrow(/alerting\.receivers\[0\]\.name.*slack-critical/);
  });

  it('registers alertmanager.yml and slack.tmpl with the host files', () => {
    const paths = renderHostFiles(compilePlatform(defaultConfig()), CONTEXT).map((file) => file.path);
    expect(paths).toEqual(expect.arrayContaining([ALERTMANAGER_CONFIG_PATH, SLACK_TEMPLATE_PATH]));
  });

  describe('notification timings from alerting.notificationTimings', () => {
    const withTimings = (timings: unknown) => platformConfig((raw) => (raw.alerting.notificationTimings = timings));
    const routeOf = (doc: Doc, severity: string) => doc.route.routes.find((r) => (r.matchers as string[] | undefined)?.includes(`severity="${severity}"`))!;
    const timingsOfRoute = (r: Record<string, unknown>) => [r.group_wait, r.group_interval, r.repeat_interval];

    it('GIVEN none THEN pages go out after 10s and repeat hourly, tickets are batched for a minute and repeat twice a day', () => {
      const doc = alertmanagerConfigDocument(defaultConfig(), CONTEXT) as Doc;
      expect(timingsOfRoute(routeOf(doc, 'critical'))).toEqual(['10s', '1m', '1h']);
      expect(timingsOfRoute(routeOf(doc, 'warning'))).toEqual(['1m', '10m', '12h']);
      expect(timingsOfRoute(doc.route as unknown as Record<string, unknown>)).toEqual(['30s', '5m', '4h']);
      expect(doc.global.resolve_timeout).toBe('5m');
    });

    it('GIVEN some of them THEN the rendered routes carry them, the rest keep their defaults, and amtool accepts the file', () => {
      const config = withTimings({ critical: { repeatInterval: '30m' }, warning: { groupWait: '5m' }, resolveTimeout: '10m' });
      const doc = alertmanagerConfigDocument(config, CONTEXT) as Doc;
      expect(timingsOfRoute(routeOf(doc, 'critical'))).toEqual(['10s', '1m', '30m']);
      expect(timingsOfRoute(routeOf(doc, 'warning'))).toEqual(['5m', '10m', '12h']);
      expect(timingsOfRoute(routeOf(doc, 'info'))).toEqual(['5m', '10m', '12h']);
      expect(doc.global.resolve_timeout).toBe('10m');
      const file = path.join(workspace.dir, 'timings.yml');
      writeFileSync(file, renderAlertmanagerConfig(config, CONTEXT));
      const result = run('amtool', ['check-config', file]);
      expect(result.status).toBe(0);
    });

    it('GIVEN a malformed duration and a repeat shorter than its group interval THEN both are reported at once, by path', () => {
      const error = configErrorOf(() => withTimings({ warning: { groupWait: 'soon' }, critical: { groupInterval: '10m', repeatInterval: '5m' } }));
      expect(error.message).toContain('alerting.notificationTimings.warning.groupWait');
      expect(error.message).toContain('alerting.notificationTimings.critical.repeatInterval');
      expect(error.message).toMatch(/repeatInterval.*found "5m".*at least its groupInterval \(10m\)/s);
    });
  });
});
