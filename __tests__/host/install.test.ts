import * as yaml from 'js-yaml';
import { existsSync, lstatSync, readlinkSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, resolveArtifacts, type ArtifactSpec } from '../../lib/host/artifacts';
import { renderInstallScript } from '../../lib/host/install-script';
import { compilePlatform } from '../../lib/model/compile';
import { serviceSpecs } from '../../lib/host/systemd-units';
import { PATHS } from '../../lib/shared/host-paths';
import { buildTestArtifact, sha256 } from './helpers/artifact-server';
import { TestHost, testConfig, VOLUME_ID } from './helpers/host-fixture';

/** Calls that change the machine; a second run must make none of them. */
const MUTATING = /^(systemctl (enable|start|restart|try-restart|daemon-reload)|useradd|mount |mkfs|dnf)/;

describe('lgtm-install, run for real under a temporary root against a local artifact server', () => {
  const host = new TestHost();
  const script = renderInstallScript(compilePlatform(host.config));
  let first: Awaited<ReturnType<TestHost['runScript']>>;

  beforeAll(async () => {
    await host.start();
    first = await host.runScript(PATHS.installScript, script);
  }, 60000);
  afterAll(() => host.close());

  test('GIVEN a blank data volume WHEN installing THEN it formats it once, mounts it by UUID and lists it in fstab', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const calls = host.fake.calls();
    expect(calls.filter((c) => c.startsWith('mkfs.xfs'))).toEqual([expect.stringContaining(`nvme-Amazon_Elastic_Block_Store_${VOLUME_ID.replace('-', '')}`)]);
    const fstab = host.file('etc/fstab').trim().split('\n');
    expect(fstab).toEqual(['UUID=0b7e6a52-3f8e-4c59-9d1e-5a7c1d2e3f40 /var/lib/lgtm xfs defaults,noatime,nofail,x-systemd.device-timeout=120s 0 2']);
    expect(calls).toContain(`mount ${host.root}/var/lib/lgtm`);
  });

  test('THEN every service has its own system user with a fixed uid, and its data directory', () => {
    const calls = host.fake.calls();
    for (const spec of serviceSpecs(host.config)) {
      expect(calls).toContain(`useradd --system --uid ${spec.uid} --user-group --no-create-home --home-dir /nonexistent --shell /sbin/nologin ${spec.user}`);
      if (spec.dataDir) {
        expect(statSync(join(host.root, spec.dataDir)).isDirectory()).toBe(true);
        expect(calls).toContain(`chown -R ${spec.user}:${spec.user} ${host.root}${spec.dataDir}`);
      }
    }
  });

  test("THEN the directories Loki and Grafana are configured to read exist: Loki's rules directory and Grafana's provisioning tree", () => {
    const loki = yaml.load(host.file(PATHS.lokiConfig)) as any;
    const rules = loki.common.storage.filesystem.rules_directory;
    expect(statSync(join(host.root, rules)).isDirectory()).toBe(true);
    expect(host.fake.calls()).toContain(`chown -R loki:loki ${host.root}${rules}`);
    const ini = host.file(PATHS.grafanaIni);
    const provisioning = /^provisioning = (.+)$/m.exec(ini)![1];
    for (const sub of ['', 'datasources', 'dashboards', 'plugins', 'alerting'])
      expect([sub, statSync(join(host.root, provisioning, sub)).isDirectory()]).toEqual([sub, true]);
  });

  test('THEN every pinned artifact is verified, unpacked and active under /opt/lgtm/<name>/current', () => {
    for (const artifact of resolveArtifacts(host.config)) {
      const current = join(host.root, 'opt/lgtm', artifact.name, 'current');
      expect(lstatSync(current).isSymbolicLink()).toBe(true);
      expect(readlinkSync(current)).toBe(artifact.version);
      for (const relative of Object.values(artifact.executables)) expect(statSync(join(current, relative)).mode & 0o111).toBeTruthy();
      const record = readFileSync(join(current, '.lgtm-verified'), 'utf8');
      expect(record).toBe(`${sha256(host.server.files.get(`/${artifact.mirrorPath}`)!)}  ${artifact.file}\n`);
    }
  });

  test('THEN the config sync put every rendered file in place and the units are enabled and started', () => {
    for (const file of host.files) expect(host.file(file.path)).toBe(file.content);
    expect(statSync(join(host.root, PATHS.syncScript)).mode & 0o777).toBe(0o755);
    expect(host.file('etc/prometheus/rules/test.yml')).toContain('job:up:sum');
    const calls = host.fake.calls();
    for (const spec of serviceSpecs(host.config)) {
      expect(calls).toContain(`systemctl enable ${spec.unit}.service`);
      expect(calls).toContain(`systemctl start ${spec.unit}.service`);
    }
    expect(calls).toContain('systemctl enable lgtm-sync.timer');
    expect(calls).toContain('systemctl enable lgtm-secrets.service');
  });

  describe('WHEN run a second time', () => {
    let second: Awaited<ReturnType<TestHost['runScript']>>;
    let before: Map<string, string>;
    beforeAll(async () => {
      // The sync's own run record (lock, textfile timestamp) changes by design; everything else must not.
      before = host.snapshot([/^\/var\/lib\/lgtm-sync/, /lgtm_sync\.prom$/]);
      host.fake.resetCalls();
      host.server.requests.length = 0;
      second = await host.runScript(PATHS.installScript, script);
    }, 60000);

    test('THEN it downloads nothing, changes no file and makes no change to the system', () => {
      expect(second.code).toBe(0);
      expect(host.server.requests).toEqual([]);
      expect(host.snapshot([/^\/var\/lib\/lgtm-sync/, /lgtm_sync\.prom$/])).toEqual(before);
      const mutating = host.fake.calls().filter((c) => MUTATING.test(c));
      expect(mutating).toEqual([]);
      expect(second.stdout).toContain('lgtm-sync: no changes');
    });
  });
});

describe('lgtm-install upgrading to a download whose checksum does not match', () => {
  const config = testConfig();
  // A newer Prometheus whose published checksum belongs to other bytes than the ones served.
  const upgraded: ArtifactSpec[] = ARTIFACTS.map((a) => (a.name === 'prometheus' ? { ...a, version: '3.99.0' } : a));
  const host = new TestHost(config);
  let result: Awaited<ReturnType<TestHost['runScript']>>;

  beforeAll(async () => {
    await host.start();
    const ok = await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(config)));
    expect(ok.code).toBe(0);
    const artifact = resolveArtifacts(config, upgraded).find((a) => a.name === 'prometheus')!;
    const genuine = buildTestArtifact(host.base, artifact, 'genuine');
    const tampered = buildTestArtifact(host.base, artifact, 'tampered');
    host.server.files.set(`/${artifact.mirrorChecksumPath}`, genuine.get(`/${artifact.mirrorChecksumPath}`)!);
    host.server.files.set(`/${artifact.mirrorPath}`, tampered.get(`/${artifact.mirrorPath}`)!);
    host.fake.resetCalls();
    result = await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(config, { artifacts: upgraded })));
  }, 60000);
  afterAll(() => host.close());

  test('THEN it aborts with a clear message naming the file and both digests', () => {
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /checksum mismatch for prometheus-3\.99\.0\.linux-(amd64|arm64)\.tar\.gz \(prometheus 3\.99\.0\): expected [0-9a-f]{64} from the publisher's checksum file https:\/\/github\.com\/prometheus\/prometheus\/releases\/download\/v3\.99\.0\/sha256sums\.txt, downloaded file has [0-9a-f]{64}/,
    );
    expect(result.stderr).toContain('the running install is unchanged');
  });

  test('THEN the running install is untouched: same version active, nothing unpacked, nothing restarted', () => {
    expect(readlinkSync(join(host.root, 'opt/lgtm/prometheus/current'))).toBe('3.16.0');
    expect(existsSync(join(host.root, 'opt/lgtm/prometheus/3.99.0'))).toBe(false);
    expect(host.fake.calls().filter((c) => MUTATING.test(c))).toEqual([]);
  });
});

describe('lgtm-install with a user-pinned checksum', () => {
  const upgraded: ArtifactSpec[] = ARTIFACTS.map((a) => (a.name === 'node_exporter' ? { ...a, version: '1.99.0' } : a));
  const arch = process.arch === 'arm64' ? 'arm64' : 'x86_64';

  test('GIVEN the right pin THEN it verifies against the pin without fetching the checksum file, and restarts the service', async () => {
    const host = new TestHost();
    try {
      await host.start();
      expect((await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(host.config)))).code).toBe(0);
      const artifact = resolveArtifacts(host.config, upgraded).find((a) => a.name === 'node_exporter')!;
      const served = buildTestArtifact(host.base, artifact, 'pinned');
      const archive = served.get(`/${artifact.mirrorPath}`)!;
      host.server.files.set(`/${artifact.mirrorPath}`, archive);
      const pinned = { ...host.config, host: { ...host.config.host, artifactChecksums: { [`node_exporter-${arch}`]: sha256(archive) } } };
      host.server.requests.length = 0;
      host.fake.resetCalls();
      const result = await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(pinned, { artifacts: upgraded })));
      expect(result.code).toBe(0);
      expect(host.server.requests.map((r) => r.url)).toEqual([`/${artifact.mirrorPath}`]);
      expect(readlinkSync(join(host.root, 'opt/lgtm/node_exporter/current'))).toBe('1.99.0');
      expect(host.fake.calls()).toContain('systemctl try-restart node_exporter.service');
    } finally {
      await host.close();
    }
  }, 60000);

  test('GIVEN a wrong pin THEN it aborts naming the pin and keeps the running version', async () => {
    const host = new TestHost();
    try {
      await host.start();
      expect((await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(host.config)))).code).toBe(0);
      const artifact = resolveArtifacts(host.config, upgraded).find((a) => a.name === 'node_exporter')!;
      host.server.files.set(`/${artifact.mirrorPath}`, buildTestArtifact(host.base, artifact, 'x').get(`/${artifact.mirrorPath}`)!);
      const pinned = { ...host.config, host: { ...host.config.host, artifactChecksums: { [`node_exporter-${arch}`]: 'a'.repeat(64) } } };
      const result = await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(pinned, { artifacts: upgraded })));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`expected ${'a'.repeat(64)} from the pin host.artifactChecksums.node_exporter-${arch}`);
      expect(readlinkSync(join(host.root, 'opt/lgtm/node_exporter/current'))).toBe('1.12.1');
    } finally {
      await host.close();
    }
  }, 60000);
});

describe('lgtm-install on a first boot whose bucket holds a replaced sync script (the bucket written, the manifest not)', () => {
  const host = new TestHost();
  let result: Awaited<ReturnType<TestHost['runScript']>>;

  beforeAll(async () => {
    await host.start();
    host.tamperObject(PATHS.syncScript, '#!/bin/bash\ncp /bin/bash /tmp/rootshell; chmod 4755 /tmp/rootshell\n');
    result = await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(host.config)));
  }, 60000);
  afterAll(() => host.close());

  test('THEN it refuses to fetch the sync script, runs none and says why', () => {
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`fetch_sealed: REFUSED ${PATHS.syncScript}: its SHA-256 is not the one the manifest lists`);
    expect(existsSync(join(host.root, PATHS.syncScript))).toBe(false);
    expect(existsSync(join(host.root, PATHS.prometheusConfig))).toBe(false);
  });

  test('GIVEN the bucket back as the stack published it THEN the install converges', async () => {
    host.tamperObject(PATHS.syncScript, host.files.find((f) => f.path === PATHS.syncScript)!.content);
    const again = await host.runScript(PATHS.installScript, renderInstallScript(compilePlatform(host.config)));
    expect(again.code).toBe(0);
    expect(statSync(join(host.root, PATHS.syncScript)).mode & 0o777).toBe(0o755);
    expect(existsSync(join(host.root, PATHS.prometheusConfig))).toBe(true);
  });
});
