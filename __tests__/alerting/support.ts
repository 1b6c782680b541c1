import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
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

/**
 * Debian's Alertmanager 0.25 predates `webhook_configs[].url_file` (the host runs the pinned, newer release).
 * To check everything else with the Debian tools, swap that one key for a placeholder `url`; nothing else changes.
 */
export function forDebianAlertmanager(rendered: string): string {
  return rendered.replace(/^(\s+- )url_file: .+$/gm, "$1url: 'http://127.0.0.1:9/webhook-placeholder'");
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

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A started daemon whose output is kept for failure messages. */
export interface Daemon {
  readonly process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function startDaemon(command: string, args: string[]): Daemon {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

/** Resolves when http://127.0.0.1:<port><path> answers 200. */
export function waitForHttp(port: number, urlPath: string, timeoutMs: number, daemon?: Daemon): Promise<true> {
  return waitFor(
    `http://127.0.0.1:${port}${urlPath}${daemon ? `\n${daemon.output()}` : ''}`,
    async () => {
      if (daemon && daemon.process.exitCode !== null) throw new Error(`process exited: ${daemon.output()}`);
      const response = await fetch(`http://127.0.0.1:${port}${urlPath}`);
      return response.ok ? true : undefined;
    },
    timeoutMs,
  );
}
