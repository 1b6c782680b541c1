import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { ARTIFACTS } from '../../lib/host/artifacts';
import { renderSyncScript } from '../../lib/host/config-sync';
import { renderGrafanaIni } from '../../lib/host/grafana-ini';
import { renderSystemdUnits, serviceSpecs } from '../../lib/host/systemd-units';
import { renderLokiConfig } from '../../lib/telemetry/loki';
import { TEMPO_RING_ADDRESS_KEYS, renderTempoConfig } from '../../lib/telemetry/tempo';
import {
  ANY,
  GRAFANA_ALLOWLIST,
  LOKI_ALLOWLIST,
  TEMPO_ALLOWLIST,
  flagsNotInAllowlist,
  grafanaEnvironmentNotInAllowlist,
  grafanaFlagsNotInAllowlist,
  grafanaIniKeysNotInAllowlist,
  keysNotInAllowlist,
  type KeyTree,
} from './allowlists';
import { CONTEXT, SINGLE_CONTEXT, remoteWriteConfig, switchedConfig } from './fixtures';

const ROOT = join(__dirname, '../..');
const load = (text: string) => yaml.load(text) as any;

/** Every platform description the project ships or tests with, so every mode Loki and Tempo are rendered in. */
function everyMode(): Array<[string, PlatformConfig]> {
  const files = [
    'config/platform.yaml',
    ...readdirSync(join(ROOT, 'examples'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `examples/${f}`),
  ];
  return [
    ...files.map((file): [string, PlatformConfig] => [file, loadPlatformConfig(join(ROOT, file))]),
    ['fixtures/distributed-remote-write.yaml', remoteWriteConfig()],
    ['the default switched to scale: distributed', switchedConfig()],
  ];
}
const contextOf = (config: PlatformConfig) => (config.scale === 'distributed' ? CONTEXT : SINGLE_CONTEXT);

function leafAt(tree: KeyTree, path: string): KeyTree | true | typeof ANY | undefined {
  return path.split('.').reduce<KeyTree | true | typeof ANY | undefined>((node, key) => (node && typeof node === 'object' ? node[key] : undefined), tree);
}

describe('GIVEN the Loki and Tempo allowlists read from their source', () => {
  it.each([
    ['loki', LOKI_ALLOWLIST],
    ['tempo', TEMPO_ALLOWLIST],
  ] as const)('THEN the %s one was read at the tag the artifact table pins', (name, allowlist) => {
    expect(allowlist.program).toBe(name);
    expect(allowlist.tag).toBe(`v${ARTIFACTS.find((a) => a.name === name)!.version}`);
    expect(allowlist.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(allowlist.sourceDirs.length).toBeGreaterThan(10);
  });

  it('THEN they hold the structs, not just our keys (a sample of keys we never render is there)', () => {
    expect(leafAt(LOKI_ALLOWLIST.keys, 'querier.max_concurrent')).toBe(true);
    expect(leafAt(LOKI_ALLOWLIST.keys, 'ruler.alertmanager_url')).toBe(true);
    expect(leafAt(TEMPO_ALLOWLIST.keys, 'query_frontend.search.concurrent_jobs')).toBe(true);
  });

  it("THEN every ring address the sync's Tempo checker requires is a key Tempo reads", () => {
    for (const key of TEMPO_RING_ADDRESS_KEYS) expect([key, leafAt(TEMPO_ALLOWLIST.keys, key)]).toEqual([key, true]);
  });

  describe.each(everyMode())('WHEN Loki and Tempo are rendered from %s', (_name, config) => {
    it('THEN every Loki key is one the pinned Loki reads, at its nesting', () => {
      expect(keysNotInAllowlist(load(renderLokiConfig(config, contextOf(config))), LOKI_ALLOWLIST.keys)).toEqual([]);
    });
    it('THEN every Tempo key is one the pinned Tempo reads, at its nesting', () => {
      expect(keysNotInAllowlist(load(renderTempoConfig(config, contextOf(config))), TEMPO_ALLOWLIST.keys)).toEqual([]);
    });
  });

  describe.each([
    ['loki', LOKI_ALLOWLIST, 'LOKI'],
    ['tempo', TEMPO_ALLOWLIST, 'TEMPO'],
  ] as const)('WHEN the host runs %s', (unit, allowlist, syncVariable) => {
    const config = everyMode()[0][1];

    it('THEN every flag its unit passes is one the pinned program registers', () => {
      const exec = serviceSpecs(config).find((s) => s.unit === unit)!.exec;
      expect(exec.slice(1).length).toBeGreaterThan(0);
      expect(flagsNotInAllowlist(exec.slice(1), allowlist)).toEqual([]);
    });

    it("THEN every flag the sync's checker passes is one too", () => {
      const calls = [...renderSyncScript(config).matchAll(new RegExp(`"\\$${syncVariable}" ([^|\\n]*)`, 'g'))].map((m) =>
        m[1]
          .trim()
          .split(/\s+/)
          .map((a) => a.replace(/^"|"$/g, '')),
      );
      expect(calls.length).toBeGreaterThan(0);
      for (const args of calls) expect(flagsNotInAllowlist(args, allowlist)).toEqual([]);
    });
  });

  it("WHEN a flag of the other program is passed THEN it is named (Loki's checker is -verify-config, Tempo's -config.verify)", () => {
    expect(flagsNotInAllowlist(['-config.file=/etc/loki/loki.yml', '-config.verify'], LOKI_ALLOWLIST)).toEqual(['-config.verify']);
    expect(flagsNotInAllowlist(['--verify-config', 'positional'], TEMPO_ALLOWLIST)).toEqual(['--verify-config']);
  });

  describe('WHEN a rendered file carries a key the pinned program does not read', () => {
    const [, config] = everyMode().find(([, c]) => c.scale === 'distributed')!;

    it('THEN a misspelt key, one removed before the pin, and a scalar given a map are each named by path', () => {
      const loki = load(renderLokiConfig(config, CONTEXT));
      loki.common.storage.s3.bucket_names = 'x';
      loki.storage_config.tsdb_shipper.shared_store = 's3'; // Loki 2.x; gone in 3.0
      loki.auth_enabled = { enabled: false };
      expect(keysNotInAllowlist(loki, LOKI_ALLOWLIST.keys).sort()).toEqual([
        'auth_enabled (expected a scalar)',
        'common.storage.s3.bucket_names',
        'storage_config.tsdb_shipper.shared_store',
      ]);
    });

    it('THEN a real key at the wrong nesting is named too', () => {
      const tempo = load(renderTempoConfig(config, CONTEXT));
      tempo.ingester.instance_addr = '127.0.0.1'; // the ingester reads it under lifecycler.address
      tempo.storage.trace.s3.bucket_name = 'x';
      expect(keysNotInAllowlist(tempo, TEMPO_ALLOWLIST.keys).sort()).toEqual(['ingester.instance_addr', 'storage.trace.s3.bucket_name']);
    });
  });
});

/** The same modes, plus Grafana serving its own certificate (host.grafanaTls: the [server] TLS keys). */
function everyGrafanaMode(): Array<[string, PlatformConfig]> {
  const [file, base] = everyMode()[0];
  const tls = { certificateParameter: '/lgtm/grafana/certificate', privateKeyParameter: '/lgtm/grafana/private-key', domain: 'grafana.example.com' };
  return [...everyMode(), [`${file} with host.grafanaTls`, { ...base, host: { ...base.host, grafanaTls: tls } }]];
}

function grafanaUnit(config: PlatformConfig): string {
  return renderSystemdUnits(config).find((file) => file.path.endsWith('/grafana-server.service'))!.content;
}

/** The arguments of one unit line (`Key=...`), `-` prefix and sh -c wrapping left as they are. */
const unitLines = (unit: string, key: string) => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]);

describe('GIVEN the Grafana allowlist read from its conf/defaults.ini', () => {
  it('THEN it records the pin it was read for, where the copy came from and how that copy relates to the tag', () => {
    expect(GRAFANA_ALLOWLIST.program).toBe('grafana');
    expect(GRAFANA_ALLOWLIST.pinnedTag).toBe(`v${ARTIFACTS.find((a) => a.name === 'grafana')!.version}`);
    expect(GRAFANA_ALLOWLIST.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(GRAFANA_ALLOWLIST.path).toBe('conf/defaults.ini');
    expect(GRAFANA_ALLOWLIST.provenance).toContain(GRAFANA_ALLOWLIST.pinnedTag);
  });

  it("THEN it holds Grafana's sections, not just ours (a sample we never render is there; free-form sections take any key)", () => {
    expect(Object.keys(GRAFANA_ALLOWLIST.keys).length).toBeGreaterThan(100);
    expect(GRAFANA_ALLOWLIST.keys.smtp).toMatchObject({ host: true, from_address: true });
    expect(GRAFANA_ALLOWLIST.keys['unified_alerting.screenshots']).toMatchObject({ capture: true });
    expect(GRAFANA_ALLOWLIST.keys['server.custom_response_headers']).toBe(ANY);
    expect(GRAFANA_ALLOWLIST.keys.feature_toggles).toBe(ANY);
  });

  describe.each(everyGrafanaMode())('WHEN grafana.ini is rendered from %s', (_name, config) => {
    const ini = renderGrafanaIni(config, contextOf(config));

    it('THEN every [section] and key is one Grafana reads', () => {
      expect(ini).toMatch(/^\[server\]$/m);
      expect(grafanaIniKeysNotInAllowlist(ini)).toEqual([]);
    });
  });

  it('THEN the TLS and SigV4 keys, rendered only in some modes, were among those checked', () => {
    const rendered = everyGrafanaMode().map(([, config]) => renderGrafanaIni(config, contextOf(config)));
    for (const line of [/^cert_key = /m, /^min_tls_version = TLS1\.2$/m, /^\[auth\]\nsigv4_auth_enabled = true$/m])
      expect([String(line), rendered.some((ini) => line.test(ini))]).toEqual([String(line), true]);
  });

  describe('WHEN grafana.ini carries a key Grafana does not read', () => {
    const ini = renderGrafanaIni(everyMode()[0][1], SINGLE_CONTEXT);

    it('THEN a misspelt key, a real key in the wrong section and an unknown section are each named', () => {
      const planted = ini
        .replace('http_port = ', 'http_portt = ')
        .replace('[users]\n', '[users]\nsigv4_auth_enabled = true\n')
        .replace('[public_dashboards]', '[public_dashboard]');
      expect(grafanaIniKeysNotInAllowlist(planted).sort()).toEqual(['[public_dashboard] enabled', '[server] http_portt', '[users] sigv4_auth_enabled']);
    });

    it('THEN a key above the first section is checked against the default section', () => {
      expect(grafanaIniKeysNotInAllowlist(`instance_name = lgtm\n${ini}`)).toEqual([]);
      expect(grafanaIniKeysNotInAllowlist(`instance = lgtm\n${ini}`)).toEqual(['[DEFAULT] instance']);
    });
  });

  describe.each(everyGrafanaMode())("WHEN Grafana's unit is rendered from %s", (_name, config) => {
    const unit = grafanaUnit(config);

    it('THEN every GF_ variable it sets overrides a key Grafana reads', () => {
      const names = unitLines(unit, 'Environment').flatMap((line) => line.split(/\s+/).map((pair) => pair.replace(/^"/, '').split('=')[0]));
      expect(grafanaEnvironmentNotInAllowlist(names)).toEqual([]);
    });

    it('THEN every flag `grafana server` is started with is one the server command registers', () => {
      const [execStart] = unitLines(unit, 'ExecStart');
      const [, subcommand, ...flags] = execStart.split(/\s+/);
      expect(subcommand).toBe('server');
      expect(flags.length).toBeGreaterThan(0);
      expect(grafanaFlagsNotInAllowlist('server', flags)).toEqual([]);
    });

    it('THEN the admin-password reset before the start passes only flags `grafana cli` and its command register', () => {
      const [reset] = unitLines(unit, 'ExecStartPre').filter((line) => line.includes('reset-admin-password'));
      const words = /exec "\$\$0" (.*?) </.exec(reset)![1].split(/\s+/);
      const [cli, ...rest] = words;
      const command = rest.indexOf('admin');
      expect([cli, rest[command + 1]]).toEqual(['cli', 'reset-admin-password']);
      expect(grafanaFlagsNotInAllowlist('cli', rest.slice(0, command))).toEqual([]);
      expect(grafanaFlagsNotInAllowlist('cli admin reset-admin-password', rest.slice(command + 2))).toEqual([]);
    });
  });

  it('WHEN a variable or flag Grafana does not read is given THEN it is named', () => {
    expect(
      grafanaEnvironmentNotInAllowlist([
        'GF_SECURITY_ADMIN_PASSWORD',
        'GF_AUTH_ANONYMOUS_ENABLED',
        'GF_SERVER_HTTP_PORTT',
        'GF_FEATURE_TOGGLES_SOMETHING',
        'NODE_ENV',
      ]),
    ).toEqual(['GF_SERVER_HTTP_PORTT']);
    expect(grafanaFlagsNotInAllowlist('server', ['--homepath=/opt/grafana', '--config.file=/etc/grafana/grafana.ini'])).toEqual([
      '--config.file=/etc/grafana/grafana.ini',
    ]);
    expect(grafanaFlagsNotInAllowlist('cli admin reset-admin-password', ['--password-from-stdin', '--password'])).toEqual(['--password']);
  });
});
