import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentServiceSpecs, renderAgentUnit } from '../../lib/agent/agent-units';
import { agentTargets } from '../../lib/agent/targets';
import type { PlatformConfig } from '../../lib/config/schema';
import { renderSystemdUnits } from '../../lib/host/systemd-units';
import { renderIngestCollectorConfig } from '../../lib/telemetry/ingest-collector';
import { UPSTREAM_HOST_PLACEHOLDER, ingestNodeUnitFiles, renderIngestUserData } from '../../lib/scale/ingest-user-data';
import { agentConfig } from '../agent/fixtures';
import { platformConfig } from '../helpers/platform-fixtures';
import { distributedConfig, remoteWriteConfig } from '../scale/fixtures';
import { testConfig } from './helpers/host-fixture';

/** The most exposure systemd-analyze may rate any unit the platform renders (its scale: 0 safe … 10 unsafe). */
const MAX_EXPOSURE = 4.0;

/** Every rendered service unit of a config: the host's (services and machinery) and the app-server agents'. */
function renderedServiceUnits(config: PlatformConfig): { name: string; content: string }[] {
  const host = renderSystemdUnits(config)
    .filter((unit) => unit.path.endsWith('.service'))
    .map((unit) => ({ name: unit.path.split('/').pop()!, content: unit.content }));
  const agents = agentTargets(config).flatMap((target) =>
    agentServiceSpecs(target).map((spec) => ({
      name: `agent-${target.id.replace(/[^A-Za-z0-9]+/g, '-')}-${spec.unit}.service`,
      content: renderAgentUnit(spec),
    })),
  );
  return [...host, ...agents, ...ingestNodeUnits(config)];
}

/** The units an ingest node writes at boot (`scale: distributed` with ingest), as its rendered user-data holds them. */
function ingestNodeUnits(config: PlatformConfig): { name: string; content: string }[] {
  const ingest = config.distributed?.ingest;
  if (config.scale !== 'distributed' || !ingest) return [];
  const userData = renderIngestUserData(config, ingest.instanceType, renderIngestCollectorConfig(config, { hostAddress: UPSTREAM_HOST_PLACEHOLDER }));
  return ingestNodeUnitFiles(config, ingest.instanceType)
    .filter((unit) => unit.path.endsWith('.service'))
    .map((unit) => {
      if (!userData.includes(unit.content.trimEnd())) throw new Error(`the ingest user-data does not write ${unit.path}`);
      return { name: `ingest-node-${unit.path.split('/').pop()}`, content: unit.content };
    });
}

/** `systemd-analyze security --offline=true` on unit files: each unit's overall exposure, by file name. */
function exposures(units: { name: string; content: string }[]): Map<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'lgtm-unit-security-'));
  try {
    const out = new Map<string, number>();
    for (const unit of units) {
      const path = join(dir, unit.name);
      writeFileSync(path, unit.content);
      const result = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', path], { encoding: 'utf8', timeout: 30000 });
      const match = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(`${result.stdout}\n${result.stderr}`);
      if (!match) throw new Error(`systemd-analyze security gave no rating for ${unit.name} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
      out.set(unit.name, Number(match[1]));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('systemd-analyze security rates every rendered unit, root ones included', () => {
  test.each([
    ['the default config', () => testConfig()],
    [
      'Grafana over HTTPS, no DORA exporter',
      () =>
        platformConfig((raw) => {
          raw.host.grafanaTls = { certificateParameter: '/anvila/grafana-cert', privateKeyParameter: '/anvila/grafana-key', domain: 'grafana.example.com' };
          delete raw.dora;
        }),
    ],
    ['scale: distributed (AMP, ingest nodes)', () => distributedConfig()],
    ['scale: distributed with a remote-write store', () => remoteWriteConfig()],
    ['app-server agents', () => agentConfig()],
  ])('GIVEN %s THEN no unit is rated above 4.0', (what, config) => {
    const rated = exposures(renderedServiceUnits(config()));
    expect(rated.size).toBeGreaterThan(0);
    process.stdout.write(
      `systemd-analyze security --offline=true, ${what}:\n${[...rated].map(([name, level]) => `  ${level.toFixed(1)}  ${name}`).join('\n')}\n`,
    );
    const tooExposed = [...rated].filter(([, level]) => level > MAX_EXPOSURE).map(([name, level]) => `${name}: ${level}`);
    expect(tooExposed).toEqual([]);
  });

  test('the rating can fail: an unsandboxed root unit is rated above 4.0', () => {
    const bare = '[Unit]\nDescription=bare\n[Service]\nType=oneshot\nExecStart=/bin/true\n';
    expect(exposures([{ name: 'bare.service', content: bare }]).get('bare.service')).toBeGreaterThan(MAX_EXPOSURE);
  });

  test('the machinery units are among those rated, and with ingest nodes their collector unit', () => {
    const names = renderedServiceUnits(testConfig()).map((u) => u.name);
    expect(names).toEqual(expect.arrayContaining(['lgtm-sync.service', 'lgtm-secrets.service', 'prometheus.service']));
    expect(renderedServiceUnits(distributedConfig()).map((u) => u.name)).toEqual(
      expect.arrayContaining(['ingest-node-otelcol.service', 'ingest-node-lgtm-ingest-tls.service', 'lgtm-otlp-tls-renew.service']),
    );
  });
});
