import { createServer, type Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { renderAlertmanagerConfig, type AlertmanagerTimings } from '../../lib/alerting/alertmanager-config';
import { SLACK_WEBHOOK_FILE } from '../../lib/alerting/secret-files';
import { renderSlackTemplate } from '../../lib/alerting/slack-template';
import type { AlertGroup } from '../../lib/alerting/alert-definition';
import type { PlatformConfig } from '../../lib/config/schema';
import type { HostContext } from '../../lib/shared/host-file';
import { PORTS } from '../../lib/contracts/ports';
import { renderBlackboxConfig } from '../../lib/prometheus/blackbox';
import { PROMETHEUS_RULES_DIR, renderRuleFiles } from '../../lib/prometheus/rule-files';
import { scrapeJobs } from '../../lib/prometheus/scrape-config';
import { SCRAPE_JOBS } from '../../lib/contracts/scrape-jobs';
import { freePort, startDaemon, waitForHttp, type Daemon } from './support';
import { compilePlatform } from '../../lib/model/compile';

/** What Alertmanager's Slack notifier posts (the parts we read). */
export interface SlackMessage {
  channel?: string;
  username?: string;
  attachments: Array<{
    title: string;
    title_link?: string;
    text: string;
    color: string;
    fallback?: string;
    actions?: Array<{ type: string; text: string; url: string }>;
  }>;
}

/** A local HTTP server posing as Slack's incoming-webhook endpoint; it records every message. */
export class FakeSlack {
  readonly messages: SlackMessage[] = [];
  private server?: Server;
  port = 0;
  readonly hookPath = '/services/T0000TEST/B0000TEST/not-a-real-secret';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.method === 'POST' && request.url === this.hookPath) {
          this.messages.push(JSON.parse(body) as SlackMessage);
          response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        } else response.writeHead(404).end('no_service');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.hookPath}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Waits for a daemon to be ready; stops it if it never gets there, so a failed start leaks no process. */
async function readyOrStopped(daemon: Daemon, ready: Promise<unknown>): Promise<void> {
  try {
    await ready;
  } catch (error) {
    await daemon.stop();
    throw error;
  }
}

/** Timings shortened so a notification leaves within about a second. */
export const FAST_TIMINGS: AlertmanagerTimings = {
  critical: { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' },
  warning: { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' },
  fallback: { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' },
  resolveTimeout: '1m',
};

export interface RunningAlertmanager {
  readonly port: number;
  readonly daemon: Daemon;
  readonly url: string;
}

/**
 * Starts the pinned Alertmanager on a free 127.0.0.1 port with the platform's rendered config. Only the secret and
 * template directories move into `dir` (and the timings are shortened); the secret file holds the fake Slack URL.
 */
export async function startAlertmanager(
  config: PlatformConfig,
  context: HostContext,
  dir: string,
  slackUrl: string,
  options: { externalUrl?: (port: number) => string } = {},
): Promise<RunningAlertmanager> {
  const secretDir = path.join(dir, 'secrets');
  const templateDir = path.join(dir, 'templates');
  const dataDir = path.join(dir, 'alertmanager-data');
  for (const d of [secretDir, templateDir, dataDir]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(secretDir, path.basename(SLACK_WEBHOOK_FILE)), slackUrl, { mode: 0o600 });
  writeFileSync(path.join(templateDir, 'slack.tmpl'), renderSlackTemplate());
  const configFile = path.join(dir, 'alertmanager.yml');
  writeFileSync(configFile, renderAlertmanagerConfig(config, context, { timings: FAST_TIMINGS, secretDir, templateDir }));
  const port = await freePort();
  const url = options.externalUrl?.(port) ?? `http://127.0.0.1:${port}`;
  const daemon = startDaemon('alertmanager', [
    `--config.file=${configFile}`,
    `--storage.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.external-url=${url}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
  await readyOrStopped(daemon, waitForHttp(port, '/-/ready', 15000, daemon));
  return { port, daemon, url };
}

/** A local application whose /health answers 200 or 503 on demand: the target made to fail. */
export class FlakyApp {
  healthy = true;
  port = 0;
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      if (request.url === '/health') response.writeHead(this.healthy ? 200 : 503).end(this.healthy ? 'ok' : 'down');
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  get healthUrl(): string {
    return `http://127.0.0.1:${this.port}/health`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Starts the blackbox exporter with the platform's rendered modules (lib/prometheus/blackbox.ts). */
export async function startBlackbox(dir: string): Promise<{ port: number; daemon: Daemon }> {
  const configFile = path.join(dir, 'blackbox.yml');
  writeFileSync(configFile, renderBlackboxConfig());
  const port = await freePort();
  const daemon = startDaemon('blackbox_exporter', [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`]);
  await readyOrStopped(daemon, waitForHttp(port, '/-/healthy', 15000, daemon));
  return { port, daemon };
}

/** A scrape job of prometheus.yml (the parts the test rewrites). */
export type ScrapeJob = Record<string, unknown> & {
  job_name: string;
  static_configs?: Array<{ targets: string[]; labels?: Record<string, string> }>;
  relabel_configs?: Array<Record<string, unknown>>;
};

/**
 * The platform's rendered blackbox probe job (lib/prometheus/scrape-config.ts), rewritten for a test: only the
 * target of `service`/`environment` is kept and points at `targetUrl`, and the probes go to the test's blackbox
 * exporter instead of the host's port. Labels, module and relabeling (instance = probed URL) stay as rendered.
 */
export function probeJobForTest(config: PlatformConfig, opts: { blackboxPort: number; targetUrl: string; service: string; environment: string }): ScrapeJob {
  const job = structuredClone(scrapeJobs(config).find((j) => j.job_name === SCRAPE_JOBS.probe)) as ScrapeJob | undefined;
  if (!job) throw new Error(`the rendered scrape config has no ${SCRAPE_JOBS.probe} job`);
  const target = job.static_configs?.find((c) => c.labels?.service === opts.service && c.labels?.environment === opts.environment);
  if (!target) throw new Error(`the ${SCRAPE_JOBS.probe} job has no target for ${opts.service}/${opts.environment}`);
  job.static_configs = [{ ...target, targets: [opts.targetUrl] }];
  const hostBlackbox = `127.0.0.1:${PORTS.blackboxExporter}`;
  const address = job.relabel_configs?.find((r) => r.target_label === '__address__' && r.replacement === hostBlackbox);
  if (!address) throw new Error(`the ${SCRAPE_JOBS.probe} job does not send probes to ${hostBlackbox}`);
  address.replacement = `127.0.0.1:${opts.blackboxPort}`;
  return job;
}

/** The platform's rendered rule file `<group>.yml` (lib/prometheus/rule-files.ts), as written to the host. */
export function renderedRuleFile(config: PlatformConfig, context: HostContext, group: AlertGroup): string {
  const file = renderRuleFiles(compilePlatform(config), context).find((f) => f.path === `${PROMETHEUS_RULES_DIR}/${group}.yml`);
  if (!file) throw new Error(`no rendered rule file for group ${group}`);
  return file.content;
}

/**
 * Starts Prometheus with the given scrape jobs, scraping and evaluating `ruleFileContent` every second and
 * sending alerts to the Alertmanager on `alertmanagerPort`.
 */
export async function startPrometheus(
  dir: string,
  opts: { alertmanagerPort: number; scrapeJobs: readonly ScrapeJob[]; ruleFileContent: string; extraFlags?: (port: number) => string[] },
): Promise<{ port: number; daemon: Daemon }> {
  const ruleFile = path.join(dir, 'rules.yml');
  writeFileSync(ruleFile, opts.ruleFileContent);
  const configFile = path.join(dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    yaml.dump(
      {
        global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${opts.alertmanagerPort}`] }] }] },
        rule_files: [ruleFile],
        scrape_configs: opts.scrapeJobs,
      },
      { lineWidth: -1, noRefs: true },
    ),
  );
  const port = await freePort();
  const daemon = startDaemon('prometheus', [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--rules.alert.resend-delay=1s',
    '--log.level=warn',
    ...(opts.extraFlags?.(port) ?? []),
  ]);
  await readyOrStopped(daemon, waitForHttp(port, '/-/ready', 20000, daemon));
  return { port, daemon };
}

/** Shortens every rule's `for:` so an alert fires within seconds in a test. */
export function shortenFor(ruleFileContent: string, to = '2s'): string {
  const doc = yaml.load(ruleFileContent) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
  for (const group of doc.groups) for (const rule of group.rules) if (rule.for) rule.for = to;
  return yaml.dump(doc, { lineWidth: -1 });
}
