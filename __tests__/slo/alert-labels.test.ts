import { validatePlatformConfig } from '../../lib/config/loader';
import { compilePlatform } from '../../lib/model/compile';
import { sloAlertRules } from '../../lib/slo/slo-rules';
import { CONTEXT, DEFAULT_CONFIG } from '../prometheus/promtool-harness';

/** The labels of the burn-rate alerts of the default config's first service after `edit`. */
function alertLabels(edit: (raw: any) => void = () => {}) {
  const raw = structuredClone(DEFAULT_CONFIG) as any;
  edit(raw);
  const config = validatePlatformConfig(raw, 'config/platform.yaml');
  const service = config.services[0];
  const { slos } = compilePlatform(config);
  return service.slos.flatMap((slo) =>
    sloAlertRules(config, CONTEXT, service, slo, slos.find((s) => s.slo === slo)!.plan).map((rule) => ({
      alert: rule.alert,
      slo: slo.name,
      labels: rule.labels,
    })),
  );
}

function burnAlertLabels(edit?: (raw: any) => void) {
  return alertLabels(edit).filter((l) => l.alert.startsWith('SLOBurnRate'));
}

describe('labels of the SLO alerts', () => {
  it("GIVEN the default config THEN each burn alert carries the tier's severity, the slo, its SLI kind and the service's team", () => {
    expect(burnAlertLabels()).toEqual([
      { alert: 'SLOBurnRateFast', slo: 'availability', labels: { severity: 'critical', slo: 'availability', sli: 'probe', team: 'platform' } },
      { alert: 'SLOBurnRateSlow', slo: 'availability', labels: { severity: 'warning', slo: 'availability', sli: 'probe', team: 'platform' } },
      { alert: 'SLOBurnRateFast', slo: 'requests', labels: { severity: 'critical', slo: 'requests', sli: 'errors', team: 'platform' } },
      { alert: 'SLOBurnRateSlow', slo: 'requests', labels: { severity: 'warning', slo: 'requests', sli: 'errors', team: 'platform' } },
      { alert: 'SLOBurnRateFast', slo: 'latency', labels: { severity: 'critical', slo: 'latency', sli: 'latency', team: 'platform' } },
      { alert: 'SLOBurnRateSlow', slo: 'latency', labels: { severity: 'warning', slo: 'latency', sli: 'latency', team: 'platform' } },
    ]);
  });

  it("GIVEN service and SLO labels and per-SLO severities THEN the SLO's labels win over the service's, and the severities replace the tier defaults", () => {
    const labels = burnAlertLabels((raw) => {
      delete raw.services[0].team;
      raw.services[0].labels = { tier: 'gold', pager: 'api' };
      raw.services[0].slos[2].labels = { pager: 'perf' };
      raw.services[0].slos[2].severities = { fast: 'warning', slow: 'warning' };
    });
    expect(labels.filter((l) => l.slo === 'latency').map((l) => l.labels)).toEqual([
      { tier: 'gold', pager: 'perf', severity: 'warning', slo: 'latency', sli: 'latency' },
      { tier: 'gold', pager: 'perf', severity: 'warning', slo: 'latency', sli: 'latency' },
    ]);
    expect(labels.find((l) => l.slo === 'requests')!.labels).toEqual({ tier: 'gold', pager: 'api', severity: 'critical', slo: 'requests', sli: 'errors' });
  });

  it('GIVEN the SLI-absent, budget-exhausted and budget-policy alerts THEN they carry the same routing labels, with the catalog severity', () => {
    const labels = alertLabels((raw) => {
      raw.services[0].labels = { tier: 'gold' };
      raw.services[0].slos[0].severities = { fast: 'warning' };
    }).filter((l) => l.slo === 'availability' && !l.alert.startsWith('SLOBurnRate'));
    expect(labels).toEqual([
      { alert: 'SLOSliAbsent', slo: 'availability', labels: { tier: 'gold', team: 'platform', severity: 'warning', slo: 'availability', sli: 'probe' } },
      {
        alert: 'SLOErrorBudgetExhausted',
        slo: 'availability',
        labels: { tier: 'gold', team: 'platform', severity: 'warning', slo: 'availability', sli: 'probe' },
      },
      {
        alert: 'SLOErrorBudgetPolicy',
        slo: 'availability',
        labels: { tier: 'gold', team: 'platform', severity: 'info', slo: 'availability', sli: 'probe', budget_policy: 'freeze feature deploys' },
      },
    ]);
  });

  it.each<[string, (raw: any) => void, string]>([
    [
      'a label synth sets',
      (raw) => {
        raw.services[0].labels = { severity: 'info' };
      },
      'config/platform.yaml: services[0].labels.severity: found key "severity"; expected a label name other than alertname, severity, service, environment, slo, sli, team, budget_policy, instance, job (synth sets those) and not starting with __',
    ],
    [
      'a label name with a dash',
      (raw) => {
        raw.services[0].slos[0].labels = { 'on-call': 'x' };
      },
      'config/platform.yaml: services[0].slos[0].labels.on-call: found key "on-call"; expected a label name: letters, digits and _, not starting with a digit',
    ],
    [
      'a severity routing does not know',
      (raw) => {
        raw.services[0].slos[0].severities = { fast: 'page' };
      },
      'config/platform.yaml: services[0].slos[0].severities.fast: found "page"; expected critical (pages) or warning (opens a ticket)',
    ],
  ])('GIVEN %s THEN synth refuses it with file, path, found and allowed', (_, edit, message) => {
    expect(() => alertLabels(edit)).toThrow(message);
  });
});
