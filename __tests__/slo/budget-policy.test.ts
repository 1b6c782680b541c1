import * as yaml from 'js-yaml';
import { alertmanagerConfigDocument } from '../../lib/alerting/alertmanager-config';
import { alertDefinition } from '../../lib/alerting/packs';
import { compilePlatform } from '../../lib/model/compile';
import { validatePlatformConfig } from '../../lib/config/loader';
import { sloAlertRules } from '../../lib/slo/slo-rules';
import { doraDashboard } from '../../lib/dashboards/dora';
import { sloDashboard } from '../../lib/dashboards/slo';
import { CONTEXT, DEFAULT_CONFIG } from '../prometheus/promtool-harness';

/** The default config after `edit`, validated as config/platform.yaml. */
function configWith(edit: (raw: any) => void) {
  const raw = structuredClone(DEFAULT_CONFIG) as any;
  edit(raw);
  return validatePlatformConfig(raw, 'config/platform.yaml');
}

/** The SLOErrorBudgetPolicy rules of the first service, per SLO. */
function policyRules(edit: (raw: any) => void) {
  const config = configWith(edit);
  const service = config.services[0];
  return service.slos.flatMap((slo) =>
    sloAlertRules(config, CONTEXT, service, slo, compilePlatform(config).slos.find((compiled) => compiled.slo === slo)!.plan)
      .filter((rule) => rule.alert === 'SLOErrorBudgetPolicy')
      .map((rule) => ({ slo: slo.name, rule })),
  );
}

const withoutPolicies = (raw: any) => {
  delete raw.services[0].budgetPolicy;
  for (const slo of raw.services[0].slos) delete slo.budgetPolicy;
};

describe('the error budget policy (budgetPolicy)', () => {
  it('GIVEN no budgetPolicy anywhere THEN no SLO has a policy alert', () => {
    expect(policyRules(withoutPolicies)).toEqual([]);
  });

  it("GIVEN a service's policy and one SLO's own THEN every SLO gets an info alert below its threshold, the SLO's policy winning", () => {
    const rules = policyRules((raw) => {
      withoutPolicies(raw);
      raw.services[0].budgetPolicy = { remainingBelowPercent: 25, action: 'freeze feature deploys' };
      raw.services[0].slos[2].budgetPolicy = { remainingBelowPercent: 50 };
    });
    expect(rules.map(({ slo, rule }) => ({ slo, expr: rule.expr, labels: rule.labels }))).toEqual([
      {
        slo: 'availability',
        expr: 'slo:period_error_budget_remaining:ratio{service="anvila-api",slo="availability"} < 0.25',
        labels: { team: 'platform', severity: 'info', slo: 'availability', sli: 'probe', budget_policy: 'freeze feature deploys' },
      },
      {
        slo: 'requests',
        expr: 'slo:period_error_budget_remaining:ratio{service="anvila-api",slo="requests"} < 0.25',
        labels: { team: 'platform', severity: 'info', slo: 'requests', sli: 'errors', budget_policy: 'freeze feature deploys' },
      },
      {
        slo: 'latency',
        expr: 'slo:period_error_budget_remaining:ratio{service="anvila-api",slo="latency"} < 0.5',
        labels: { team: 'platform', severity: 'info', slo: 'latency', sli: 'latency', budget_policy: 'freeze deploys except fixes for this SLO' },
      },
    ]);
    // the alert has a runbook and opens the SLO dashboard
    expect(alertDefinition('SLOErrorBudgetPolicy')).toMatchObject({ severity: 'info', runbook: 'runbooks/SLOErrorBudgetPolicy.md', dashboard: 'slo' });
    expect(rules[0].rule.annotations.runbook_url).toMatch(/SLOErrorBudgetPolicy/);
  });

  it('GIVEN info alerts THEN Alertmanager routes them by an explicit route to the warning channel, not to the fallback', () => {
    const routes = (alertmanagerConfigDocument(DEFAULT_CONFIG, CONTEXT) as any).route.routes as { receiver: string; matchers: string[] }[];
    expect(routes.find((route) => route.matchers.includes('severity="info"'))?.receiver).toBe('slack-warning');
  });

  it('GIVEN the SLO and DORA dashboards THEN both draw the policy alerts as annotations, so a freeze shows next to deploys and budgets', () => {
    const annotationsOf = (model: unknown) =>
      ((model as any).annotations.list as { name: string; expr?: string }[]).filter((a) => a.name === 'Error budget policy');
    const slo = annotationsOf(yaml.load(JSON.stringify(sloDashboard(DEFAULT_CONFIG))));
    const dora = annotationsOf(yaml.load(JSON.stringify(doraDashboard(DEFAULT_CONFIG))));
    expect(slo.map((a) => a.expr)).toEqual(['ALERTS{alertname="SLOErrorBudgetPolicy", alertstate="firing", service="$service", environment="$environment"}']);
    expect(dora.map((a) => a.expr)).toEqual(['ALERTS{alertname="SLOErrorBudgetPolicy", alertstate="firing"}']);
  });

  it.each<[string, (raw: any) => void, string]>([
    [
      'a threshold outside 0..100',
      (raw) => {
        raw.services[0].slos[0].budgetPolicy = { remainingBelowPercent: 120 };
      },
      'config/platform.yaml: services[0].slos[0].budgetPolicy.remainingBelowPercent: found number 120; expected a percentage of the budget left strictly between 0 and 100, e.g. 25',
    ],
    [
      'an unknown key',
      (raw) => {
        raw.services[0].budgetPolicy = { remainingBelowPercent: 25, freeze: true };
      },
      'config/platform.yaml: services[0].budgetPolicy.freeze: found unknown key "freeze"; allowed keys here: remainingBelowPercent, action',
    ],
    [
      'an empty action',
      (raw) => {
        raw.services[0].budgetPolicy = { remainingBelowPercent: 25, action: '' };
      },
      'config/platform.yaml: services[0].budgetPolicy.action: found ""; expected what the policy asks for, e.g. freeze feature deploys',
    ],
  ])('GIVEN %s THEN synth refuses it with file, path, found and allowed', (_, edit, message) => {
    expect(() => configWith(edit)).toThrow(message);
  });
});
