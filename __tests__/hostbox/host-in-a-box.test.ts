import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { validatePlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { pinKey, resolveArtifacts } from '../../lib/host/artifacts';
import { sha256 } from '../host/helpers/artifact-server';
import { renderBootstrapUserData } from '../../lib/host/bootstrap-user-data';
import { configObjectKey } from '../../lib/host/config-sync';
import { CONFIG_MANIFEST_OBJECT, configManifestParameterName, renderConfigManifest, sha256Hex } from '../../lib/host/config-manifest';
import type { HostFile } from '../../lib/shared/host-file';
import { renderHostFiles } from '../../lib/render-host-files';
import { PATHS } from '../../lib/shared/host-paths';
import { hostSecrets } from '../../lib/host/secrets';
import { serviceSpecs } from '../../lib/host/systemd-units';
import { waitFor, type Daemon } from '../../bench/processes';
import { REPO, testConfig } from '../host/helpers/host-fixture';
import { BOX_BASE, BoxNetwork, DataVolume, HostInstance, IMDS_ADDRESS } from './box';
import { mirrorContent } from './programs';
import { compilePlatform } from '../../lib/model/compile';
import { alertDefinition } from '../../lib/alerting/packs';
import { CONFIG_SYNC_SCHEDULE } from '../../lib/contracts/config-sync';
import { installProbe, plantDropIn, sandboxHoles, type ProbedUnit } from './sandbox';

/*
 * The host in a box (npm run test:host): the rendered user-data boots a Debian bookworm root under systemd-nspawn
 * (systemd 252 as PID 1); the installer, units, timer and secrets run for real against a local S3/SSM endpoint
 * (moto's server) that also holds the artifact mirror. Everything is in one network namespace with only loopback.
 */

const REGION = 'us-east-1';
const ENDPOINT = 'http://127.0.0.1:4566';
const CONFIG_BUCKET = 'lgtm-hostbox-config';
const MIRROR_BUCKET = 'lgtm-hostbox-artifacts';
const PREFIX = 'anvila';
const VOLUME_ID = 'vol-0hostbox0issue18';
const APP_PORT = 18080;
const SLACK_PORT = 18081;
const PROMETHEUS = 'http://127.0.0.1:9090';
const NODE_EXPORTER = 'http://127.0.0.1:9100';
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
/** What the bootstrap logs when an installer attempt fails and it will retry. */
const INSTALLER_FAILED = 'the installer failed (attempt 1';

const timeline: [string, number][] = [];
const started = Date.now();
const mark = (what: string) => {
  timeline.push([what, Date.now() - started]);
  process.stdout.write(`host-in-a-box: ${((Date.now() - started) / 1000).toFixed(1)} s  ${what}\n`);
};

/**
 * The box waits for the host's real timers, so it runs them on a short schedule, through the platform
 * description's own knobs (the rendered units and rules are what a user with these settings gets): the sync
 * timer's first run and interval, and the `for:` of the two alerts it waits for. Production defaults differ
 * (printed with the values at the start).
 */
const BOX_SYNC_SCHEDULE = { firstRunAfterSeconds: 10, intervalSeconds: 10 };
const BOX_ALERT_FOR = { ProbeFailing: { for: '0s' }, ConfigSyncRefused: { for: '20s' } };

/**
 * The default config with its app on the box's loopback, the mirror in the local S3, the local endpoints, and the
 * box's short schedule.
 * Without its probe SLO: that SLO's fast burn would mute ProbeFailing (the inhibition of SLO pages over their
 * symptom), and its 30m/6h clause keeps it firing for half an hour after recovery in a box minutes old, so the
 * page could not be seen to resolve within the test. The errors and latency SLOs keep their rules.
 */
function boxConfig(): PlatformConfig {
  const raw = structuredClone(testConfig());
  for (const service of raw.services) service.slos = service.slos.filter((slo) => slo.sli !== 'probe');
  for (const service of raw.services)
    service.environments = service.environments.map((env) => ({
      ...env,
      probeUrl: `http://127.0.0.1:${APP_PORT}/health`,
      metricsTarget: `127.0.0.1:${APP_PORT}`,
      metricsPath: '/metrics',
    }));
  raw.host = {
    ...raw.host,
    artifactMirror: { s3Bucket: MIRROR_BUCKET, prefix: 'lgtm-artifacts' },
    awsEndpoints: { s3: ENDPOINT, ssm: ENDPOINT },
    configSync: BOX_SYNC_SCHEDULE,
  };
  raw.alerting = { ...raw.alerting, alertOverrides: BOX_ALERT_FOR };
  return validatePlatformConfig(raw, '<host-in-a-box config>');
}

type Target = { labels: Record<string, string>; scrapePool: string; health: string; lastError: string };
type RuleGroup = { file: string; name: string; rules: { name: string; query: string; health: string; type: string }[] };

describe('host in a box: the rendered user-data boots a real systemd host', () => {
  const work = join(BOX_BASE, 'work');
  const unpinned = boxConfig();
  const { files: mirror, programs } = mirrorContent(join(BOX_BASE, 'work', 'artifacts'), resolveArtifacts(unpinned));
  // The user-pin path (host.artifactChecksums): one download per artifact instead of two, on a slow CLI.
  const config = validatePlatformConfig(
    {
      ...unpinned,
      host: {
        ...unpinned.host,
        artifactChecksums: Object.fromEntries(resolveArtifacts(unpinned).map((a) => [pinKey(a.name, a.arch), sha256(mirror.get(a.mirrorPath)!)])),
      },
    },
    '<host-in-a-box config>',
  );
  const files = renderHostFiles(compilePlatform(config), { grafanaUrl: 'http://127.0.0.1:3000' });
  const secretValues = new Map(
    hostSecrets(config).map((s) => [
      s.name,
      s.name === 'slack-webhook-url'
        ? `http://127.0.0.1:${SLACK_PORT}/hook/${randomBytes(6).toString('hex')}`
        : `hostbox-${s.name}-${randomBytes(8).toString('hex')}`,
    ]),
  );
  let network: BoxNetwork;
  let volume: DataVolume;
  let host: HostInstance;
  const instances: HostInstance[] = [];
  let tarball: string;
  let app: Daemon;
  let replacementRoot: Promise<HostInstance> | undefined;
  let appBack: Promise<void> | undefined;
  /** instance-2: a fresh copy of the cached root with the same user-data and data volume, not booted yet. */
  const prepareReplacement = async () => {
    const replacement = new HostInstance('instance-2', tarball, volume, network, host.spec);
    instances.push(replacement);
    await replacement.create();
    return replacement;
  };
  const startApp = () => network.daemon([TSX, join(__dirname, 'peers.ts'), 'app', String(APP_PORT), config.services[0].latencyBuckets.join(',')]);
  const slackLog = join(work, 'slack.jsonl');
  const slackMessages = (): { at: number; body: string }[] =>
    existsSync(slackLog)
      ? readFileSync(slackLog, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { at: number; body: string })
      : [];
  /** Waits until every service's unit is active on `instance`; a unit that stays otherwise fails with its journal. */
  const waitAllActive = async (instance: HostInstance) => {
    const states = async () =>
      Promise.all(
        serviceSpecs(config).map(async (spec) => [spec.unit, (await instance.exec(['systemctl', 'is-active', `${spec.unit}.service`])).stdout.trim()] as const),
      );
    await waitFor('every service active', async () => ((await states()).every(([, state]) => state === 'active') ? true : undefined), 90000, 2000).catch(
      async (error) => {
        const down = (await states()).filter(([, state]) => state !== 'active');
        const journals = await Promise.all(
          down.map(
            async ([unit, state]) =>
              `${unit} is ${state}:\n${(await instance.exec(['journalctl', '-u', `${unit}.service`, '--no-pager', '-o', 'cat', '-n', '25'])).stdout}`,
          ),
        );
        throw new Error(
          `${error}\n${journals.join('\n')}\ninstall:\n${(await instance.exec(['journalctl', '-u', 'lgtm-hostbox-cloud-init.service', '--no-pager', '-o', 'cat', '-n', '30'])).stdout}`,
        );
      },
    );
  };
  /** The first-boot journal of an instance: what cloud-init's stand-in ran (the bootstrap and its installer attempts). */
  const installLog = async (instance: HostInstance) => (await instance.exec(['journalctl', '-u', 'lgtm-hostbox-cloud-init.service', '-o', 'cat'])).stdout;
  const alerts = async () =>
    (await network.json<{ data: { alerts: { labels: Record<string, string>; state: string }[] } }>(`${PROMETHEUS}/api/v1/alerts`))?.data.alerts ?? [];

  /** Applies S3/SSM operations to the local endpoint. */
  const aws = async (operations: Record<string, string>[]) => {
    const request = join(work, `aws-${Date.now()}.json`);
    writeFileSync(request, JSON.stringify({ endpoint: ENDPOINT, region: REGION, operations }));
    const result = await network.exec(['/bin/sh', '-c', `python3 ${join(__dirname, 'aws-seed.py')} < ${request}`], 120000);
    if (result.code !== 0) throw new Error(`aws-seed failed: ${result.stdout}${result.stderr}`);
  };
  const putObjects = (bucket: string, objects: [string, Buffer | string][]) => {
    const ops = objects.map(([key, body], i) => {
      const file = join(work, 'objects', `${bucket}-${i}-${key.replace(/\//g, '_')}`);
      writeFileSync(file, body);
      return { op: 'put-object', bucket, key, file };
    });
    return aws(ops);
  };
  // Published as the stack does: the objects, the manifest sealing them, and the manifest's digest in SSM.
  const published = new Map<string, HostFile>(files.map((f) => [f.path, f]));
  const publish = async (changed: readonly HostFile[]) => {
    for (const file of changed) published.set(file.path, file);
    const manifest = renderConfigManifest([...published.values()]);
    await putObjects(CONFIG_BUCKET, [
      ...changed.map((f): [string, string] => [configObjectKey(PREFIX, f.path), f.content]),
      [configObjectKey(PREFIX, CONFIG_MANIFEST_OBJECT), manifest],
    ]);
    await aws([{ op: 'put-parameter', name: configManifestParameterName(config.name), value: sha256Hex(manifest), type: 'String' }]);
  };
  const putHostFile = (path: string, content: string) => publish([{ path, content }]);

  const ruleGroups = async () => (await network.json<{ data: { groups: RuleGroup[] } }>(`${PROMETHEUS}/api/v1/rules`))?.data.groups ?? [];
  const renderedRuleFiles = files
    .filter((f) => f.path.startsWith(`${PATHS.prometheusRulesDir}/`))
    .map((f) => f.path)
    .sort();
  /** `node_filesystem_readonly` of `/` as Node Exporter reports it now (0 when it sees the host's mounts, 1 when only its own sandbox's). */
  const nodeExporterRootReadonly = async () =>
    /^node_filesystem_readonly\{[^}]*mountpoint="\/"[^}]*\} (\S+)$/m.exec((await network.http(`${NODE_EXPORTER}/metrics`)) ?? '')?.[1];
  const probed = (unit: string): ProbedUnit => ({ unit, rendered: files.find((f) => f.path === `${PATHS.systemdDir}/${unit}.service`)!.content });
  const pushedRules = `${PATHS.prometheusRulesDir}/hostbox.yml`;
  const goodRules = 'groups:\n  - name: hostbox\n    rules:\n      - record: hostbox:up:count\n        expr: count(up)\n';
  let pushedAt = 0;

  const query = async (expr: string) =>
    (
      await network.json<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>(
        `${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(expr)}`,
      )
    )?.data.result;

  beforeAll(async () => {
    // Nothing of an earlier run (a fake Slack log above all) may count for this one.
    rmSync(BOX_BASE, { recursive: true, force: true });
    mkdirSync(join(work, 'objects'), { recursive: true });
    tarball = execFileSync('bash', [join(REPO, 'scripts', 'hostbox-root.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    mark(`root image ready (${tarball})`);
    process.stdout.write(
      `host-in-a-box: schedule (host.configSync, alerting.alertOverrides): the sync runs ${BOX_SYNC_SCHEDULE.firstRunAfterSeconds} s after boot, then every ${BOX_SYNC_SCHEDULE.intervalSeconds} s; ` +
        `${Object.entries(BOX_ALERT_FOR)
          .map(([name, override]) => `${name} for: ${override.for}`)
          .join(', ')}. Production defaults differ: ${CONFIG_SYNC_SCHEDULE.bootDelaySeconds} s, then every ${CONFIG_SYNC_SCHEDULE.intervalSeconds} s; ` +
        `${Object.keys(BOX_ALERT_FOR)
          .map((name) => `${name} for: ${alertDefinition(name).for}`)
          .join(', ')}\n`,
    );
    network = await BoxNetwork.create();
    const moto = network.daemon(['python3', '-m', 'moto.server', '-H', '127.0.0.1', '-p', '4566']);
    await waitFor('moto server', async () => ((await network.http(`${ENDPOINT}/moto-api/`)) !== undefined ? true : undefined), 30000, 300).catch((e) => {
      throw new Error(`${e}\n${moto.output()}`);
    });
    process.stdout.write('host-in-a-box: S3 and SSM: moto server (real implementations of both APIs) on 127.0.0.1:4566 in the box network\n');
    for (const p of programs) process.stdout.write(`host-in-a-box: serves ${p.artifact}/${p.executable}: ${p.origin}\n`);
    mark('artifact archives ready');
    await aws([
      { op: 'create-bucket', bucket: CONFIG_BUCKET },
      { op: 'create-bucket', bucket: MIRROR_BUCKET },
    ]);
    await publish(files);
    await aws(hostSecrets(config).map((s) => ({ op: 'put-parameter', name: s.parameter, value: secretValues.get(s.name)! })));
    mark('config bucket and parameters seeded; the artifact mirror stays empty until the first installer has failed (check 7)');
    network.daemon([TSX, join(__dirname, 'peers.ts'), 'imds', IMDS_ADDRESS, REGION]);
    process.stdout.write(`host-in-a-box: STAND-IN for EC2's instance metadata service (region, instance-role credentials) on ${IMDS_ADDRESS}:80\n`);
    app = startApp();
    network.daemon([TSX, join(__dirname, 'peers.ts'), 'slack', String(SLACK_PORT), slackLog]);
    volume = await DataVolume.create(join(BOX_BASE, 'data-volume.img'));
    const userData = renderBootstrapUserData({
      bucket: CONFIG_BUCKET,
      prefix: PREFIX,
      region: REGION,
      dataVolumeId: VOLUME_ID,
      manifestParameter: configManifestParameterName(config.name),
      awsEndpoints: config.host.awsEndpoints,
    });
    host = new HostInstance('instance-1', tarball, volume, network, { userData, dataVolumeId: VOLUME_ID });
    instances.push(host);
    await host.create();
    installProbe(host.root);
    // Check 7's first boot: the mirror is down (empty) until its installer has failed, then seeded while the
    // bootstrap waits to retry.
    host.start();
    await waitFor(
      'the first installer to fail on the empty mirror',
      async () => ((await installLog(host)).includes(INSTALLER_FAILED) ? true : undefined),
      300000,
      1000,
    );
    mark('first boot: the installer failed with the mirror down');
    await putObjects(
      MIRROR_BUCKET,
      [...mirror].map(([path, bytes]) => [`lgtm-artifacts/${path}`, bytes]),
    );
    mark('artifact mirror seeded');
    await host.waitBooted(600000);
    const cloudInit = async (property: string) => Number(await host.sh(`systemctl show -P ${property} lgtm-hostbox-cloud-init.service`));
    const [installStart, installEnd] = [await cloudInit('InactiveExitTimestampMonotonic'), await cloudInit('ExecMainExitTimestampMonotonic')];
    mark(`first boot finished (the user-data, its failed installer attempt and the retry took ${((installEnd - installStart) / 1e6).toFixed(1)} s of it)`);
    // The operator's rule change, pushed once the installer is done: only the sync timer can apply it (check 4).
    await putHostFile(pushedRules, goodRules);
    pushedAt = Date.now();
  }, 600000);

  afterAll(async () => {
    process.stdout.write(`host-in-a-box timeline:\n${timeline.map(([w, t]) => `  ${(t / 1000).toFixed(1).padStart(6)} s  ${w}`).join('\n')}\n`);
    for (const instance of instances) await instance.destroy();
    await volume?.close();
    await network?.close();
    rmSync(BOX_BASE, { recursive: true, force: true });
  }, 120000);

  test('1. every service is active under its rendered unit, with its sandbox in force', async () => {
    const specs = serviceSpecs(config);
    await waitAllActive(host);
    for (const spec of specs) {
      const pid = Number((await host.sh(`systemctl show -P MainPID ${spec.unit}.service`)).trim());
      const status = await host.sh(`cat /proc/${pid}/status`);
      expect({ unit: spec.unit, seccomp: /^Seccomp:\s+(\d)/m.exec(status)?.[1], noNewPrivs: /^NoNewPrivs:\s+(\d)/m.exec(status)?.[1] }).toEqual({
        unit: spec.unit,
        seccomp: '2',
        noNewPrivs: '1',
      });
      const bounding = BigInt(`0x${/^CapBnd:\s+([0-9a-f]+)/m.exec(status)![1]}`);
      // Only Blackbox keeps one capability (CAP_NET_RAW, bit 13) for ICMP.
      expect({ unit: spec.unit, bounding }).toEqual({ unit: spec.unit, bounding: spec.unit === 'blackbox_exporter' ? 1n << 13n : 0n });
    }
    // A forbidden syscall (ptrace), write (into a directory the user owns, made read-only) and address family
    // (AF_NETLINK where not allowed) fail under each unit's own sandbox and succeed without it.
    expect(
      await sandboxHoles(
        host,
        specs.map((spec) => probed(spec.unit)),
      ),
    ).toEqual([]);
    mark('every service active, its sandbox in force');
  });

  test('1b. planted sandbox regressions (Prometheus without its syscall filter, with AF_NETLINK allowed, without a read-only file system) turn check 1 red, and their removal green again', async () => {
    const remove = await plantDropIn(host, 'prometheus', ['SystemCallFilter=', 'RestrictAddressFamilies=AF_NETLINK', 'ProtectSystem=no']);
    try {
      expect(await sandboxHoles(host, [probed('prometheus')])).toEqual([
        'prometheus: ptrace succeeds under its sandbox',
        'prometheus: write succeeds under its sandbox',
        'prometheus: AF_NETLINK succeeds under its sandbox',
      ]);
    } finally {
      await remove();
    }
    expect(await sandboxHoles(host, [probed('prometheus')])).toEqual([]);
  });

  test('7. the first boot, whose installer failed while the mirror was down, retried and converged once it was back', async () => {
    const install = await installLog(host);
    expect(install).toContain(INSTALLER_FAILED);
    expect(install).toContain('formatting');
    expect((await host.sh('systemctl show -P Result lgtm-hostbox-cloud-init.service')).trim()).toBe('success');
    // every service active under its unit: check 1, on this same boot
  });

  test('2. Prometheus scrapes every target (all up), Blackbox probes the test app, the DORA exporter answers, rules are loaded', async () => {
    const targets = await waitFor(
      'every scrape target up',
      async () => {
        const active = (await network.json<{ data: { activeTargets: Target[] } }>(`${PROMETHEUS}/api/v1/targets?state=active`))?.data.activeTargets;
        return active && active.length > 0 && active.every((t) => t.health === 'up') ? active : undefined;
      },
      120000,
      2000,
    ).catch(async (error) => {
      const active = (await network.json<{ data: { activeTargets: Target[] } }>(`${PROMETHEUS}/api/v1/targets?state=active`))?.data.activeTargets ?? [];
      throw new Error(
        `${error}\n${active
          .filter((t) => t.health !== 'up')
          .map((t) => `${t.scrapePool} ${t.labels.instance}: ${t.health} ${t.lastError}`)
          .join('\n')}`,
      );
    });
    mark(`first scrape: ${targets.length} targets up`);
    const pools = new Set(targets.map((t) => t.scrapePool));
    for (const pool of ['node', 'blackbox-http', 'app', 'dora-exporter', 'alertmanager', 'prometheus']) expect(pools).toContain(pool);
    expect(await query('probe_success{job="blackbox-http"}')).toEqual(expect.arrayContaining([expect.objectContaining({ value: [expect.any(Number), '1'] })]));
    expect((await network.http('http://127.0.0.1:9491/metrics')) ?? '').toMatch(/^# (HELP|TYPE) /m);
    const readonlyRoot = await query('node_filesystem_readonly{mountpoint="/"}');
    expect(readonlyRoot?.map((r) => r.value[1])).toEqual(['0']);
    expect(await nodeExporterRootReadonly()).toBe('0');
    const groups = await ruleGroups();
    // The rule file pushed after the install (check 4) may be live already: the sync timer runs every few seconds here.
    expect([...new Set(groups.map((g) => g.file))].filter((file) => file !== pushedRules).sort()).toEqual(renderedRuleFiles);
    expect(groups.flatMap((g) => g.rules).filter((r) => r.health === 'err')).toEqual([]);
    // Node Exporter's systemd collector sees every platform unit active, and the host alerts on it select nothing
    // (their expressions as Prometheus loaded them).
    const active = new Set((await query('node_systemd_unit_state{state="active"} == 1'))?.map((r) => r.metric.name));
    for (const spec of serviceSpecs(config))
      expect({ unit: `${spec.unit}.service`, active: active.has(`${spec.unit}.service`) }).toEqual({ unit: `${spec.unit}.service`, active: true });
    const unitAlerts = groups.flatMap((g) => g.rules).filter((r) => r.type === 'alerting' && /node_systemd_/.test(r.query));
    expect(unitAlerts.map((r) => r.name).sort()).toEqual(expect.arrayContaining(['HostUnitCrashLooping', 'HostUnitFailed']));
    for (const rule of unitAlerts) expect({ alert: rule.name, selects: await query(rule.query) }).toEqual({ alert: rule.name, selects: [] });
  });

  test("2b. a planted regression in Node Exporter's sandbox (ProtectProc=invisible back on) turns check 2 red, and its removal green again", async () => {
    const restartNodeExporter = () => host.sh('systemctl restart node_exporter.service');
    const remove = await plantDropIn(host, 'node_exporter', ['ProtectProc=invisible']);
    try {
      await restartNodeExporter();
      await waitFor(
        "Node Exporter to see / read-only (its own sandbox's mounts)",
        async () => ((await nodeExporterRootReadonly()) === '1' ? true : undefined),
        30000,
        1000,
      );
    } finally {
      await remove();
      await restartNodeExporter();
    }
    await waitFor("Node Exporter to see the host's / writable again", async () => ((await nodeExporterRootReadonly()) === '0' ? true : undefined), 30000, 1000);
  });

  test('3a. the test app fails: its probe and scrape fail', async () => {
    await app.stop();
    await waitFor('the app probe to fail', async () => ((await query('probe_success{job="blackbox-http"} == 0'))?.length ? true : undefined), 60000, 1000);
    mark('test app stopped; its probe fails');
    // The app comes back as soon as Prometheus fires ProbeFailing, while check 4 runs: the firing notification is
    // already on its way (Alertmanager's group wait), and the resolution takes as long as the outage lasted.
    appBack = waitFor(
      'ProbeFailing to fire in Prometheus',
      async () => ((await alerts()).some((a) => a.labels.alertname === 'ProbeFailing' && a.state === 'firing') ? true : undefined),
      420000,
      1000,
    ).then(() => {
      app = startApp();
      mark('ProbeFailing firing in Prometheus; test app started again');
    });
    // Handled here so that a timeout fails check 3b, which awaits it, rather than whatever test runs at the time.
    appBack.catch(() => undefined);
  });

  test('5. secrets come from SSM into systemd credentials, and appear in no unit file, environment or argument', async () => {
    for (const secret of hostSecrets(config)) {
      const pid = (await host.sh(`systemctl show -P MainPID ${secret.unit}.service`)).trim();
      const seen = await host.exec(['nsenter', '-t', pid, '-m', '--', 'cat', `/run/credentials/${secret.unit}.service/${secret.name}`]);
      expect({ secret: secret.name, value: seen.stdout }).toEqual({ secret: secret.name, value: secretValues.get(secret.name) });
    }
    // grep reads the values from a file, so that they are not in its own command line.
    await host.sh(`umask 077; cat > /run/lgtm-hostbox-patterns <<'EOF'\n${[...secretValues.values()].join('\n')}\nEOF`);
    const leaks = await host.exec([
      '/bin/sh',
      '-c',
      'grep -lFf /run/lgtm-hostbox-patterns /etc/systemd/system/*.service /etc/systemd/system/*.timer /etc/lgtm/* /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null; rm -f /run/lgtm-hostbox-patterns',
    ]);
    expect(leaks.stdout.trim()).toBe('');
  });

  test('4a. a rule file changed in the bucket is validated, applied and hot-reloaded by the timer; a broken one is refused and the last good one keeps running', async () => {
    // The replacement instance's root (check 6b) is laid down while this host's timers run.
    replacementRoot = prepareReplacement();
    // The timer's first run comes host.configSync.firstRunAfterSeconds after boot, then one each interval (plus its
    // randomized delay of up to 10 s).
    await waitFor(
      'the pushed rule group to be loaded',
      async () => ((await ruleGroups()).some((g) => g.file === pushedRules) ? true : undefined),
      240000,
      1000,
    );
    mark(`sync applied a pushed rule file (${((Date.now() - pushedAt) / 1000).toFixed(0)} s after the push)`);
    expect(await host.sh('journalctl -u lgtm-sync.service -o cat --no-pager')).toContain(`updated ${pushedRules}`);
    await waitFor('the pushed recording rule to be evaluated', async () => ((await query('hostbox:up:count'))?.length ? true : undefined), 90000, 1000);
    await putHostFile(pushedRules, goodRules.replace('count(up)', 'count(up'));
    await waitFor(
      'the refusal to be reported',
      async () => ((await query('lgtm_config_sync_refused{group="prometheus"} == 1'))?.length ? true : undefined),
      240000,
      1000,
    );
    mark('sync refused a broken rule file');
    expect(await host.sh(`cat ${pushedRules}`)).toBe(goodRules);
    expect((await ruleGroups()).some((g) => g.file === pushedRules)).toBe(true);
    expect(await query('hostbox:up:count')).not.toEqual([]);
  });

  test('3b. the alert raised by the app failure reaches Slack through Alertmanager with the rendered template, and resolves', async () => {
    await appBack;
    const firing = await waitFor(
      'a ProbeFailing message at the fake Slack',
      () => slackMessages().find((m) => m.body.includes('ProbeFailing') && !/RESOLVED/i.test(m.body)),
      420000,
      1000,
    );
    mark('first alert reached Slack');
    const message = JSON.parse(firing.body) as { channel?: string; attachments?: { title?: string; text?: string }[]; text?: string };
    expect(message.channel).toBe(config.alerting.slack.channels.critical);
    expect(JSON.stringify(message)).toContain('runbooks/ProbeFailing.md');
    await waitFor(
      'the resolved message at the fake Slack',
      () => slackMessages().find((m) => m.at > firing.at && m.body.includes('ProbeFailing') && /RESOLVED/i.test(m.body)),
      480000,
      1000,
    );
    mark('alert resolved at Slack');
  });

  test('4b. ConfigSyncRefused fires once its `for:` has passed', async () => {
    const state = async () => (await alerts()).find((a) => a.labels.alertname === 'ConfigSyncRefused' && a.labels.group === 'prometheus')?.state;
    await waitFor('ConfigSyncRefused to fire', async () => ((await state()) === 'firing' ? true : undefined), 480000, 1000).catch(async (error) => {
      throw new Error(`${error} (it is ${(await state()) ?? 'absent'})`);
    });
    mark('ConfigSyncRefused firing');
    // The broken file stays in the bucket: the replacement host below first boots with it (check 6b).
  });

  test('6a. a reboot keeps every service active and its data', async () => {
    const before = Number((await query('count_over_time(up{job="prometheus"}[1h])'))?.[0]?.value[1] ?? 0);
    expect(before).toBeGreaterThan(0);
    const dataFiles = await host.sh('cd /var/lib/lgtm && find . -maxdepth 2 | sort');
    await host.reboot();
    mark('rebooted');
    await waitAllActive(host);
    const after = await host.sh('cd /var/lib/lgtm && find . -maxdepth 2 | sort');
    for (const line of dataFiles.split('\n').filter((l) => l && !/\/(lock|queries\.active)$/.test(l))) expect(after.split('\n')).toContain(line);
    await waitFor('Prometheus to answer after the reboot', async () => ((await query('up'))?.length ? true : undefined), 60000, 2000);
    const kept = Number((await query('count_over_time(up{job="prometheus"}[1h])'))?.[0]?.value[1] ?? 0);
    expect(kept).toBeGreaterThanOrEqual(before);
  });

  test('6b. a replacement host with the same volume keeps the data without reformatting; the refused rule file in the bucket is withheld', async () => {
    const samples = Number((await query('count_over_time(up{job="prometheus"}[1h])'))?.[0]?.value[1] ?? 0);
    const doraState = await host.sh('cat /var/lib/lgtm/dora-exporter/state.json');
    const uuid = (await host.sh('findmnt -n -o UUID /var/lib/lgtm')).trim();
    await host.terminate();
    mark('instance-1 terminated');
    const replacement = await (replacementRoot ?? prepareReplacement());
    host = replacement;
    replacement.start();
    await replacement.waitBooted(600000);
    mark('replacement host booted and installed');
    const install = await installLog(replacement);
    expect(install).not.toContain('formatting');
    expect((await replacement.sh('findmnt -n -o UUID /var/lib/lgtm')).trim()).toBe(uuid);
    await waitAllActive(replacement);
    await waitFor('Prometheus on the replacement host', async () => ((await query('up'))?.length ? true : undefined), 90000, 2000).catch(async (error) => {
      throw new Error(`${error}\n${(await replacement.exec(['journalctl', '-u', 'prometheus.service', '--no-pager', '-o', 'cat', '-n', '30'])).stdout}`);
    });
    expect(Number((await query('count_over_time(up{job="prometheus"}[2h])'))?.[0]?.value[1] ?? 0)).toBeGreaterThanOrEqual(samples);
    expect(await replacement.sh('cat /var/lib/lgtm/dora-exporter/state.json')).toBe(doraState);
    // Nothing of Prometheus's config was live on the new root: it runs the rendered rule files without the refused
    // one, and the refusal is reported from the start.
    expect(install).toContain('none of its files is live yet (a first boot)');
    expect([...new Set((await ruleGroups()).map((g) => g.file))].sort()).toEqual(renderedRuleFiles);
    await waitFor(
      'the replacement host to report the refusal',
      async () => ((await query('lgtm_config_sync_refused{group="prometheus"} == 1'))?.length ? true : undefined),
      60000,
      2000,
    );
  });
});
