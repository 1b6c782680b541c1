import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { loadPlatformConfig, validatePlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_CONFIG_FILE = path.join(REPO_ROOT, 'config', 'platform.yaml');
export const CONTEXT = { grafanaUrl: 'http://203.0.113.10:3000' };

/** The bundled default config (Slack only). */
export function defaultConfig(): PlatformConfig {
  return loadPlatformConfig(DEFAULT_CONFIG_FILE);
}

/** The default config plus an extra webhook (critical only) and an e-mail receiver (warning and info). */
export function configWithExtraReceivers(): PlatformConfig {
  const raw = yaml.load(readFileSync(DEFAULT_CONFIG_FILE, 'utf8')) as Record<string, Record<string, unknown>>;
  raw.alerting.receivers = [
    { name: 'ops-webhook', webhookUrlParameter: '/anvila/ops-webhook', severities: ['critical'] },
    { name: 'oncall-mail', email: 'oncall@anvila.example', severities: ['warning', 'info'] },
  ];
  raw.alerting.smtp = { smarthost: 'smtp.anvila.example:587', from: 'alerts@anvila.example', username: 'alerts', passwordParameter: '/anvila/smtp-password' };
  return validatePlatformConfig(raw, 'test:extra-receivers');
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `lgtm-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a command to completion (bounded), returning status and output. */
export function run(command: string, args: string[], timeoutMs = 20000): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export { freePort, startDaemon, waitFor, waitForHttp, type Daemon } from '../../bench/processes';
