import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { renderSyncScript } from '../../lib/host/config-sync';
import { renderInstallScript } from '../../lib/host/install-script';
import { compilePlatform } from '../../lib/model/compile';
import { PATHS } from '../../lib/shared/host-paths';
import { PROMETHEUS_RULES_DIR } from '../../lib/prometheus/rule-files';
import { scrapeJobs } from '../../lib/prometheus/scrape-config';
import { SCRAPE_JOBS } from '../../lib/contracts/scrape-jobs';
import { CONFIG_SYNC_METRICS } from '../../lib/contracts/config-sync';
import { runPromtoolTests, series, type InputSeries } from '../../lib/gameday/promtool';
import { run } from '../alerting/support';
import { TestHost } from '../host/helpers/host-fixture';
import { freePort, startDaemon, waitForHttp, type Daemon } from '../../bench/processes';

/** One sample of a Prometheus text exposition: metric name, labels and value. */
interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: string;
}

/** The samples of a text exposition (what node exporter serves) whose metric name starts with `prefix`. */
function exposition(text: string, prefix: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line.trim());
    if (!match || !match[1].startsWith(prefix)) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[label[1]] = JSON.parse(`"${label[2]}"`) as string;
    samples.push({ name: match[1], labels, value: match[3] });
  }
  return samples;
}

/** The labels Prometheus attaches to every series of the node scrape job, read from the rendered scrape config. */
function nodeJobLabels(config: TestHost['config']): Record<string, string> {
  const job = scrapeJobs(config).find((j) => j.job_name === SCRAPE_JOBS.node) as {
    job_name: string;
    relabel_configs?: { target_label: string; replacement: string }[];
  };
  const instance = job.relabel_configs?.find((r) => r.target_label === 'instance')?.replacement;
  if (!instance) throw new Error('the node scrape job sets no instance label');
  return { job: job.job_name, instance };
}

/**
 * Promtool input series from consecutive scrapes, each held for `minutes` one-minute samples: a series missing
 * from a later scrape gets a staleness marker, as Prometheus records it.
 */
function scrapedSeries(scrapes: ReadonlyArray<{ samples: Sample[]; minutes: number }>, targetLabels: Record<string, string>): InputSeries[] {
  const key = (s: Sample) => series(s.name, { ...s.labels, ...targetLabels });
  const keys = [...new Set(scrapes.flatMap((scrape) => scrape.samples.map(key)))];
  return keys.map((k) => {
    const values: string[] = [];
    let present = false;
    for (const scrape of scrapes) {
      const sample = scrape.samples.find((s) => key(s) === k);
      for (let m = 0; m < scrape.minutes; m++) {
        values.push(sample ? sample.value : present && m === 0 ? 'stale' : '_');
      }
      present = sample !== undefined;
    }
    return { series: k, values: values.join(' ') };
  });
}

/**
 * Game day, monitoring self-failure: a bad config push. The host (install and lgtm-sync run for real under a
 * temporary root, fake bucket and fake systemctl, real promtool) receives the platform's real SLO rule file
 * with one expression broken. Sync must refuse it, keep the last good file in place (valid, so Prometheus
 * keeps running it), not reload, and raise its refusal marker for the node exporter; the next good push heals.
 * The real node exporter (textfile collector) serves what the script wrote, and the platform's real alert rules,
 * fed those scrapes under promtool, fire ConfigSyncRefused for the refused group and resolve it after the fix.
 */
describe('game day: a rule file broken by a bad config push', () => {
  const host = new TestHost();
  const sloRules = `${PROMETHEUS_RULES_DIR}/slo.yml`;
  const good = host.files.find((f) => f.path === sloRules)!.content;
  const sync = () => host.runScript(PATHS.syncScript, renderSyncScript(host.config));
  const reloads = () => host.server.requests.filter((r) => r.method === 'POST').map((r) => r.url);

  let nodeExporter: Daemon | undefined;
  let nodeExporterPort = 0;
  /** What the real node exporter's textfile collector serves from the sync's textfile directory right now. */
  const scrapeNodeExporter = async () => (await fetch(`http://127.0.0.1:${nodeExporterPort}/metrics`)).text();

  beforeAll(async () => {
    await host.start();
    expect((await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(host.config)))).code).toBe(0);
    nodeExporterPort = await freePort();
    nodeExporter = startDaemon('node_exporter', [
      `--web.listen-address=127.0.0.1:${nodeExporterPort}`,
      '--collector.disable-defaults',
      '--collector.textfile',
      `--collector.textfile.directory=${join(host.root, PATHS.textfileDir)}`,
    ]);
    await waitForHttp(nodeExporterPort, '/metrics', 10000, nodeExporter);
  }, 60000);
  afterAll(async () => {
    await nodeExporter?.stop();
    await host.close();
  });

  it('GIVEN the SLO rules with an unbalanced expression in the bucket THEN sync refuses them and the last good rules stay live', async () => {
    expect(host.file(sloRules)).toBe(good);
    const broken = good.replace(/(expr: .*?)\)(\s*\n)/, '$1$2');
    expect(broken).not.toBe(good);
    host.server.requests.length = 0;
    host.putObject(sloRules, broken);

    const refused = await sync();
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('REFUSED the new configuration of prometheus; the last good files stay in place');
    expect(host.file(sloRules)).toBe(good);
    expect(reloads()).toEqual([]);
    expect(host.file(`${PATHS.textfileDir}/lgtm_sync.prom`)).toContain('lgtm_config_sync_refused{group="prometheus"} 1');
    // what Prometheus keeps running is still valid: promtool accepts the live file
    const live = join(host.base, 'live-slo.yml');
    writeFileSync(live, host.file(sloRules));
    expect(run('promtool', ['check', 'rules', live]).status).toBe(0);

    // what node exporter's textfile collector serves from the sync's file (it parses it without error)
    const refusedScrape = await scrapeNodeExporter();
    expect(refusedScrape).toMatch(/^node_textfile_scrape_error 0$/m);

    // the fix is pushed: sync takes it (nothing changed compared to the live file, so no reload) and clears the marker
    host.putObject(sloRules, good);
    const healed = await sync();
    expect(healed.code).toBe(0);
    expect(host.file(`${PATHS.textfileDir}/lgtm_sync.prom`)).not.toContain('lgtm_config_sync_refused{');
    const healedScrape = await scrapeNodeExporter();
    expect(healedScrape).toMatch(/^node_textfile_scrape_error 0$/m);

    // GIVEN those two scrapes (10 minutes refused, then 10 minutes healed) with the node job's target labels
    // WHEN the platform's real rules evaluate them THEN ConfigSyncRefused fires for the group the script
    // reported, and resolves after the fix; ConfigSyncStale stays quiet (the script stamped its runs)
    const refusedSamples = exposition(refusedScrape, 'lgtm_config_sync_');
    const healedSamples = exposition(healedScrape, 'lgtm_config_sync_');
    expect(refusedSamples.map((x) => x.name).sort()).toEqual([CONFIG_SYNC_METRICS.lastRun, CONFIG_SYNC_METRICS.refused]);
    expect(healedSamples.map((x) => x.name)).toEqual([CONFIG_SYNC_METRICS.lastRun]);
    const target = nodeJobLabels(host.config);
    const input = scrapedSeries(
      [
        { samples: refusedSamples, minutes: 10 },
        { samples: healedSamples, minutes: 10 },
      ],
      target,
    );
    expect(input.find((i) => i.series.startsWith(`${CONFIG_SYNC_METRICS.refused}{`))).toEqual({
      series: series(CONFIG_SYNC_METRICS.refused, { group: 'prometheus', ...target }),
      values: `${'1 '.repeat(10)}stale${' _'.repeat(9)}`,
    });
    const firing = { ...target, group: 'prometheus', severity: 'warning' };
    const result = runPromtoolTests(
      [
        {
          name: 'the real sync output after a refused push, then after the fix',
          interval: '1m',
          input_series: input,
          alert_rule_test: [
            { eval_time: '3m', alertname: 'ConfigSyncRefused', exp_alerts: [] }, // pending
            { eval_time: '8m', alertname: 'ConfigSyncRefused', exp_alerts: [{ exp_labels: firing }] },
            { eval_time: '8m', alertname: 'ConfigSyncStale', exp_alerts: [] },
            { eval_time: '12m', alertname: 'ConfigSyncRefused', exp_alerts: [] },
          ],
        },
      ],
      { config: host.config },
    );
    if (result.status !== 0) throw new Error(`promtool test rules failed:\n${result.output}\n${result.testFile}`);
    expect(result.status).toBe(0);
  }, 60000);

  it('GIVEN the same harness with a refusal the sync never reported THEN promtool fails (the connection can fail)', () => {
    const target = nodeJobLabels(host.config);
    const input = scrapedSeries([{ samples: [{ name: CONFIG_SYNC_METRICS.lastRun, labels: {}, value: '1' }], minutes: 10 }], target);
    const result = runPromtoolTests(
      [
        {
          name: 'no marker',
          interval: '1m',
          input_series: input,
          alert_rule_test: [
            { eval_time: '8m', alertname: 'ConfigSyncRefused', exp_alerts: [{ exp_labels: { ...target, group: 'prometheus', severity: 'warning' } }] },
          ],
        },
      ],
      { config: host.config },
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/ConfigSyncRefused/);
  });
});
