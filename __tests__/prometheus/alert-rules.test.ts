import type { AlertDefinition } from '../../lib/alerting/alert-definition';
import { ALERT_CATALOG, type AlertName } from '../../lib/alerting/packs';
import { EXAMPLE_HOST, EXAMPLE_PUSHED_SERIES_BUDGET, fires, input, node, probe } from '../../lib/alerting/packs/example-series';
import { hostInstanceName } from '../../lib/prometheus/scrape-config';
import type { AlertRuleTest, PromtoolTestCase } from '../../lib/gameday/promtool';
import { DEFAULT_CONFIG, runPromtoolTests } from './promtool-harness';

/**
 * GIVEN the rules rendered from the default config and the promtool cases of every alert of the packs
 * (`promtoolCases`, on the series of lib/alerting/packs/example-series.ts)
 * WHEN promtool evaluates them
 * THEN every alert fires in its bad cases (with the labels its pack entry promises) and stays quiet in its good ones.
 */

/** The checks of the cases that cover an alert: its own and, for a critical tier, its warning twin's. */
function checksOf(def: AlertDefinition): AlertRuleTest[] {
  const twin = def.tierOf ? ALERT_CATALOG.find((a) => a.name === def.tierOf) : undefined;
  return [...def.promtoolCases, ...(twin?.promtoolCases ?? [])].flatMap((c) => c.alert_rule_test ?? []).filter((t) => t.alertname === def.name);
}

const WITH_CASES = ALERT_CATALOG.filter((def) => def.promtoolCases.length > 0).map((def) => def.name);

describe('alert catalog rules under promtool', () => {
  it("GIVEN the example description THEN the cases' host is its monitoring host", () => {
    expect(EXAMPLE_HOST).toBe(hostInstanceName(DEFAULT_CONFIG));
  });

  it("GIVEN the example description THEN the cases' pushed-series budget is its threshold", () => {
    expect(EXAMPLE_PUSHED_SERIES_BUDGET).toBe(DEFAULT_CONFIG.alerting.thresholds.pushedSeriesPerEnvironment);
  });

  it('GIVEN the packs THEN every alert has a firing and a non-firing case (the list of those that lack one is empty)', () => {
    const lacking = ALERT_CATALOG.flatMap((def) => {
      const checks = checksOf(def);
      return [
        ...(checks.some((t) => t.exp_alerts.length > 0) ? [] : [`${def.name}: no case where it fires`]),
        ...(checks.some((t) => t.exp_alerts.length === 0) ? [] : [`${def.name}: no case where it stays quiet`]),
      ];
    });
    expect(lacking).toEqual([]);
  });

  it('GIVEN the firing labels in the cases THEN they are exactly the catalog labels plus severity', () => {
    for (const def of ALERT_CATALOG) {
      for (const test of checksOf(def)) {
        for (const exp of test.exp_alerts) {
          for (const label of [...def.labels, 'severity'])
            expect({ alert: def.name, label, present: label in exp.exp_labels }).toEqual({ alert: def.name, label, present: true });
          expect(exp.exp_labels.severity).toBe(def.severity);
        }
      }
    }
  });

  it.each(WITH_CASES)('WHEN promtool runs the cases of %s THEN they pass', (name: AlertName) => {
    const result = runPromtoolTests([...ALERT_CATALOG.find((def) => def.name === name)!.promtoolCases]);
    if (result.status !== 0) throw new Error(`promtool test rules failed for ${name}:\n${result.output}`);
    expect(result.status).toBe(0);
  });

  it('GIVEN a wrong expectation WHEN promtool runs THEN it fails (the harness can fail)', () => {
    const wrong: PromtoolTestCase = {
      name: 'node up yet HostDown expected',
      interval: '1m',
      input_series: [input('up', node, '1x10')],
      alert_rule_test: [fires('HostDown', '5m', { ...node, severity: 'critical' })],
    };
    const result = runPromtoolTests([wrong]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/HostDown/);
  });

  it('GIVEN the rendered annotations WHEN ProbeSlow fires THEN summary, description, value, runbook and dashboard links are exact', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'annotations of ProbeSlow',
          interval: '1m',
          input_series: [input('probe_duration_seconds', probe, '2.5x20')],
          alert_rule_test: [
            {
              eval_time: '15m',
              alertname: 'ProbeSlow',
              exp_alerts: [
                {
                  exp_labels: { ...probe, team: 'platform', severity: 'warning' },
                  exp_annotations: {
                    summary: 'anvila-api (production) answers its probe slowly',
                    description: 'The blackbox probe of https://api.anvila.example/health has taken 2.5s on average over 5 minutes.',
                    value: '2.5s average probe duration (5m)',
                    runbook_url: 'https://github.com/acme/anvila-observability/blob/main/runbooks/ProbeSlow.md',
                    dashboard_url: 'http://203.0.113.10:3000/d/lgtm-uptime?var-service=anvila-api&var-environment=production',
                  },
                },
              ],
            },
          ],
        },
      ],
      { keepAnnotations: true },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });

  it('GIVEN a refused push WHEN ConfigSyncRefused fires THEN its description names the group and where to look on the host', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'annotations of ConfigSyncRefused',
          interval: '1m',
          input_series: [input('lgtm_config_sync_refused', { ...node, group: 'alertmanager' }, '1x10')],
          alert_rule_test: [
            {
              eval_time: '6m',
              alertname: 'ConfigSyncRefused',
              exp_alerts: [
                {
                  exp_labels: { ...node, group: 'alertmanager', severity: 'warning' },
                  exp_annotations: {
                    summary: `The host ${EXAMPLE_HOST} refuses the pushed alertmanager configuration`,
                    description:
                      `The config sync on ${EXAMPLE_HOST} has refused the alertmanager files in the config bucket for 5 minutes (lgtm_config_sync_refused = 1): ` +
                      'they failed their checker, so alertmanager keeps running the last good files and the pushed change is not live. ' +
                      'Why: journalctl -u lgtm-sync on the host, and the checker output in /var/lib/lgtm-sync/rejected/alertmanager/reason.txt.',
                    runbook_url: 'https://github.com/acme/anvila-observability/blob/main/runbooks/ConfigSyncRefused.md',
                    dashboard_url: 'http://203.0.113.10:3000/d/lgtm-platform',
                  },
                },
              ],
            },
          ],
        },
      ],
      { keepAnnotations: true },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });

  it('GIVEN a total outage from the start WHEN SLOBurnRateFast fires THEN its description shows the burn rate and, via query, the budget left', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'annotations of SLOBurnRateFast',
          interval: '1m',
          input_series: [input('probe_success', probe, '0x10')],
          alert_rule_test: [
            {
              eval_time: '5m',
              alertname: 'SLOBurnRateFast',
              exp_alerts: [
                {
                  exp_labels: { service: 'anvila-api', environment: 'production', slo: 'availability', sli: 'probe', team: 'platform', severity: 'critical' },
                  exp_annotations: {
                    summary: 'anvila-api (production) burns its availability error budget fast',
                    // error ratio 1 against a 0.5% budget: 200x; the whole window so far was an outage: 1 - 200 = -19900% left
                    description:
                      'The availability SLO of anvila-api in production burns its error budget at 200x the sustainable rate; at this pace the budget is gone within days. Error budget left: -1.99e+04%.',
                    value: '200x burn rate',
                    runbook_url: 'https://github.com/acme/anvila-observability/blob/main/runbooks/SLOBurnRateFast.md',
                    dashboard_url: 'http://203.0.113.10:3000/d/lgtm-slo?var-service=anvila-api&var-environment=production&var-slo=availability',
                  },
                },
              ],
            },
          ],
        },
      ],
      { keepAnnotations: true },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });
});
