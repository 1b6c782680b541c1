import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { jobMatcher } from '../../contracts/selectors';
import { APP_TARGET_EXPECTED_SERIES } from '../../prometheus/app-targets';
import { serverErrorRates } from '../../slo/conventions';
import { staticAlert } from '../alert-definition';
import { app, appTarget, fires, input, node, quiet } from './example-series';

/** The app pack: the services' own request metrics and their scrape targets. */

const APP = jobMatcher(SCRAPE_JOBS.app);

export const APP_ALERTS = [
  staticAlert({
    name: 'App5xxRatioHigh',
    severity: 'warning',
    group: 'app',
    scope: 'service',
    labels: ['service', 'environment'],
    for: '5m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) answers too many requests with 5xx',
    description: '{{ $value | humanize }}% of the requests of {{ $labels.service }} in {{ $labels.environment }} failed with a 5xx status over 5 minutes.',
    value: '{{ $value | humanize }}% 5xx (5m)',
    dashboard: 'service',
    promtoolCases: [
      {
        name: '9% of requests fail',
        interval: '1m',
        input_series: [input('http_requests_total', { ...app, status: '200' }, '0+600x30'), input('http_requests_total', { ...app, status: '500' }, '0+60x30')],
        alert_rule_test: [fires('App5xxRatioHigh', '15m', { service: 'anvila-api', environment: 'staging', team: 'platform', severity: 'warning' })],
      },
      {
        name: '1% of requests fail',
        interval: '1m',
        input_series: [input('http_requests_total', { ...app, status: '200' }, '0+600x30'), input('http_requests_total', { ...app, status: '500' }, '0+6x30')],
        alert_rule_test: [quiet('App5xxRatioHigh', '15m')],
      },
    ],
    // one comparison per metric convention in use (lib/slo/conventions.ts)
    expr: (c) =>
      serverErrorRates(c.services, '5m')
        .map(({ errors, total }) => `100 * ${errors} / ${total} > ${c.t.app5xxPercent}`)
        .join(' or '),
  }),
  staticAlert({
    name: 'AppTargetDown',
    severity: 'warning',
    group: 'app',
    scope: 'service',
    labels: ['job', 'service', 'environment'],
    for: '5m',
    summary: 'Prometheus cannot scrape the metrics of {{ $labels.service }} ({{ $labels.environment }})',
    description:
      'The app metrics target of {{ $labels.service }} in {{ $labels.environment }} has not been scraped{for} (up is 0 or absent): its request, error and latency series and every SLO built on them have no fresh data, so their alerts cannot fire.',
    dashboard: 'service',
    promtoolCases: [
      {
        name: 'app metrics target down',
        interval: '1m',
        input_series: [input('up', appTarget, '0x15')],
        alert_rule_test: [quiet('AppTargetDown', '3m'), fires('AppTargetDown', '10m', { ...appTarget, team: 'platform', severity: 'warning' })],
      },
      {
        // The scrape job lost the target (or was never loaded): no up series at all, so every SLI of it is blind.
        name: 'app metrics target absent',
        interval: '1m',
        input_series: [input('up', node, '1x15')],
        alert_rule_test: [fires('AppTargetDown', '10m', { job: 'app', service: 'anvila-api', environment: 'staging', team: 'platform', severity: 'warning' })],
      },
      { name: 'app metrics target up', interval: '1m', input_series: [input('up', appTarget, '1x15')], alert_rule_test: [quiet('AppTargetDown', '10m')] },
    ],
    // Down, or gone: a configured target without any up series (the job or target dropped from the loaded config).
    expr: (c) =>
      c.appTargets.length === 0 ? `up{${APP}} == 0` : `up{${APP}} == 0 or (${APP_TARGET_EXPECTED_SERIES} unless on (service, environment) up{${APP}})`,
  }),
];
