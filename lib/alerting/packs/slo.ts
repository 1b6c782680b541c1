import { SLO_SERIES } from '../../contracts/slo-series';
import { sloBudgetPolicy } from '../../slo/error-budget';
import { sloEnvironments } from '../../slo/sli';
import type { InputSeries } from '../../promql/promtool-test-file';
import { sloAlert } from '../alert-definition';
import { app, fires, input, probe, quiet } from './example-series';

/**
 * The SLO pack: the alerts of each SLO (`renderedForSlo` says which SLOs have one). Their expressions are built
 * per SLO by lib/slo/slo-rules.ts from its SLI and burn-rate plan; the severity of the two burn-rate tiers is the
 * SLO's `severities`, this one by default.
 */

const SLO = ['service', 'environment', 'slo'];

/** Go template that looks up the error budget left for the alert's SLO, for burn-rate alert descriptions. */
const BUDGET_LEFT =
  `{{ with printf "${SLO_SERIES.errorBudgetRemaining}{service='%s',environment='%s',slo='%s'}" $labels.service $labels.environment $labels.slo | query }}` +
  '{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}';

/** The labels an alert of the example's `availability` SLO (a probe SLI of anvila-api) fires with. */
const availabilityLabels = (environment: string, severity: string, extra: Record<string, string> = {}) => ({
  service: 'anvila-api',
  environment,
  slo: 'availability',
  sli: 'probe',
  team: 'platform',
  ...extra,
  severity,
});

/** 40 minutes of every SLI of the example's service, the staging probe's values as given. */
const sliSeries = (stagingProbe: string): InputSeries[] => [
  input('probe_success', probe, '1x40'),
  input('probe_success', { ...probe, environment: 'staging', instance: 'https://staging.api.anvila.example/health' }, stagingProbe),
  input('http_requests_total', { ...app, status: '200' }, '0+600x40'),
  input('http_request_duration_seconds_bucket', { ...app, le: '0.5' }, '0+600x40'),
  input('http_request_duration_seconds_count', app, '0+600x40'),
];

export const SLO_ALERTS = [
  sloAlert({
    name: 'SLOBurnRateFast',
    severity: 'critical',
    group: 'slo',
    scope: 'slo',
    labels: SLO,
    for: '0s',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) burns its {{ $labels.slo }} error budget fast',
    description:
      'The {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} burns its error budget at {{ $value | humanize }}x the sustainable rate; at this pace the budget is gone within days. Error budget left: ' +
      BUDGET_LEFT +
      '.',
    value: '{{ $value | humanize }}x burn rate',
    dashboard: 'slo',
    promtoolCases: [
      {
        name: 'probe down for 10 minutes after a healthy hour',
        interval: '1m',
        input_series: [input('probe_success', probe, '1x60 0x10 1x10')],
        alert_rule_test: [quiet('SLOBurnRateFast', '60m'), fires('SLOBurnRateFast', '70m', availabilityLabels('production', 'critical'))],
      },
      { name: 'probe healthy', interval: '1m', input_series: [input('probe_success', probe, '1x80')], alert_rule_test: [quiet('SLOBurnRateFast', '70m')] },
    ],
  }),
  sloAlert({
    name: 'SLOBurnRateSlow',
    severity: 'warning',
    group: 'slo',
    scope: 'slo',
    labels: SLO,
    for: '0s',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) burns its {{ $labels.slo }} error budget steadily',
    description:
      'The {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} burns its error budget at {{ $value | humanize }}x the sustainable rate; at this pace the budget runs out before the window ends. Error budget left: ' +
      BUDGET_LEFT +
      '.',
    value: '{{ $value | humanize }}x burn rate',
    dashboard: 'slo',
    promtoolCases: [
      {
        name: 'one probe in ten fails for 3 hours',
        interval: '1m',
        input_series: [input('probe_success', probe, `1x60 ${Array.from({ length: 18 }, () => '1x8 0').join(' ')}`)],
        alert_rule_test: [fires('SLOBurnRateSlow', '240m', availabilityLabels('production', 'warning'))],
      },
      { name: 'probe healthy', interval: '1m', input_series: [input('probe_success', probe, '1x240')], alert_rule_test: [quiet('SLOBurnRateSlow', '240m')] },
    ],
  }),
  sloAlert({
    name: 'SLOSliAbsent',
    severity: 'warning',
    group: 'slo',
    scope: 'slo',
    labels: SLO,
    for: '10m',
    summary: 'The {{ $labels.slo }} SLO of {{ $labels.service }} ({{ $labels.environment }}) has no SLI data',
    // no environment has SLI data (scraped app metrics and no metricsTarget; the schema refuses that today): nothing can be absent
    renderedForSlo: {
      when: 'expects SLI data from an environment (a probe, OTLP metrics, or a `metricsTarget`)',
      holdsFor: ({ service, slo }) => sloEnvironments(service, slo).length > 0,
    },
    description:
      'The error ratio of the {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} is absent{for}: the series its SLI reads are missing (target down, metric renamed, wrong labels), so its burn-rate alerts cannot fire.',
    dashboard: 'slo',
    promtoolCases: [
      {
        name: "staging's probe stops being scraped while its app metrics keep coming",
        interval: '1m',
        input_series: sliSeries('1x10 _x30'),
        alert_rule_test: [quiet('SLOSliAbsent', '12m'), fires('SLOSliAbsent', '35m', availabilityLabels('staging', 'warning'))],
      },
      {
        name: 'every SLI has data',
        interval: '1m',
        input_series: sliSeries('1x40'),
        alert_rule_test: [quiet('SLOSliAbsent', '35m')],
      },
    ],
  }),
  sloAlert({
    name: 'SLOErrorBudgetExhausted',
    severity: 'warning',
    group: 'slo',
    scope: 'slo',
    labels: SLO,
    for: '5m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) has spent its whole {{ $labels.slo }} error budget',
    description:
      'The {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} has {{ $value | humanizePercentage }} of its error budget left over its window: the objective is missed for this window unless failures stop.',
    value: '{{ $value | humanizePercentage }} of the budget left',
    dashboard: 'slo',
    promtoolCases: [
      {
        name: 'every probe fails from the start',
        interval: '1m',
        input_series: [input('probe_success', probe, '0x30')],
        alert_rule_test: [quiet('SLOErrorBudgetExhausted', '3m'), fires('SLOErrorBudgetExhausted', '20m', availabilityLabels('production', 'warning'))],
      },
      {
        name: 'probe healthy',
        interval: '1m',
        input_series: [input('probe_success', probe, '1x30')],
        alert_rule_test: [quiet('SLOErrorBudgetExhausted', '20m')],
      },
    ],
  }),
  sloAlert({
    name: 'SLOErrorBudgetPolicy',
    severity: 'info',
    group: 'slo',
    scope: 'slo',
    labels: [...SLO, 'budget_policy'],
    for: '5m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}): the {{ $labels.slo }} error budget policy applies ({{ $labels.budget_policy }})',
    renderedForSlo: {
      when: "has a `budgetPolicy` (its own or its service's)",
      holdsFor: ({ service, slo }) => sloBudgetPolicy(service, slo) !== undefined,
    },
    description:
      'The {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} has {{ $value | humanizePercentage }} of its error budget left, below the threshold of its error budget policy: {{ $labels.budget_policy }}. It holds until the budget recovers above the threshold.',
    value: '{{ $value | humanizePercentage }} of the budget left',
    dashboard: 'slo',
    promtoolCases: [
      {
        // the default config's policy: freeze feature deploys below 25 % of the budget left
        name: 'every probe fails from the start',
        interval: '1m',
        input_series: [input('probe_success', probe, '0x30')],
        alert_rule_test: [
          quiet('SLOErrorBudgetPolicy', '3m'),
          fires('SLOErrorBudgetPolicy', '20m', availabilityLabels('production', 'info', { budget_policy: 'freeze feature deploys' })),
        ],
      },
      {
        // an error ratio of 0.3 %, budget 0.5 %: 40 % of the budget left, above the policy's 25 %
        name: 'one probe in 333 fails',
        interval: '1m',
        input_series: [input('probe_success', probe, Array.from({ length: 3 }, () => '1x331 0').join(' '))],
        alert_rule_test: [quiet('SLOErrorBudgetPolicy', '700m')],
      },
    ],
  }),
];
