import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { ALERT_NAMES } from '../../lib/alerting/packs';
import { loadPlatformConfig } from '../../lib/config/loader';
import { Testing } from '../../lib/framework';
import * as hostFiles from '../../lib/render-host-files';
import { compilePlatform } from '../../lib/model/compile';
import { ObservabilityPlatform } from '../../lib/platform';
import { renderRuleFiles } from '../../lib/prometheus/rule-files';
import * as burnRate from '../../lib/slo/burn-rate';
import { platformConfig } from '../helpers/platform-fixtures';

const ROOT = join(__dirname, '../..');
const CONFIGS = ['config/platform.yaml', 'examples/distributed.yaml', '__tests__/fixtures/two-services.yaml'] as const;
const CONTEXT = { grafanaUrl: 'http://203.0.113.10:3000' };

afterEach(() => jest.restoreAllMocks());

describe('GIVEN a platform description WHEN it is compiled', () => {
  it.each(CONFIGS)('THEN every SLO of %s has its id, its config path and its plan, in description order', (file) => {
    const config = loadPlatformConfig(join(ROOT, file));
    const model = compilePlatform(config, { configFile: file });
    expect(model.configFile).toBe(file);
    expect(model.slos).toHaveLength(config.services.reduce((n, s) => n + s.slos.length, 0));
    for (const slo of model.slos) {
      const [, s, o] = /^services\[(\d+)\]\.slos\[(\d+)\]$/.exec(slo.path)!;
      // the path leads back to the very objects the model holds
      expect(config.services[Number(s)].slos[Number(o)]).toBe(slo.slo);
      expect(config.services[Number(s)]).toBe(slo.service);
      expect(slo.id).toBe(`${slo.service.name}/${slo.slo.name}`);
      expect(slo.plan).toEqual(burnRate.planBurnRateTiers(slo.slo.objective, `${slo.path} (${slo.id})`, slo.slo.window));
    }
    expect(new Set(model.slos.map((s) => s.id)).size).toBe(model.slos.length);
  });

  it('THEN an SLO whose objective cannot reach a burn factor has a note naming its path, which slo.yml carries', () => {
    const config = platformConfig((raw) => (raw.services[0].slos[1].objective = 90));
    const model = compilePlatform(config);
    expect(model.burnRateNotes).toEqual(model.slos[1].plan.notes);
    expect(model.burnRateNotes[0]).toMatch(/^services\[0\]\.slos\[1\] \(anvila-api\/[^)]+\) \(objective 90%\)/);
    const slo = renderRuleFiles(model, CONTEXT).find((f) => f.path.endsWith('/slo.yml'))!;
    expect(slo.content).toContain(`# NOTE: ${model.burnRateNotes[0]}`);
  });

  it.each(CONFIGS)('THEN the alert set of %s is exactly the pack alerts its rule files render', (file) => {
    const model = compilePlatform(loadPlatformConfig(join(ROOT, file)));
    const rendered = new Set(
      renderRuleFiles(model, CONTEXT)
        .flatMap((f) => (yaml.load(f.content) as { groups: { rules: { alert?: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.alert)))
        .filter((name): name is string => name !== undefined && (ALERT_NAMES as readonly string[]).includes(name)),
    );
    expect([...rendered].sort()).toEqual(model.alerts.map((a) => a.name).sort());
  });

  it('THEN the DORA pack is in the alert set only when dora is configured', () => {
    const withDora = compilePlatform(platformConfig());
    const withoutDora = compilePlatform(platformConfig((raw) => delete raw.dora));
    expect(withDora.alerts.some((a) => a.group === 'dora')).toBe(withDora.config.dora !== undefined);
    expect(withoutDora.alerts.filter((a) => a.group === 'dora')).toEqual([]);
  });
});

describe('GIVEN the platform construct WHEN it synthesizes', () => {
  it('THEN each burn-rate plan is computed once per SLO and the host files are rendered once, for the real Grafana URL only', () => {
    const config = platformConfig();
    const plans = jest.spyOn(burnRate, 'planBurnRateTiers');
    const renders = jest.spyOn(hostFiles, 'renderHostFiles');
    const app = Testing.app();
    new ObservabilityPlatform(app, 'platform', { config });
    app.synth();
    expect(plans).toHaveBeenCalledTimes(config.services.reduce((n, s) => n + s.slos.length, 0));
    expect(renders).toHaveBeenCalledTimes(1);
    expect(renders.mock.calls[0][1].grafanaUrl).not.toContain('.invalid');
  });
});
