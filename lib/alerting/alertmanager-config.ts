import * as yaml from 'js-yaml';
import { PlatformConfigError, throwConfigErrors } from '../config/errors';
import type { PlatformConfig } from '../config/schema';
import type { HostContext, HostFile } from '../shared/host-file';
import { ALERT_CATALOG } from './packs';
import { ALERTMANAGER_SECRET_DIR, SLACK_WEBHOOK_FILE, SMTP_PASSWORD_FILE, receiverWebhookFile } from './secret-files';
import { PATHS } from '../shared/host-paths';
import { SLACK_TEMPLATES, renderSlackTemplate } from './slack-template';

/** Where Alertmanager's files live on the host. */
export const ALERTMANAGER_CONFIG_PATH = PATHS.alertmanagerConfig;
export const ALERTMANAGER_TEMPLATE_DIR = '/etc/alertmanager/templates';
export const SLACK_TEMPLATE_PATH = `${ALERTMANAGER_TEMPLATE_DIR}/slack.tmpl`;

/** Receiver names the renderer owns; extra receivers from config may not take them. */
export const RECEIVERS = {
  critical: 'slack-critical',
  warning: 'slack-warning',
  /** Root receiver: alerts without a known severity land here (warning channel), so nothing is dropped. */
  fallback: 'slack-default',
} as const;

/** Labels every notification group is keyed by. */
export const GROUP_BY = ['alertname', 'service', 'environment', 'severity'] as const;

/** When one route notifies (`alerting.notificationTimings.<route>`). */
export type RouteTimings = PlatformConfig['alerting']['notificationTimings']['critical'];

/** Notification timings per route, from the description (the defaults live in the schema). */
export type AlertmanagerTimings = PlatformConfig['alerting']['notificationTimings'];

/** Knobs for tests and special hosts; the host uses the description's. */
export interface AlertmanagerRenderOptions {
  /** @default the description's `alerting.notificationTimings` */
  readonly timings?: AlertmanagerTimings;
  /** Directory of secret files. @default ALERTMANAGER_SECRET_DIR (/run/credentials/alertmanager.service) */
  readonly secretDir?: string;
  /** Directory of template files. @default ALERTMANAGER_TEMPLATE_DIR */
  readonly templateDir?: string;
}

/** The host pack's alerts other than HostDown: what a down node exporter makes stale. */
export const HOST_ALERTS_MUTED_BY_HOST_DOWN = ALERT_CATALOG.filter((a) => a.group === 'host' && a.name !== 'HostDown').map((a) => a.name);

/**
 * Inhibition rules: the louder alert of a pair mutes the quieter one while both fire.
 * `equal` labels missing on both sides count as equal, so one rule serves host and service alerts.
 */
export const INHIBIT_RULES = [
  {
    // A critical alert mutes its warning twin (same alert name) on the same service/environment/host.
    source_matchers: ['severity="critical"'],
    target_matchers: ['severity="warning"'],
    equal: ['alertname', 'service', 'environment', 'instance'],
  },
  // A critical tier (its own alert name) mutes its warning twin on the same host, filesystem, unit or device.
  ...ALERT_CATALOG.filter((a) => a.tierOf).map((a) => ({
    source_matchers: [`alertname="${a.name}"`],
    target_matchers: [`alertname="${a.tierOf}"`],
    equal: [...a.labels],
  })),
  {
    // The disk family: a disk that is already almost full mutes the "predicted to fill" warning.
    source_matchers: ['alertname=~"HostDiskAlmostFull|HostDiskAlmostFullCritical"'],
    target_matchers: ['alertname="HostDiskFillingUp"'],
    equal: ['instance', 'mountpoint'],
  },
  {
    // A host whose node exporter is not scraped mutes the other host alerts of that host (their data is stale).
    // Only those: the platform components' alerts share the host's `instance` label but read their own metrics,
    // which are still fresh, so they keep firing.
    source_matchers: ['alertname="HostDown"'],
    target_matchers: [`alertname=~"${HOST_ALERTS_MUTED_BY_HOST_DOWN.join('|')}"`],
    equal: ['instance'],
  },
  {
    // A fast burn of an SLO mutes the slow burn of the same SLO.
    source_matchers: ['alertname="SLOBurnRateFast"'],
    target_matchers: ['alertname="SLOBurnRateSlow"'],
    equal: ['service', 'environment', 'slo'],
  },
  {
    // A probe outage fires ProbeFailing and the fast burn of the probe SLO together: one page is enough, and the
    // SLO's says how much budget is left, so it mutes the probe's for the same service and environment.
    source_matchers: ['alertname="SLOBurnRateFast"', 'sli="probe"'],
    target_matchers: ['alertname="ProbeFailing"'],
    equal: ['service', 'environment'],
  },
  {
    // A burst of 5xx fires App5xxRatioHigh and the fast burn of the errors SLO together: the page mutes the ticket.
    source_matchers: ['alertname="SLOBurnRateFast"', 'sli="errors"'],
    target_matchers: ['alertname="App5xxRatioHigh"'],
    equal: ['service', 'environment'],
  },
];

const tmpl = (name: string) => `{{ template "${name}" . }}`;

function slackReceiver(name: string, channel: string, apiUrlFile: string) {
  return {
    name,
    slack_configs: [
      {
        api_url_file: apiUrlFile,
        channel,
        send_resolved: true,
        username: 'Alertmanager',
        icon_emoji: ':rotating_light:',
        color: tmpl(SLACK_TEMPLATES.color),
        title: tmpl(SLACK_TEMPLATES.title),
        title_link: tmpl(SLACK_TEMPLATES.titleLink),
        text: tmpl(SLACK_TEMPLATES.text),
        fallback: tmpl(SLACK_TEMPLATES.fallback),
        mrkdwn_in: ['text', 'pretext'],
        actions: [
          { type: 'button', text: 'Runbook :book:', url: tmpl(SLACK_TEMPLATES.runbookUrl) },
          { type: 'button', text: 'Dashboard :bar_chart:', url: tmpl(SLACK_TEMPLATES.dashboardUrl) },
          { type: 'button', text: 'Silence :no_bell:', url: tmpl(SLACK_TEMPLATES.silenceUrl) },
        ],
      },
    ],
  };
}

const timingsOf = (t: RouteTimings) => ({ group_wait: t.groupWait, group_interval: t.groupInterval, repeat_interval: t.repeatInterval });

/** Every extra receiver of the description that takes the name of a built-in Slack receiver. */
export function receiverNameProblems(config: PlatformConfig, file: string): PlatformConfigError[] {
  const reserved = new Set<string>(Object.values(RECEIVERS));
  return config.alerting.receivers.flatMap((extra, index) =>
    reserved.has(extra.name)
      ? [
          new PlatformConfigError(
            file,
            `alerting.receivers[${index}].name`,
            JSON.stringify(extra.name),
            `choose another receiver name: ${[...reserved].join(', ')} are the built-in Slack receivers`,
          ),
        ]
      : [],
  );
}

/** The document of /etc/alertmanager/alertmanager.yml, as an object (exported for tests). */
export function alertmanagerConfigDocument(config: PlatformConfig, context: HostContext, options: AlertmanagerRenderOptions = {}): Record<string, unknown> {
  void context; // dashboard links arrive in the alerts' annotations; nothing here depends on the Grafana URL
  const timings = options.timings ?? config.alerting.notificationTimings;
  const secretDir = (options.secretDir ?? ALERTMANAGER_SECRET_DIR).replace(/\/+$/, '');
  const inSecretDir = (file: string) => `${secretDir}${file.slice(ALERTMANAGER_SECRET_DIR.length)}`;
  const templateDir = (options.templateDir ?? ALERTMANAGER_TEMPLATE_DIR).replace(/\/+$/, '');
  const { slack, smtp, receivers: extras } = config.alerting;

  const global: Record<string, unknown> = { resolve_timeout: timings.resolveTimeout };
  if (smtp) {
    global.smtp_smarthost = smtp.smarthost;
    global.smtp_from = smtp.from;
    if (smtp.username) global.smtp_auth_username = smtp.username;
    if (smtp.passwordParameter) global.smtp_auth_password_file = inSecretDir(SMTP_PASSWORD_FILE);
    global.smtp_require_tls = true;
  }

  const receivers: Record<string, unknown>[] = [
    slackReceiver(RECEIVERS.fallback, slack.channels.warning, inSecretDir(SLACK_WEBHOOK_FILE)),
    slackReceiver(RECEIVERS.critical, slack.channels.critical, inSecretDir(SLACK_WEBHOOK_FILE)),
    slackReceiver(RECEIVERS.warning, slack.channels.warning, inSecretDir(SLACK_WEBHOOK_FILE)),
  ];
  const extraRoutes: Record<string, unknown>[] = [];
  throwConfigErrors(receiverNameProblems(config, '<platform config>'));
  extras.forEach((extra) => {
    const receiver: Record<string, unknown> = { name: extra.name };
    if (extra.webhookUrlParameter)
      // url_file needs Alertmanager >= 0.26 (the version pinned for the host); the secret never enters the file.
      receiver.webhook_configs = [{ url_file: inSecretDir(receiverWebhookFile(extra.name)), send_resolved: true, max_alerts: 50 }];
    if (extra.email) receiver.email_configs = [{ to: extra.email, send_resolved: true }];
    receivers.push(receiver);
    extraRoutes.push({
      receiver: extra.name,
      matchers: [`severity=~"${extra.severities.join('|')}"`],
      continue: true,
    });
  });

  return {
    global,
    templates: [`${templateDir}/*.tmpl`],
    route: {
      receiver: RECEIVERS.fallback,
      group_by: [...GROUP_BY],
      ...timingsOf(timings.fallback),
      routes: [
        // Extra receivers first, with `continue`, so the Slack routes below still see every alert.
        ...extraRoutes,
        { receiver: RECEIVERS.critical, matchers: ['severity="critical"'], ...timingsOf(timings.critical) },
        { receiver: RECEIVERS.warning, matchers: ['severity="warning"'], ...timingsOf(timings.warning) },
        // info alerts (an error budget policy in force) need no action now: the warning channel, batched like warnings
        { receiver: RECEIVERS.warning, matchers: ['severity="info"'], ...timingsOf(timings.warning) },
      ],
    },
    inhibit_rules: INHIBIT_RULES,
    receivers,
  };
}

/** Content of /etc/alertmanager/alertmanager.yml. Pure: the same config gives the same bytes. */
export function renderAlertmanagerConfig(config: PlatformConfig, context: HostContext, options: AlertmanagerRenderOptions = {}): string {
  const header =
    '# Rendered from the platform config by lib/alerting/alertmanager-config.ts; do not edit on the host.\n' +
    `# Secrets are read from files under ${ALERTMANAGER_SECRET_DIR} (systemd credentials, filled from SSM at boot).\n`;
  return header + yaml.dump(alertmanagerConfigDocument(config, context, options), { lineWidth: -1, noRefs: true, quotingType: "'" });
}

/** Alertmanager's files on the host: its config and the Slack template. */
export function renderAlertmanagerFiles(config: PlatformConfig, context: HostContext): HostFile[] {
  return [
    { path: ALERTMANAGER_CONFIG_PATH, content: renderAlertmanagerConfig(config, context), mode: '0644' },
    { path: SLACK_TEMPLATE_PATH, content: renderSlackTemplate(), mode: '0644' },
  ];
}
