import { SLO_SERIES } from '../../lib/contracts/slo-series';
import { series } from '../../lib/gameday/promtool';
import { runPromtoolTests } from '../prometheus/promtool-harness';

/**
 * The error budget policy's series under `promtool test rules`: budget spent per day and when the budget runs
 * out. The default config's `requests` SLO (99.5% over 30d, staging) sees exactly 0.2% of 5xx for two hours:
 * a burn rate of 0.4, so a day spends 0.002 / 0.005 / 30 of the budget, and the 60% left lasts
 * 0.6 × 30 days / 0.4 = 45 days.
 */
const app = { job: 'app', instance: '10.0.1.10:8000', service: 'anvila-api', environment: 'staging', route: '/items', method: 'GET' };
const labels = (name: string) => `${name}{service="anvila-api",environment="staging",slo="requests"}`;

describe('error budget policy series (promtool test rules)', () => {
  it('GIVEN a steady 0.4x burn THEN the budget spent per day and the exhaustion time follow from it, and nothing runs out while nothing burns', () => {
    const result = runPromtoolTests([
      {
        name: 'steady 0.4x burn',
        interval: '1m',
        input_series: [
          { series: series('http_requests_total', { ...app, status: '200' }), values: '0+998x120' },
          { series: series('http_requests_total', { ...app, status: '500' }), values: '0+2x120' },
        ],
        promql_expr_test: [
          {
            expr: labels(SLO_SERIES.errorBudgetSpentDay),
            eval_time: '120m',
            exp_samples: [{ labels: labels(SLO_SERIES.errorBudgetSpentDay), value: 0.002 / 0.005 / 30 }],
          },
          {
            expr: labels(SLO_SERIES.errorBudgetExhaustion),
            eval_time: '120m',
            exp_samples: [{ labels: labels(SLO_SERIES.errorBudgetExhaustion), value: 7200 + (0.6 * 30 * 86400) / 0.4 }],
          },
        ],
      },
      {
        name: 'no failures',
        interval: '1m',
        input_series: [{ series: series('http_requests_total', { ...app, status: '200' }), values: '0+1000x120' }],
        promql_expr_test: [
          { expr: labels(SLO_SERIES.errorBudgetSpentDay), eval_time: '120m', exp_samples: [{ labels: labels(SLO_SERIES.errorBudgetSpentDay), value: 0 }] },
          { expr: labels(SLO_SERIES.errorBudgetExhaustion), eval_time: '120m', exp_samples: [] },
        ],
      },
    ]);
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });
});
