import { SCRAPE_JOBS } from '../../contracts/scrape-jobs';
import { jobMatcher } from '../../contracts/selectors';
import { staticAlert } from '../alert-definition';

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
    expr: (c) => `(probe_ssl_earliest_cert_expiry{${PROBE}} - time()) / 86400 < ${c.t.tlsExpiryDays}`,
  }),
];
