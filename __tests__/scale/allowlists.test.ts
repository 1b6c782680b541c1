import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { ARTIFACTS } from '../../lib/host/artifacts';
import { renderSyncScript } from '../../lib/host/config-sync';
import { serviceSpecs } from '../../lib/host/systemd-units';
import { renderLokiConfig } from '../../lib/telemetry/loki';
import { TEMPO_RING_ADDRESS_KEYS, renderTempoConfig } from '../../lib/telemetry/tempo';
import { ANY, LOKI_ALLOWLIST, TEMPO_ALLOWLIST, flagsNotInAllowlist, keysNotInAllowlist, type KeyTree } from './allowlists';
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
