import { ALERT_CATALOG } from '../../lib/alerting/packs';
import { validatePlatformConfig } from '../../lib/config/loader';
import { compilePlatform } from '../../lib/model/compile';
import { ruleFiles, staticAlertRules } from '../../lib/prometheus/rule-files';
import { series } from '../../lib/gameday/promtool';
import { CONTEXT, DEFAULT_CONFIG, runPromtoolTests } from '../prometheus/promtool-harness';

/** The default config after `edit`. */
function configWith(edit: (raw: any) => void) {
  const raw = structuredClone(DEFAULT_CONFIG) as any;
  edit(raw);
  return compilePlatform(validatePlatformConfig(raw, 'config/platform.yaml'));
}

const SERVICE_ALERTS = ALERT_CATALOG.filter((def) => def.scope === 'service').map((def) => def.name);
const withLabels = (raw: any) => {
  raw.services[0].labels = { tier: 'gold' };
  raw.services.push({ name: 'billing', environments: [{ name: 'production', probeUrl: 'https://billing.example/health' }] });
};

describe("the service's team and labels on every alert about the service", () => {
  it('GIVEN the service-scoped alerts THEN they are the probe and app alerts', () => {
    expect(SERVICE_ALERTS.sort()).toEqual(['App5xxRatioHigh', 'AppTargetDown', 'ProbeFailing', 'ProbeSlow', 'TlsCertificateExpiring']);
  });

  it('GIVEN a team and labels THEN each service-scoped alert takes them from one info series per service, which every service has', () => {
    const config = configWith(withLabels);
    const rules = [...staticAlertRules(config, CONTEXT, 'probes'), ...staticAlertRules(config, CONTEXT, 'app')];
    for (const rule of rules) expect(rule.expr).toMatch(/\) \* on \(service\) group_left \(team, tier\) lgtm:service_alert_labels:info$/);
    const recorded = ruleFiles(config, CONTEXT)
      .flatMap((file) => file.groups.flatMap((group) => group.rules))
      .filter((rule) => 'record' in rule && rule.record === 'lgtm:service_alert_labels:info');
    expect(recorded).toEqual([
      { record: 'lgtm:service_alert_labels:info', expr: 'vector(1)', labels: { service: 'anvila-api', team: 'platform', tier: 'gold' } },
      { record: 'lgtm:service_alert_labels:info', expr: 'vector(1)', labels: { service: 'billing' } },
    ]);
  });

  it('GIVEN no service with a team or labels THEN the expressions stay as they are and nothing is recorded', () => {
    const config = configWith((raw) => {
      delete raw.services[0].team;
    });
    for (const rule of staticAlertRules(config, CONTEXT, 'probes')) expect(rule.expr).not.toContain('group_left');
    expect(
      ruleFiles(config, CONTEXT).some((file) =>
        file.groups.some((group) => group.rules.some((rule) => 'record' in rule && rule.record.startsWith('lgtm:service_alert_labels'))),
      ),
    ).toBe(false);
  });

  it('WHEN promtool runs THEN ProbeFailing carries the team and labels of its service, and a service without them still alerts', () => {
    const config = configWith(withLabels);
    const probe = (service: string, url: string) => series('probe_success', { job: 'blackbox-http', instance: url, service, environment: 'production' });
    const result = runPromtoolTests(
      [
        {
          name: 'both probes fail',
          interval: '1m',
          input_series: [
            { series: probe('anvila-api', 'https://api.anvila.example/health'), values: '0x20' },
            { series: probe('billing', 'https://billing.example/health'), values: '0x20' },
          ],
          alert_rule_test: [
            {
              eval_time: '10m',
              alertname: 'ProbeFailing',
              exp_alerts: [
                {
                  exp_labels: {
                    job: 'blackbox-http',
                    instance: 'https://api.anvila.example/health',
                    service: 'anvila-api',
                    environment: 'production',
                    team: 'platform',
                    tier: 'gold',
                    severity: 'critical',
                  },
                },
                {
                  exp_labels: {
                    job: 'blackbox-http',
                    instance: 'https://billing.example/health',
                    service: 'billing',
                    environment: 'production',
                    severity: 'critical',
                  },
                },
              ],
            },
          ],
        },
      ],
      { config: config.config },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });
});
