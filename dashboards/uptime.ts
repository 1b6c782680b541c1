import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PlatformConfig } from '../lib/config/schema';
import { dashboardLink, graph, newDashboard, promQuery, row, serviceVariables, singleStat, thresholds, type Dashboard } from './common';

/** Blackbox HTTP probes of every environment's probeUrl: success, status code, response time, TLS expiry. */
export function uptimeDashboard(config: PlatformConfig): Dashboard {
  const t = config.alerting.thresholds;
  const sel = 'service="$service", environment=~"$environment"';
  const upDown: dashboard.ValueMapping[] = [
    { type: dashboard.MappingType.ValueToText, options: { '0': { text: 'DOWN', color: 'red' }, '1': { text: 'UP', color: 'green' } } },
  ];
  return newDashboard('uptime', ['uptime', 'blackbox'])
    .description('Synthetic HTTP probes per environment, from the monitoring host.')
    .variables(serviceVariables('probe_success', true))
    .link(dashboardLink('service'))
    .link(dashboardLink('slo'))
    .withRow(row('Now'))
    .withPanel(
      singleStat('Probe', 'Last probe result per environment.', 'none', promQuery('A', `probe_success{${sel}}`, '{{environment}}'), 8)
        .mappings(upDown)
        .colorMode(common.BigValueColorMode.Background)
        .graphMode(common.BigValueGraphMode.None),
    )
    .withPanel(
      singleStat('Availability (range)', 'Share of successful probes over the selected range.', 'percentunit',
        promQuery('A', `avg_over_time(probe_success{${sel}}[$__range])`, '{{environment}}'), 8)
        .decimals(3)
        .thresholds(thresholds([[null, 'red'], [0.99, 'orange'], [0.999, 'green']])),
    )
    .withPanel(
      singleStat('TLS certificate expires in', 'Days until the earliest certificate in the chain expires.', 'd',
        promQuery('A', `(probe_ssl_earliest_cert_expiry{${sel}} - time()) / 86400`, '{{environment}}'), 8)
        .thresholds(thresholds([[null, 'red'], [t.tlsExpiryDays, 'green']])),
    )
    .withRow(row('Over time'))
    .withPanel(graph('Probe success', '1 when the probe succeeded.', 'none', [promQuery('A', `probe_success{${sel}}`, '{{environment}}')]).max(1).min(0))
    .withPanel(graph('HTTP status code', 'Status code of the last response.', 'none', [promQuery('A', `probe_http_status_code{${sel}}`, '{{environment}}')]))
    .withPanel(
      graph('Response time', 'Whole probe duration per environment, against the slow-probe threshold.', 's', [
        promQuery('A', `probe_duration_seconds{${sel}}`, '{{environment}}'),
      ]).thresholds(thresholds([[null, 'green'], [t.probeLatencySeconds, 'red']])),
    )
    .withPanel(graph('Response time by phase', 'DNS, connect, TLS, processing and transfer.', 's', [
      promQuery('A', `sum by (environment, phase) (probe_http_duration_seconds{${sel}})`, '{{environment}} {{phase}}'),
    ]))
    .build();
}
