import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { jobMatcher } from '../../contracts/selectors';
import { staticAlert } from '../alert-definition';
import { fires, input, probe, quiet } from './example-series';

/** The probes pack: the blackbox exporter's HTTP probes of every environment's probeUrl. */

const SERVICE = ['service', 'environment', 'instance'];
const PROBE = jobMatcher(SCRAPE_JOBS.probe);

export const PROBE_ALERTS = [
  staticAlert({
    name: 'ProbeFailing',
    severity: 'critical',
    group: 'probes',
    scope: 'service',
    labels: SERVICE,
    for: '2m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) fails its HTTP probe',
    description: 'Only {{ $value | humanizePercentage }} of the blackbox probes of {{ $labels.instance }} succeeded over the last 5 minutes.',
    value: '{{ $value | humanizePercentage }} of probes succeeded (5m)',
    dashboard: 'uptime',
    promtoolCases: [
      {
        name: 'probe failing',
        interval: '1m',
        input_series: [input('probe_success', probe, '0x20')],
        alert_rule_test: [fires('ProbeFailing', '10m', { ...probe, team: 'platform', severity: 'critical' })],
      },
      {
        name: 'one failed probe among successes',
        interval: '1m',
        input_series: [input('probe_success', probe, '1x5 0 1x14')],
        alert_rule_test: [quiet('ProbeFailing', '8m')],
      },
    ],
    expr: () => `avg_over_time(probe_success{${PROBE}}[5m]) < 0.5`,
  }),
  staticAlert({
    name: 'ProbeSlow',
    severity: 'warning',
    group: 'probes',
    scope: 'service',
    labels: SERVICE,
    for: '5m',
    summary: '{{ $labels.service }} ({{ $labels.environment }}) answers its probe slowly',
    description: 'The blackbox probe of {{ $labels.instance }} has taken {{ $value | humanizeDuration }} on average over 5 minutes.',
    value: '{{ $value | humanizeDuration }} average probe duration (5m)',
    dashboard: 'uptime',
    promtoolCases: [
      {
        name: 'probe takes 2.5s',
        interval: '1m',
        input_series: [input('probe_duration_seconds', probe, '2.5x20')],
        alert_rule_test: [fires('ProbeSlow', '15m', { ...probe, team: 'platform', severity: 'warning' })],
      },
      {
        name: 'probe takes 0.2s',
        interval: '1m',
        input_series: [input('probe_duration_seconds', probe, '0.2x20')],
        alert_rule_test: [quiet('ProbeSlow', '15m')],
      },
    ],
    expr: (c) => `avg_over_time(probe_duration_seconds{${PROBE}}[5m]) > ${c.t.probeLatencySeconds}`,
  }),
  staticAlert({
    name: 'TlsCertificateExpiring',
    severity: 'warning',
    group: 'probes',
    scope: 'service',
    labels: SERVICE,
    for: '10m',
    summary: 'TLS certificate of {{ $labels.service }} ({{ $labels.environment }}) expires soon',
    description: 'The certificate served at {{ $labels.instance }} expires in {{ $value | humanize }} days.',
    value: '{{ $value | humanize }} days left',
    dashboard: 'uptime',
    promtoolCases: [
      // promtool's clock starts at 0, so the expiry timestamp is seconds after the start of the test
      {
        name: 'certificate expires in 5 days',
        interval: '1m',
        input_series: [input('probe_ssl_earliest_cert_expiry', probe, '432000x30')],
        alert_rule_test: [fires('TlsCertificateExpiring', '20m', { ...probe, team: 'platform', severity: 'warning' })],
      },
      {
        name: 'certificate expires in 90 days',
        interval: '1m',
        input_series: [input('probe_ssl_earliest_cert_expiry', probe, '7776000x30')],
        alert_rule_test: [quiet('TlsCertificateExpiring', '20m')],
      },
    ],
    expr: (c) => `(probe_ssl_earliest_cert_expiry{${PROBE}} - time()) / 86400 < ${c.t.tlsExpiryDays}`,
  }),
];
