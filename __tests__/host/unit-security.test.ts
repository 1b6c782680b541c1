import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentServiceSpecs, renderAgentUnit } from '../../lib/agent/agent-units';
import { agentTargets } from '../../lib/agent/targets';
import type { PlatformConfig } from '../../lib/config/schema';
import { renderSystemdUnits } from '../../lib/host/systemd-units';
import { agentConfig } from '../agent/fixtures';
import { distributedConfig } from '../scale/fixtures';
import { testConfig } from './helpers/host-fixture';

/** The most exposure systemd-analyze may rate any unit the platform renders (its scale: 0 safe … 10 unsafe). */
const MAX_EXPOSURE = 4.0;

/** Every rendered service unit of a config: the host's (services and machinery) and the app-server agents'. */
function renderedServiceUnits(config: PlatformConfig): { name: string; content: string }[] {
  const host = renderSystemdUnits(config)
    .filter((unit) => unit.path.endsWith('.service'))
    .map((unit) => ({ name: unit.path.split('/').pop()!, content: unit.content }));
  const agents = agentTargets(config).flatMap((target) =>
    agentServiceSpecs(target).map((spec) => ({ name: `agent-${target.id.replace(/[^A-Za-z0-9]+/g, '-')}-${spec.unit}.service`, content: renderAgentUnit(spec) })),
  );
  return [...host, ...agents];
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
    ['scale: distributed', () => distributedConfig()],
    ['app-server agents', () => agentConfig()],
  ])('GIVEN %s THEN no unit is rated above 4.0', (_what, config) => {
    const rated = exposures(renderedServiceUnits(config()));
    expect(rated.size).toBeGreaterThan(0);
    const tooExposed = [...rated].filter(([, level]) => level > MAX_EXPOSURE).map(([name, level]) => `${name}: ${level}`);
    expect(tooExposed).toEqual([]);
  });

  test('the rating can fail: an unsandboxed root unit is rated above 4.0', () => {
    const bare = '[Unit]\nDescription=bare\n[Service]\nType=oneshot\nExecStart=/bin/true\n';
    expect(exposures([{ name: 'bare.service', content: bare }]).get('bare.service')).toBeGreaterThan(MAX_EXPOSURE);
  });

  test('the machinery units are among those rated', () => {
    const names = renderedServiceUnits(testConfig()).map((u) => u.name);
    expect(names).toEqual(expect.arrayContaining(['lgtm-sync.service', 'lgtm-secrets.service', 'prometheus.service']));
  });
});
