import type { PlatformConfig } from '../config/schema';
import { credentialPath, hostSecrets } from '../host/secrets';

/**
 * Where Alertmanager reads its secrets: the systemd credentials directory of its unit, which systemd fills
 * from the root-only files the host fetched from SSM at boot (lib/host/secrets.ts). Rendered configs only
 * ever name files in here, never values.
 */
export const ALERTMANAGER_SECRET_DIR = credentialPath('alertmanager', '').replace(/\/$/, '');

/** One secret file Alertmanager's rendered config reads, and the SSM parameter it comes from. */
export interface HostSecretFile {
  /** SSM SecureString parameter name, as given in config. */
  readonly parameter: string;
  /** Absolute file path on the host the rendered config points at. */
  readonly path: string;
  /** The config path that named the parameter, for messages. */
  readonly source: string;
}

/** File holding the Slack incoming-webhook URL. */
export const SLACK_WEBHOOK_FILE = credentialPath('alertmanager', 'slack-webhook-url');
/** File holding the SMTP password, when `alerting.smtp.passwordParameter` is set. */
export const SMTP_PASSWORD_FILE = credentialPath('alertmanager', 'smtp-password');
/** File holding the URL of an extra webhook receiver. */
export const receiverWebhookFile = (receiverName: string): string => credentialPath('alertmanager', `receiver-${receiverName}-url`);

/** Every secret file Alertmanager's rendered config reads: the host's secrets that its unit loads. */
export function alertmanagerSecretFiles(config: PlatformConfig): HostSecretFile[] {
  return hostSecrets(config)
    .filter((secret) => secret.unit === 'alertmanager')
    .map((secret) => ({ parameter: secret.parameter, path: credentialPath(secret.unit, secret.name), source: secret.configPath }));
}
