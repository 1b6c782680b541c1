import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { renderSyncScript } from '../../lib/host/config-sync';
import { renderInstallScript } from '../../lib/host/install-script';
import { PATHS } from '../../lib/host/paths';
import { PROMETHEUS_RULES_DIR } from '../../lib/prometheus/rule-files';
import { run } from '../alerting/support';
import { TestHost } from '../host/helpers/host-fixture';

/**
 * Game day, monitoring self-failure: a bad config push. The host (install and lgtm-sync run for real under a
 * temporary root, fake bucket and fake systemctl, real promtool) receives the platform's real SLO rule file
 * with one expression broken. Sync must refuse it, keep the last good file in place (valid, so Prometheus
 * keeps running it), not reload, and raise its refusal marker for the node exporter; the next good push heals.
 */
describe('game day: a rule file broken by a bad config push', () => {
  const host = new TestHost();
  const sloRules = `${PROMETHEUS_RULES_DIR}/slo.yml`;
  const good = host.files.find((f) => f.path === sloRules)!.content;
  const sync = () => host.runScript(PATHS.syncScript, renderSyncScript(host.config));
  const reloads = () => host.server.requests.filter((r) => r.method === 'POST').map((r) => r.url);

  beforeAll(async () => {
    await host.start();
    expect((await host.runScript(PATHS.installScript, renderInstallScript(host.config))).code).toBe(0);
  }, 60000);
  afterAll(() => host.close());

  it('GIVEN the SLO rules with an unbalanced expression in the bucket THEN sync refuses them and the last good rules stay live', async () => {
    expect(host.file(sloRules)).toBe(good);
    const broken = good.replace(/(expr: .*?)\)(\s*\n)/, '$1$2');
    expect(broken).not.toBe(good);
    host.server.requests.length = 0;
    host.putObject(sloRules, broken);

    const refused = await sync();
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('REFUSED the new configuration of prometheus; the last good files stay in place');
    expect(host.file(sloRules)).toBe(good);
    expect(reloads()).toEqual([]);
    expect(host.file(`${PATHS.textfileDir}/lgtm_sync.prom`)).toContain('lgtm_config_sync_refused{group="prometheus"} 1');
    // what Prometheus keeps running is still valid: promtool accepts the live file
    const live = join(host.base, 'live-slo.yml');
    writeFileSync(live, host.file(sloRules));
    expect(run('promtool', ['check', 'rules', live]).status).toBe(0);

    // the fix is pushed: sync takes it (nothing changed compared to the live file, so no reload) and clears the marker
    host.putObject(sloRules, good);
    const healed = await sync();
    expect(healed.code).toBe(0);
    expect(host.file(`${PATHS.textfileDir}/lgtm_sync.prom`)).not.toContain('lgtm_config_sync_refused{');
  });
});
