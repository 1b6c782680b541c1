import type { PlatformConfig } from '../config/schema';

/**
 * Directory on the host where the runtime writes secrets it read from SSM Parameter Store (tmpfs, root-owned,
 * mode 0700; files 0640 root:alertmanager). Rendered configs only ever name files in here, never values.
 */
export const HOST_SECRET_DIR = '/run/lgtm-secrets';

/** One secret the host runtime must fetch from SSM and write to `path` before Alertmanager (re)loads. */
export interface HostSecretFile {
  /** SSM SecureString parameter name, as given in config. */
  readonly parameter: string;
  /** Absolute file path on the host the rendered config points at. */
  readonly path: string;
  /** The config path that named the parameter, for messages. */
  readonly source: string;
}

/** File holding the Slack incoming-webhook URL. */
export const SLACK_WEBHOOK_FILE = `${HOST_SECRET_DIR}/slack-webhook`;
/** File holding the SMTP password, when `alerting.smtp.passwordParameter` is set. */
export const SMTP_PASSWORD_FILE = `${HOST_SECRET_DIR}/smtp-password`;
/** File holding the URL of an extra webhook receiver. */
export const receiverWebhookFile = (receiverName: string): string => `${HOST_SECRET_DIR}/receiver-${receiverName}-url`;

/** Every secret file Alertmanager's rendered config reads; the host runtime fills them from SSM. */
export function alertmanagerSecretFiles(config: PlatformConfig): HostSecretFile[] {
  const files: HostSecretFile[] = [
    { parameter: config.alerting.slack.webhookUrlParameter, path: SLACK_WEBHOOK_FILE, source: 'alerting.slack.webhookUrlParameter' },
  ];
  if (config.alerting.smtp?.passwordParameter)
    files.push({ parameter: config.alerting.smtp.passwordParameter, path: SMTP_PASSWORD_FILE, source: 'alerting.smtp.passwordParameter' });
  config.alerting.receivers.forEach((receiver, index) => {
    if (receiver.webhookUrlParameter)
      files.push({
        parameter: receiver.webhookUrlParameter,
        path: receiverWebhookFile(receiver.name),
        source: `alerting.receivers[${index}].webhookUrlParameter`,
      });
  });
  return files;
}
