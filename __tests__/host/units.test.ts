import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSystemdUnits, serviceSpecs } from '../../lib/host/systemd-units';
import { PORTS } from '../../lib/contracts/ports';
import { testConfig } from './helpers/host-fixture';
import { verifyUnits } from '../helpers/systemd-verify';
import { agentConfig } from '../agent/fixtures';
import { distributedConfig } from '../scale/fixtures';

describe('systemd units', () => {
  const config = testConfig();
  const units = renderSystemdUnits(config);
  const specs = serviceSpecs(config);

  test('systemd-analyze is the real one', () => {
    expect(execFileSync('systemd-analyze', ['--version'], { encoding: 'utf8' })).toMatch(/^systemd \d+/);
  });

  test('every rendered unit passes systemd-analyze verify with no warning', () => {
    expect(verifyUnits(units)).toEqual({ code: 0, problems: [] });
  });

  test('the check can fail: an unknown directive and a missing executable are reported', () => {
    const broken = units[0].content.replace('NoNewPrivileges=yes', 'NoNewPrivilegez=yes');
    expect(verifyUnits([{ path: units[0].path, content: broken }]).problems.join('\n')).toMatch(/Unknown key 'NoNewPrivilegez'/);
    const missing = verifyUnits([units[0]], false);
    expect(missing.code).not.toBe(0);
    expect(missing.problems.join('\n')).toMatch(/Command \/opt\/lgtm\/.* is not executable/);
  });

  test('there is one unit per service, and the DORA exporter runs the exporter bundle with node', () => {
    expect(specs.map((s) => s.unit).sort()).toEqual(
      ['alertmanager', 'blackbox_exporter', 'dora-exporter', 'grafana-server', 'loki', 'node_exporter', 'otelcol', 'prometheus', 'tempo'].sort(),
    );
    const dora = units.find((u) => u.path.endsWith('/dora-exporter.service'))!.content;
    expect(dora).toContain('ExecStart=/opt/lgtm/node/current/bin/node /opt/dora-exporter/dora-exporter.js --config /etc/dora-exporter/config.json');
    const noDora = serviceSpecs({ ...config, dora: undefined }).map((s) => s.unit);
    expect(noDora).not.toContain('dora-exporter');
  });

  test.each(specs.map((s) => [s.unit, s] as const))('%s runs as its own user, restarts with back-off and is sandboxed', (_name, spec) => {
    const content = units.find((u) => u.path === `/etc/systemd/system/${spec.unit}.service`)!.content;
    const values = (key: string) =>
      content
        .split('\n')
        .filter((l) => l.startsWith(`${key}=`))
        .map((l) => l.slice(key.length + 1));
    expect(values('User')).toEqual([spec.user]);
    expect(spec.user).not.toBe('root');
    expect(new Set(specs.map((s) => s.user)).size).toBe(specs.length);
    expect(values('Restart')).toEqual(['on-failure']);
    expect(values('RestartSec')).toEqual(['5s']);
    expect(values('StartLimitBurst')).toEqual(['10']);
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', spec.reportsOnHost ? 'read-only' : 'yes'],
      ['PrivateTmp', 'yes'],
      ['PrivateDevices', 'yes'],
      ['ProtectKernelTunables', 'yes'],
      ['ProtectKernelModules', 'yes'],
      ['ProtectControlGroups', 'yes'],
      ['RestrictSUIDSGID', 'yes'],
      ['LockPersonality', 'yes'],
    ])
      expect([key, values(key)]).toEqual([key, [value]]);
    expect(values('SystemCallFilter')[0]).toMatch(/^@system-service( |$)/);
    expect(values('ReadWritePaths')).toEqual(spec.dataDir ? [spec.dataDir] : []);
    expect(values('RequiresMountsFor')).toEqual(['/var/lib/lgtm']);
    if (spec.unit === 'blackbox_exporter') expect(values('CapabilityBoundingSet')).toEqual(['CAP_NET_RAW']);
    else expect(values('CapabilityBoundingSet')).toEqual(['']);
  });

  describe('Node Exporter sees the host it reports on', () => {
    const content = units.find((u) => u.path.endsWith('/node_exporter.service'))!.content;
    const values = (key: string) =>
      content
        .split('\n')
        .filter((l) => l.startsWith(`${key}=`))
        .map((l) => l.slice(key.length + 1));
    const others = specs.filter((s) => s.unit !== 'node_exporter').map((s) => units.find((u) => u.path === `/etc/systemd/system/${s.unit}.service`)!);

    test("GIVEN ProtectProc=invisible hides PID 1, whose mounts are the host's THEN Node Exporter alone sees every process", () => {
      // The filesystem collector reads /proc/1/mountinfo; hidden, it falls back to its own sandboxed view, where
      // ProtectSystem=strict makes every mount read-only (node_filesystem_readonly == 1, HostDiskFillingUp never fires).
      expect(values('ProtectProc')).toEqual(['default']);
      for (const unit of others) expect([unit.path, unit.content]).toEqual([unit.path, expect.stringContaining('ProtectProc=invisible')]);
    });

    test('GIVEN ProtectHome=yes replaces /home and /root THEN Node Exporter gets them read-only, so their sizes are the real ones', () => {
      expect(values('ProtectHome')).toEqual(['read-only']);
    });

    test('GIVEN the timex collector calls adjtimex (in @clock, which ProtectClock and @system-service deny) THEN Node Exporter may call it', () => {
      expect(values('SystemCallFilter')).toEqual(['@system-service adjtimex']);
      expect(values('ProtectClock')).toEqual([]);
      // It still cannot set the clock: that needs CAP_SYS_TIME, which its empty bounding set removes.
      expect(values('CapabilityBoundingSet')).toEqual(['']);
    });
  });

  test('GIVEN dskit reads the interfaces through netlink when Tempo starts THEN the Tempo unit allows AF_NETLINK', () => {
    const tempo = units.find((u) => u.path.endsWith('/tempo.service'))!.content;
    expect(tempo).toMatch(/^RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK$/m);
  });

  test('GIVEN operators reach Alertmanager and Prometheus through the documented SSM port forward THEN the links they send (silence, source) use that address', () => {
    const exec = (unit: string) => specs.find((s) => s.unit === unit)!.exec;
    // Without it both default to http://<hostname>:<port>, which no operator can open.
    expect(exec('alertmanager')).toContain(`--web.external-url=http://localhost:${PORTS.alertmanager}`);
    expect(exec('prometheus')).toContain(`--web.external-url=http://localhost:${PORTS.prometheus}`);
  });

  describe('GIVEN Grafana applies admin_password only when it creates its database', () => {
    const grafana = units.find((u) => u.path.endsWith('/grafana-server.service'))!.content;
    const pre = grafana.split('\n').filter((l) => l.startsWith('ExecStartPre='));

    test('THEN every start first sets the admin password to the SSM value, read from the credential on stdin, never argv', () => {
      expect(pre).toEqual([
        'ExecStartPre=-/bin/sh -c \'exec "$$0" cli --homepath=/opt/lgtm/grafana/current --config=/etc/grafana/grafana.ini admin reset-admin-password --password-from-stdin <"$$CREDENTIALS_DIRECTORY/grafana-admin-password"\' /opt/lgtm/grafana/current/bin/grafana',
      ]);
    });

    test('WHEN that command line runs THEN the password reaches grafana on stdin and a failure (first boot: no admin yet) does not stop the start', () => {
      const dir = mkdtempSync(join(tmpdir(), 'lgtm-issue-17-grafana-'));
      try {
        const fake = join(dir, 'grafana');
        writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$*" >"${dir}/argv"\ncat >"${dir}/stdin"\nexit 1\n`, { mode: 0o755 });
        writeFileSync(join(dir, 'grafana-admin-password'), 'rotated-secret');
        // As systemd runs it: `$$` becomes `$`.
        const line = pre[0].slice('ExecStartPre=-'.length).replace(/\$\$/g, '$').replace('/opt/lgtm/grafana/current/bin/grafana', fake);
        const [, script] = /^\/bin\/sh -c '(.*)' \S+$/.exec(line)!;
        const result = spawnSync('/bin/sh', ['-c', script, fake], { env: { CREDENTIALS_DIRECTORY: dir }, encoding: 'utf8' });
        expect(result.status).toBe(1); // systemd ignores it: the line starts with "-"
        expect(readFileSync(join(dir, 'stdin'), 'utf8')).toBe('rotated-secret');
        expect(readFileSync(join(dir, 'argv'), 'utf8')).not.toContain('rotated-secret');
        expect(readFileSync(join(dir, 'argv'), 'utf8')).toContain('admin reset-admin-password --password-from-stdin');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  test('internal ports listen on 127.0.0.1 only', () => {
    const exec = (unit: string) => specs.find((s) => s.unit === unit)!.exec.join(' ');
    expect(exec('prometheus')).toContain(`--web.listen-address=127.0.0.1:${PORTS.prometheus}`);
    expect(exec('alertmanager')).toContain(`--web.listen-address=127.0.0.1:${PORTS.alertmanager}`);
    expect(exec('alertmanager')).toMatch(/--cluster\.listen-address=( |$)/);
    expect(exec('node_exporter')).toContain(`--web.listen-address=127.0.0.1:${PORTS.nodeExporter}`);
    expect(exec('blackbox_exporter')).toContain(`--web.listen-address=127.0.0.1:${PORTS.blackboxExporter}`);
  });

  test('node exporter watches exactly the platform units through its systemd collector, over D-Bus its sandbox allows', () => {
    const nodeExporter = specs.find((s) => s.unit === 'node_exporter')!;
    expect(nodeExporter.exec).toEqual(expect.arrayContaining(['--collector.systemd', '--collector.systemd.enable-restarts-metrics']));
    const include = nodeExporter.exec.find((arg) => arg.startsWith('--collector.systemd.unit-include='))!.split('=')[1];
    // node exporter anchors the pattern itself (^(?:...)$)
    const watched = new RegExp(`^(?:${include})$`);
    for (const unit of [...specs.map((s) => `${s.unit}.service`), 'lgtm-sync.service', 'lgtm-secrets.service'])
      expect({ unit, watched: watched.test(unit) }).toEqual({ unit, watched: true });
    for (const unit of ['ssh.service', 'prometheusXservice', 'lgtm-sync.timer', 'cron.service', 'grafana-server.service.d'])
      expect({ unit, watched: watched.test(unit) }).toEqual({ unit, watched: false });
    const noDora = serviceSpecs({ ...config, dora: undefined })
      .find((s) => s.unit === 'node_exporter')!
      .exec.join(' ');
    expect(noDora).not.toContain('dora-exporter');
    // the collector connects to /run/dbus/system_bus_socket: AF_UNIX, and nothing hides /run
    const content = units.find((u) => u.path === '/etc/systemd/system/node_exporter.service')!.content;
    expect(content).toMatch(/^RestrictAddressFamilies=.*\bAF_UNIX\b/m);
    expect(content).not.toMatch(/^(InaccessiblePaths|TemporaryFileSystem)=.*\/run/m);
    expect(content).not.toMatch(/^PrivateIPC=yes|^PrivateUsers=yes/m);
  });

  test('Prometheus retention is bounded by time and by a size derived from the data volume', () => {
    const exec = specs.find((s) => s.unit === 'prometheus')!.exec;
    expect(exec).toContain('--storage.tsdb.retention.time=30d');
    expect(exec).toContain('--storage.tsdb.retention.size=25GB');
    const big = serviceSpecs({ ...config, host: { ...config.host, dataVolumeGiB: 500, retention: { ...config.host.retention, metrics: '90d' } } });
    expect(big.find((s) => s.unit === 'prometheus')!.exec).toEqual(
      expect.arrayContaining(['--storage.tsdb.retention.time=90d', '--storage.tsdb.retention.size=250GB']),
    );
  });

  test('services that hold secrets load them as systemd credentials after the boot-time fetch', () => {
    const am = units.find((u) => u.path.endsWith('/alertmanager.service'))!.content;
    expect(am).toContain('LoadCredential=slack-webhook-url:/run/lgtm-secrets/slack-webhook-url');
    expect(am).toMatch(/^After=.*lgtm-secrets\.service/m);
    const dora = units.find((u) => u.path.endsWith('/dora-exporter.service'))!.content;
    expect(dora).toContain('LoadCredential=github-token:/run/lgtm-secrets/github-token');
    expect(dora).toContain('LoadCredential=github-token:/run/lgtm-secrets/github-token');
    const prom = units.find((u) => u.path.endsWith('/prometheus.service'))!.content;
    expect(prom).not.toContain('LoadCredential');
  });

  describe('the instance metadata service (and with it the instance role) is reachable only where AWS is called', () => {
    const imdsDenied = (c: typeof config) =>
      Object.fromEntries(
        renderSystemdUnits(c)
          .filter((u) => u.path.endsWith('.service') && !/lgtm-/.test(u.path))
          .map((u) => [
            u.path.split('/').pop()!.replace('.service', ''),
            u.content.split('\n').includes('IPAddressDeny=169.254.169.254') && u.content.split('\n').includes('IPAddressDeny=fd00:ec2::254'),
          ]),
      );

    test('GIVEN one host without agents THEN no service reaches it', () => {
      expect(Object.entries(imdsDenied(config)).filter(([, denied]) => !denied)).toEqual([]);
    });

    test('GIVEN app-server agents THEN only Prometheus (EC2 discovery) reaches it', () => {
      const denied = imdsDenied(agentConfig());
      expect(Object.keys(denied).filter((unit) => !denied[unit])).toEqual(['prometheus']);
    });

    test('GIVEN scale: distributed THEN Prometheus, Loki, Tempo and Grafana (S3, AMP) reach it, nothing else', () => {
      const denied = imdsDenied(distributedConfig());
      expect(
        Object.keys(denied)
          .filter((unit) => !denied[unit])
          .sort(),
      ).toEqual(['grafana-server', 'loki', 'prometheus', 'tempo']);
      for (const unit of ['alertmanager', 'blackbox_exporter', 'otelcol', 'node_exporter']) expect([unit, denied[unit]]).toEqual([unit, true]);
    });
  });

  describe('the machinery units (root) are sandboxed', () => {
    const content = (name: string) => units.find((u) => u.path.endsWith(`/${name}`))!.content;
    const values = (name: string, key: string) =>
      content(name)
        .split('\n')
        .filter((l) => l.startsWith(`${key}=`))
        .map((l) => l.slice(key.length + 1));

    test.each(['lgtm-sync.service', 'lgtm-secrets.service'])('%s runs without capabilities on a read-only system', (name) => {
      expect(values(name, 'CapabilityBoundingSet')).toEqual(['']);
      expect(values(name, 'ProtectSystem')).toEqual(['strict']);
      expect(values(name, 'NoNewPrivileges')).toEqual(['yes']);
      expect(values(name, 'SystemCallFilter')).toEqual(['@system-service']);
      expect(values(name, 'RestrictAddressFamilies')).toEqual(['AF_INET AF_INET6 AF_UNIX']);
    });

    test('lgtm-sync may write only where it installs, its state and its textfile metrics; never /etc/lgtm, cron or sudoers', () => {
      const writable = values('lgtm-sync.service', 'ReadWritePaths').map((p) => p.replace(/^-/, ''));
      expect(writable.sort()).toEqual(
        [
          '/etc/alertmanager',
          '/etc/blackbox_exporter',
          '/etc/dora-exporter',
          '/etc/grafana',
          '/etc/loki',
          '/etc/otelcol',
          '/etc/prometheus',
          '/etc/systemd/system',
          '/etc/tempo',
          '/opt/dora-exporter',
          '/usr/local/sbin',
          '/var/lib/lgtm-sync',
          '/var/lib/lgtm/node_exporter/textfile',
        ].sort(),
      );
      expect(values('lgtm-secrets.service', 'ReadWritePaths')).toEqual([]);
      expect(values('lgtm-secrets.service', 'RuntimeDirectory')).toEqual(['lgtm-secrets']);
    });
  });

  test('the sync timer runs the sync service every minute, first two minutes after boot (the defaults of host.configSync)', () => {
    const timer = units.find((u) => u.path.endsWith('/lgtm-sync.timer'))!.content;
    expect(timer).toContain('OnBootSec=2min\n');
    expect(timer).toContain('OnUnitInactiveSec=1min\n');
    expect(timer).toContain('Description=Run the LGTM config sync every minute\n');
    expect(timer).toContain('Unit=lgtm-sync.service');
  });

  test('GIVEN host.configSync THEN the timer runs on that schedule, in seconds where it is not whole minutes, and says so; systemd accepts it', () => {
    const timerOf = (configSync: { firstRunAfterSeconds: number; intervalSeconds: number }) =>
      renderSystemdUnits({ ...config, host: { ...config.host, configSync } }).find((u) => u.path.endsWith('/lgtm-sync.timer'))!;
    const fast = timerOf({ firstRunAfterSeconds: 15, intervalSeconds: 10 });
    expect(fast.content).toContain('OnBootSec=15s\n');
    expect(fast.content).toContain('OnUnitInactiveSec=10s\n');
    expect(fast.content).toContain('Description=Run the LGTM config sync every 10 seconds\n');
    const slow = timerOf({ firstRunAfterSeconds: 300, intervalSeconds: 120 });
    expect(slow.content).toContain('OnBootSec=5min\n');
    expect(slow.content).toContain('OnUnitInactiveSec=2min\n');
    expect(slow.content).toContain('Description=Run the LGTM config sync every 2 minutes\n');
    expect(verifyUnits([fast])).toEqual({ code: 0, problems: [] });
  });
});
