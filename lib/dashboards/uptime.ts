import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import { dataSourceRef } from '../contracts/data-sources';
import type { PlatformConfig } from '../config/schema';
import { dashboardLink, graph, newDashboard, promQuery, row, serviceVariables, singleStat, thresholds, type Dashboard } from './common';

/** Probe quantiles the response-time panel draws, over a window of several probes. */
const PROBE_QUANTILES = [0.5, 0.9, 0.99] as const;

/**
 * Blackbox HTTP probes of every environment's probeUrl: an up/down timeline, success, status code, response
 * time (p50/p90/p99 over 5-minute windows), TLS expiry.
 */
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
      singleStat(
        'Availability (range)',
        'Share of successful probes over the selected range.',
        'percentunit',
        promQuery('A', `avg_over_time(probe_success{${sel}}[$__range])`, '{{environment}}'),
        8,
      )
        .decimals(3)
        .thresholds(
          thresholds([
            [null, 'red'],
            [0.99, 'orange'],
            [0.999, 'green'],
          ]),
        ),
    )
    .withPanel(
      singleStat(
        'TLS certificate expires in',
        'Days until the earliest certificate in the chain expires.',
        'd',
        promQuery('A', `(probe_ssl_earliest_cert_expiry{${sel}} - time()) / 86400`, '{{environment}}'),
        8,
      ).thresholds(
        thresholds([
          [null, 'red'],
          [t.tlsExpiryDays, 'green'],
        ]),
      ),
    )
    .withRow(row('Over time'))
    .withPanel(
      new statetimeline.PanelBuilder()
        .title('Up / down')
        .description('Each environment over the range: green while its probe succeeds, red while it fails.')
        .datasource(dataSourceRef('prometheus'))
        .withTarget(promQuery('A', `probe_success{${sel}}`, '{{environment}}'))
        .mappings(upDown)
        .mergeValues(true)
        .span(24)
        .height(6),
    )
    .withPanel(
      graph('Probe success', '1 when the probe succeeded.', 'none', [promQuery('A', `probe_success{${sel}}`, '{{environment}}')])
        .max(1)
        .min(0),
    )
    .withPanel(graph('HTTP status code', 'Status code of the last response.', 'none', [promQuery('A', `probe_http_status_code{${sel}}`, '{{environment}}')]))
    .withPanel(
      graph('Response time', 'Whole probe duration per environment, against the slow-probe threshold.', 's', [
        promQuery('A', `probe_duration_seconds{${sel}}`, '{{environment}}'),
      ]).thresholds(
        thresholds([
          [null, 'green'],
          [t.probeLatencySeconds, 'red'],
        ]),
      ),
    )
    .withPanel(
      graph(
        'Response time p50 / p90 / p99',
        'Quantiles of the probe duration over 5-minute windows (20 probes at the 15 s interval): p99 shows the slow tail a single probe hides.',
        's',
        PROBE_QUANTILES.map((q, i) =>
          promQuery(String.fromCharCode(65 + i), `quantile_over_time(${q}, probe_duration_seconds{${sel}}[5m])`, `{{environment}} p${Math.round(q * 100)}`),
        ),
      ).thresholds(
        thresholds([
          [null, 'green'],
          [t.probeLatencySeconds, 'red'],
        ]),
      ),
    )
    .withPanel(
      graph('Response time by phase', 'DNS, connect, TLS, processing and transfer.', 's', [
        promQuery('A', `sum by (environment, phase) (probe_http_duration_seconds{${sel}})`, '{{environment}} {{phase}}'),
      ]),
    )
    .build();
}
