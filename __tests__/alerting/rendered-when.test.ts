import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { StaticAlertDefinition } from '../../lib/alerting/alert-definition';
import { ALERT_CATALOG, alertDefinition } from '../../lib/alerting/packs';
import { compilePlatform, type PlatformModel } from '../../lib/model/compile';
import { renderRuleFiles } from '../../lib/prometheus/rule-files';
import { platformConfig } from '../helpers/platform-fixtures';

/**
 * GIVEN the alert packs' `renderedWhen` (and, per SLO, `renderedForSlo`)
 * WHEN a platform is compiled and its rule files rendered
 * THEN an alert is in the model's alert set, in the rule files and in docs/alerts.md exactly when its own
 * predicate says so, and nothing outside its pack decides it.
 */

const CONTEXT = { grafanaUrl: 'http://203.0.113.10:3000' };

/** Alert names of the rule files, per file (`slo.yml` → names, once per SLO that has the alert). */
function renderedRules(model: PlatformModel): Map<string, string[]> {
  return new Map(
    renderRuleFiles(model, CONTEXT).map((file) => [
      file.path.split('/').pop()!,
      (yaml.load(file.content) as { groups: { rules: { alert?: string }[] }[] }).groups.flatMap((g) =>
        g.rules.flatMap((r) => (r.alert === undefined ? [] : [r.alert])),
      ),
    ]),
  );
}

const allRendered = (model: PlatformModel) => [...renderedRules(model).values()].flat();

/** The default config with one SLO, `requests` (scraped app metrics), the policy and the metrics target as `edit` leaves them. */
const requestsOnly = (edit: (service: any) => void) =>
  platformConfig((raw) => {
    raw.services[0].slos = raw.services[0].slos.filter((slo: { name: string }) => slo.name === 'requests');
    edit(raw.services[0]);
  });

describe('GIVEN an alert with a render condition', () => {
  it('THEN the model renders exactly the catalog alerts whose predicate holds, for every variant', () => {
    const variants = [
      platformConfig(),
      platformConfig((raw) => delete raw.dora),
      platformConfig((raw) => (raw.services[0].slos = [])),
      requestsOnly((service) => delete service.budgetPolicy),
    ];
    for (const config of variants) {
      const model = compilePlatform(config);
      expect(model.alerts).toEqual(ALERT_CATALOG.filter((def) => def.renderedWhen.holds(model)));
    }
  });

  it('WHEN an SLO has a budgetPolicy THEN SLOErrorBudgetPolicy is rendered for it; WHEN none has THEN it is not rendered at all', () => {
    const withPolicy = compilePlatform(requestsOnly(() => undefined));
    const withoutPolicy = compilePlatform(requestsOnly((service) => delete service.budgetPolicy));
    expect(withPolicy.alerts.map((a) => a.name)).toContain('SLOErrorBudgetPolicy');
    expect(renderedRules(withPolicy).get('slo.yml')).toContain('SLOErrorBudgetPolicy');
    expect(withoutPolicy.alerts.map((a) => a.name)).not.toContain('SLOErrorBudgetPolicy');
    expect(allRendered(withoutPolicy)).not.toContain('SLOErrorBudgetPolicy');
    // the rest of the SLO pack does not depend on the policy
    expect(renderedRules(withoutPolicy).get('slo.yml')).toEqual(expect.arrayContaining(['SLOBurnRateFast', 'SLOErrorBudgetExhausted']));
  });

  it('WHEN only some SLOs have a budgetPolicy THEN SLOErrorBudgetPolicy is rendered once for each of them', () => {
    const model = compilePlatform(
      platformConfig((raw) => {
        delete raw.services[0].budgetPolicy;
        raw.services[0].slos[1].budgetPolicy = { remainingBelowPercent: 10, action: 'freeze' };
      }),
    );
    expect(
      renderedRules(model)
        .get('slo.yml')!
        .filter((name) => name === 'SLOErrorBudgetPolicy'),
    ).toHaveLength(1);
    expect(
      renderedRules(model)
        .get('slo.yml')!
        .filter((name) => name === 'SLOErrorBudgetExhausted'),
    ).toHaveLength(3);
  });

  it('WHEN an SLO expects SLI data from no environment THEN SLOSliAbsent is left out; WHEN it expects some THEN it is rendered', () => {
    // the schema refuses such an SLO in a description, so the valid config is edited after validation
    const config = requestsOnly(() => undefined);
    const nowhere = compilePlatform({
      ...config,
      services: [{ ...config.services[0], environments: config.services[0].environments.map(({ metricsTarget: _target, ...env }) => env) }],
    });
    const staging = compilePlatform(requestsOnly(() => undefined));
    const sliAbsent = alertDefinition('SLOSliAbsent');
    expect(sliAbsent.renderedWhen.holds(nowhere)).toBe(false);
    expect(nowhere.alerts.map((a) => a.name)).not.toContain('SLOSliAbsent');
    expect(allRendered(nowhere)).not.toContain('SLOSliAbsent');
    expect(allRendered(nowhere)).toContain('SLOBurnRateFast');
    expect(sliAbsent.renderedWhen.holds(staging)).toBe(true);
    expect(renderedRules(staging).get('slo.yml')).toContain('SLOSliAbsent');
  });

  it('WHEN dora is configured THEN dora.yml holds the DORA pack; WHEN it is not THEN there is no dora.yml', () => {
    const withDora = renderedRules(compilePlatform(platformConfig()));
    const withoutDora = renderedRules(compilePlatform(platformConfig((raw) => delete raw.dora)));
    expect(withDora.get('dora.yml')).toEqual(ALERT_CATALOG.filter((a) => a.group === 'dora').map((a) => a.name));
    expect(withoutDora.has('dora.yml')).toBe(false);
  });
});

describe('GIVEN a new conditional alert added to its pack only', () => {
  /** A throwaway platform alert rendered only when the description has more than one service. */
  function withThrowawayAlert<T>(
    run: (modules: {
      compile: typeof import('../../lib/model/compile');
      rules: typeof import('../../lib/prometheus/rule-files');
      doc: typeof import('../../lib/alerting/alerts-doc');
    }) => T,
  ): T {
    let result: T | undefined;
    jest.isolateModules(() => {
      jest.doMock('../../lib/alerting/packs/platform', () => {
        const actual = jest.requireActual<typeof import('../../lib/alerting/packs/platform')>('../../lib/alerting/packs/platform');
        const { staticAlert } = jest.requireActual<typeof import('../../lib/alerting/alert-definition')>('../../lib/alerting/alert-definition');
        const throwaway: StaticAlertDefinition<'ThrowawayManyServices'> = staticAlert({
          name: 'ThrowawayManyServices',
          severity: 'info',
          group: 'platform',
          scope: 'platform',
          labels: ['job', 'instance'],
          for: '5m',
          summary: 'throwaway',
          description: 'throwaway',
          dashboard: 'platform',
          promtoolCases: [],
          renderedWhen: { when: 'more than one service is described', holds: (model) => model.config.services.length > 1 },
          expr: () => 'up{job="prometheus"} == 0',
        });
        return { PLATFORM_ALERTS: [...actual.PLATFORM_ALERTS, throwaway] };
      });
      result = run({
        compile: jest.requireActual('../../lib/model/compile'),
        rules: jest.requireActual('../../lib/prometheus/rule-files'),
        doc: jest.requireActual('../../lib/alerting/alerts-doc'),
      });
    });
    jest.dontMock('../../lib/alerting/packs/platform');
    return result!;
  }

  it('THEN the model, the rule files and docs/alerts.md honour its predicate for both outcomes', () => {
    withThrowawayAlert(({ compile, rules, doc }) => {
      const platformRules = (model: PlatformModel) => {
        const file = rules.renderRuleFiles(model, CONTEXT).find((f) => f.path.endsWith('/platform.yml'))!;
        return (yaml.load(file.content) as { groups: { rules: { alert?: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.alert));
      };
      const holds = compile.compilePlatform(loadPlatformConfig(join(__dirname, '../fixtures/two-services.yaml')));
      const fails = compile.compilePlatform(platformConfig());
      expect(holds.alerts.map((a) => a.name)).toContain('ThrowawayManyServices');
      expect(platformRules(holds)).toContain('ThrowawayManyServices');
      expect(fails.alerts.map((a) => a.name)).not.toContain('ThrowawayManyServices');
      expect(platformRules(fails)).not.toContain('ThrowawayManyServices');
      expect(platformRules(fails)).toContain('PlatformComponentDown');
      expect(doc.renderAlertsDoc()).toMatch(/^\| ThrowawayManyServices \|.*\| more than one service is described \|/m);
    });
  });
});
