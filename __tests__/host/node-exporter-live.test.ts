import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { STATIC_ALERTS } from '../../lib/alerting/packs';
import { NODE_EXPORTER_METRICS } from '../../lib/grafana/metric-catalog';
import { serviceSpecs } from '../../lib/host/systemd-units';
import { freePort, startDaemon, waitForHttp, type Daemon } from '../../bench/processes';
import { testConfig } from './helpers/host-fixture';
import { HOST_ONLY_METRICS } from '../helpers/host-only-metrics';

/**
 * GIVEN the real node exporter started with the flags of the host's unit
 * WHEN it is scraped
 * THEN it accepts every flag (the systemd collector's unit pattern included) and serves every metric the host
 * alerts read, so an alert cannot be written against a name the program does not have.
 */

/** The pinned build on PATH when scripts/oracles.sh has run, else Debian's package of the same program. */
function nodeExporterCommand(): string {
  for (const name of ['node_exporter', 'prometheus-node-exporter']) {
    try {
      execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' });
      return name;
    } catch {
      // not on PATH: try the next name
    }
  }
  throw new Error('no node exporter on PATH: .ci/run installs prometheus-node-exporter');
}

describe('node exporter with the host unit flags (live)', () => {
  const spec = serviceSpecs(testConfig()).find((s) => s.unit === 'node_exporter')!;
  const textfileDir = mkdtempSync(join(tmpdir(), 'lgtm-issue-23-textfile-'));
  let daemon: Daemon | undefined;
  let metrics = '';

  beforeAll(async () => {
    const port = await freePort();
    // the unit's own arguments, with the listen address and the textfile directory moved to this test's
    const args = spec.exec
      .slice(1)
      .map((arg) =>
        arg.startsWith('--web.listen-address=')
          ? `--web.listen-address=127.0.0.1:${port}`
          : arg.startsWith('--collector.textfile.directory=')
            ? `--collector.textfile.directory=${textfileDir}`
            : arg,
      );
    // a malformed textfile, the way a broken writer leaves one: the collector must report it
    writeFileSync(join(textfileDir, 'broken.prom'), 'lgtm_broken{ 1\n');
    daemon = startDaemon(nodeExporterCommand(), args);
    await waitForHttp(port, '/metrics', 15000, daemon);
    metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  }, 30000);

  afterAll(async () => {
    await daemon?.stop();
    rmSync(textfileDir, { recursive: true, force: true });
  });

  const exposed = (name: string) => new RegExp(`^${name}(\\{| )`, 'm').test(metrics);

  it('GIVEN the unit flags THEN the systemd collector is enabled with them (a bad flag or pattern would stop the exporter)', () => {
    expect(spec.exec).toContain('--collector.systemd');
    expect(metrics).toMatch(/^node_scrape_collector_success\{collector="systemd"\}/m);
  });

  it('GIVEN the host alerts THEN every node exporter metric they read is served by the real program', () => {
    const read = [...new Set(STATIC_ALERTS.filter((a) => a.group === 'host').flatMap((a) => a.reads))].filter((m) =>
      (NODE_EXPORTER_METRICS as readonly string[]).includes(m),
    );
    expect(read.length).toBeGreaterThan(20);
    for (const metric of read) {
      const collector = HOST_ONLY_METRICS[metric];
      if (collector)
        expect({ metric, collectorEnabled: metrics.includes(`node_scrape_collector_success{collector="${collector}"}`) }).toEqual({
          metric,
          collectorEnabled: true,
        });
      else expect({ metric, exposed: exposed(metric) }).toEqual({ metric, exposed: true });
    }
  });

  it('GIVEN a malformed textfile THEN node_textfile_scrape_error is 1, which HostTextfileCollectorError fires on', () => {
    expect(metrics).toMatch(/^node_textfile_scrape_error 1$/m);
  });

  it('the check can fail: a misspelt metric is not served', () => {
    expect(exposed('node_filefd_alocated')).toBe(false);
  });
});
