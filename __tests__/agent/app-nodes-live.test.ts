import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { agentNodeExporterArgs } from '../../lib/agent/agent-units';
import { staticAlertRules } from '../../lib/prometheus/rule-files';
import { renderPrometheusConfig, scrapeJobs } from '../../lib/prometheus/scrape-config';
import { SCRAPE_JOBS, appNodesJobName } from '../../lib/contracts/scrape-jobs';
import { PORTS } from '../../lib/contracts/ports';
import { PROMTOOL_CONTEXT } from '../../lib/gameday/promtool';
import { freePort, startDaemon, waitFor, waitForHttp, type Daemon } from '../../bench/processes';
import { agentConfig } from './fixtures';
import { compilePlatform } from '../../lib/model/compile';

const config = agentConfig();
const JOB = appNodesJobName('anvila-api', 'production');
const INSTANCE = 'i-0a1b2c3d4e5f67890';

describe('the rendered Prometheus config with EC2 discovery of app servers', () => {
  test('promtool check config accepts it, with one EC2-discovered job per environment with an agent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgtm-app-nodes-'));
    try {
      const file = join(dir, 'prometheus.yml');
      writeFileSync(file, renderPrometheusConfig(config).replace(/^rule_files:\n.*\n/m, ''));
      const result = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8', timeout: 30000 });
      expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
      expect(result.status).toBe(0);
      const jobs = scrapeJobs(config).filter((j) => (j.job_name as string).startsWith(`${SCRAPE_JOBS.appNodes}/`));
      expect(jobs.map((j) => j.job_name)).toEqual(['app-nodes/anvila-api/staging', 'app-nodes/anvila-api/production']);
      expect((jobs[1] as any).ec2_sd_configs).toEqual([
        {
          region: 'us-east-1',
          port: PORTS.nodeExporter,
          refresh_interval: '60s',
          filters: [
            { name: 'tag:Env', values: ['production'] },
            { name: 'tag:Role', values: ['anvila-api'] },
          ],
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * GIVEN the pinned Node Exporter started with the agent unit's flags (listening on 127.0.0.1 here), and a
 * real Prometheus running the rendered app-nodes job, its EC2 discovery replaced by a static target that
 * carries the same __meta_ec2_* labels EC2 discovery would, so the real relabel rules run
 * WHEN Prometheus scrapes it
 * THEN the app server's series carry job="node", service, environment and its instance id, and the host
 * alerts' expressions select it; a stopped instance is dropped.
 */
describe('live: an app server found by (stand-in) EC2 discovery', () => {
  let dir: string;
  let exporter: Daemon;
  let prometheus: Daemon;
  let promPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lgtm-app-nodes-live-'));
    const exporterPort = await freePort();
    promPort = await freePort();
    const args = agentNodeExporterArgs().map((arg) => (arg.startsWith('--web.listen-address=') ? `--web.listen-address=127.0.0.1:${exporterPort}` : arg));
    exporter = startDaemon('node_exporter', args);
    await waitForHttp(exporterPort, '/metrics', 15000, exporter);

    const job: any = structuredClone(scrapeJobs(config).find((j) => j.job_name === JOB));
    const meta = (id: string, state: string) => ({
      __meta_ec2_instance_id: id,
      __meta_ec2_instance_state: state,
      __meta_ec2_private_ip: '127.0.0.1',
      __meta_ec2_tag_Name: 'anvila-api-1',
      __meta_ec2_tag_Role: 'anvila-api',
      __meta_ec2_tag_Env: 'production',
    });
    delete job.ec2_sd_configs;
    // EC2 discovery's address is <private IP>:<port>; here the exporter's free port on loopback.
    job.static_configs = [
      { targets: [`127.0.0.1:${exporterPort}`], labels: meta(INSTANCE, 'running') },
      { targets: [`localhost:${exporterPort}`], labels: meta('i-0stopped00000000', 'stopped') },
    ];
    writeFileSync(join(dir, 'prometheus.yml'), yaml.dump({ global: { scrape_interval: '1s', scrape_timeout: '1s' }, scrape_configs: [job] }));
    prometheus = startDaemon('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    await waitForHttp(promPort, '/-/ready', 20000, prometheus);
  }, 40000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = (expr: string) =>
    waitFor(
      expr,
      async () => {
        const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
        const body = (await res.json()) as { data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
        return body.data && body.data.result.length > 0 ? body.data.result : undefined;
      },
      25000,
      500,
    );

  test('THEN the target is up with job="node", service, environment, instance = instance id, instance_name = Name tag', async () => {
    const [up] = await query(`up{job="${SCRAPE_JOBS.node}"}`);
    expect(up.metric).toEqual({
      __name__: 'up',
      job: SCRAPE_JOBS.node,
      service: 'anvila-api',
      environment: 'production',
      instance: INSTANCE,
      instance_name: 'anvila-api-1',
    });
    expect(up.value[1]).toBe('1');
  }, 40000);

  test('THEN the stopped instance is not scraped', async () => {
    const targets = await waitFor(
      'targets',
      async () => {
        const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/targets?state=active`);
        const body = (await res.json()) as { data: { activeTargets: { labels: Record<string, string> }[] } };
        return body.data.activeTargets.length > 0 ? body.data.activeTargets : undefined;
      },
      20000,
    );
    expect(targets.map((t) => t.labels.instance)).toEqual([INSTANCE]);
  }, 30000);

  test('THEN the host alerts (HostDown, HostHighCpu, HostHighMemory) select the app server by job and instance', async () => {
    const rules = staticAlertRules(compilePlatform(config), PROMTOOL_CONTEXT, 'host');
    const selecting = (name: string) => {
      const expr = rules.find((r) => r.alert === name)!.expr;
      // The condition without its threshold: which series the alert looks at.
      return expr.replace(/ (>|<) [0-9.]+$/, ' >= 0').replace(/ == 0 or absent\(.*\)$/, '');
    };
    for (const name of ['HostDown', 'HostHighCpu', 'HostHighMemory']) {
      const series = await query(selecting(name));
      expect(series.map((s) => s.metric.instance)).toContain(INSTANCE);
    }
  }, 60000);
});
