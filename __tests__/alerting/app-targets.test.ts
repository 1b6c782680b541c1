import { compilePlatform } from '../../lib/model/compile';
import { ruleFiles } from '../../lib/prometheus/rule-files';
import { isAlertingRule } from '../../lib/promql/rule-types';
import { platformConfig } from '../helpers/platform-fixtures';
import { CONTEXT } from '../prometheus/promtool-harness';

/** The default config with `count` more services, each with a metrics target in production and staging. */
function withAppTargets(count: number) {
  return compilePlatform(
    platformConfig((raw) => {
      for (let i = 0; i < count; i++)
        raw.services.push({
          name: `svc-${i}`,
          environments: ['production', 'staging'].map((name, e) => ({
            name,
            probeUrl: `https://svc-${i}.example/health`,
            metricsTarget: `10.1.${i % 250}.${e + 10}:8000`,
          })),
        });
    }),
  );
}

const appTargetDown = (model: ReturnType<typeof withAppTargets>) =>
  ruleFiles(model, CONTEXT)
    .flatMap((file) => file.groups.flatMap((group) => group.rules))
    .find((rule) => isAlertingRule(rule) && rule.alert === 'AppTargetDown');

describe('AppTargetDown at scale', () => {
  it('GIVEN 500 services with 1000 app targets THEN the rule files render and validate, and the alert expression does not grow with the targets', () => {
    const small = appTargetDown(withAppTargets(1));
    const large = appTargetDown(withAppTargets(500));
    expect(large).toBeDefined();
    expect(large!.expr.length).toBe(small!.expr.length);
  });
});
