import { SLO_SERIES } from '../../contracts/slo-series';
import { sloAlert } from '../alert-definition';

/**
 * The SLO pack: the alerts every SLO gets. Their expressions are built per SLO by lib/slo/slo-rules.ts from
 * its SLI and burn-rate plan; the severity of the two burn-rate tiers is the SLO's `severities`, this one by default.
 */

const SLO = ['service', 'environment', 'slo'];

/** Go template that looks up the error budget left for the alert's SLO, for burn-rate alert descriptions. */
const BUDGET_LEFT =
  `{{ with printf "${SLO_SERIES.errorBudgetRemaining}{service='%s',environment='%s',slo='%s'}" $labels.service $labels.environment $labels.slo | query }}` +
  '{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}';

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
  }),
  sloAlert({
    name: 'SLOSliAbsent',
    severity: 'warning',
    group: 'slo',
    scope: 'slo',
    labels: SLO,
    for: '10m',
    summary: 'The {{ $labels.slo }} SLO of {{ $labels.service }} ({{ $labels.environment }}) has no SLI data',
    description:
      'The error ratio of the {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} is absent{for}: the series its SLI reads are missing (target down, metric renamed, wrong labels), so its burn-rate alerts cannot fire.',
    dashboard: 'slo',
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
  }),
  sloAlert({
    name: 'SLOErrorBudgetPolicy',
    severity: 'info',
    group: 'slo',
    scope: 'slo',
    labels: [...SLO, 'budget_policy'],
    for: '5m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}): the {{ $labels.slo }} error budget policy applies ({{ $labels.budget_policy }})',
    description:
      'The {{ $labels.slo }} SLO of {{ $labels.service }} in {{ $labels.environment }} has {{ $value | humanizePercentage }} of its error budget left, below the threshold of its error budget policy: {{ $labels.budget_policy }}. It holds until the budget recovers above the threshold.',
    value: '{{ $value | humanizePercentage }} of the budget left',
    dashboard: 'slo',
  }),
];
