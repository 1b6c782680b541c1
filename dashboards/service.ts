import type { PlatformConfig } from '../lib/config/schema';
import { dashboardLink, deploymentAnnotation, graph, newDashboard, promQuery, row, serviceVariables, singleStat, thresholds, type Dashboard } from './common';

/** The four golden signals of one service from the app contract metrics. Variables: `service`, `environment`. */
export function serviceDashboard(config: PlatformConfig): Dashboard {
  const errorRatio = config.alerting.thresholds.app5xxPercent / 100;
  const sel = 'service="$service", environment=~"$environment"';
  const rate = (extra = '') => `sum by (environment) (rate(http_requests_total{${sel}${extra}}[$__rate_interval]))`;
  const quantile = (q: number) =>
    `histogram_quantile(${q}, sum by (environment, le) (rate(http_request_duration_seconds_bucket{${sel}}[$__rate_interval])))`;
  return newDashboard('service', ['service', 'golden-signals'])
    .description('Traffic, errors, latency and saturation from the app metrics contract.')
    .variables(serviceVariables('http_requests_total', true))
    .annotation(deploymentAnnotation())
    .link(dashboardLink('slo'))
    .link(dashboardLink('unified'))
    .link(dashboardLink('uptime'))
    .withRow(row('Now'))
    .withPanel(singleStat('Requests per second', 'All requests.', 'reqps', promQuery('A', `sum(rate(http_requests_total{${sel}}[$__rate_interval]))`)))
    .withPanel(
      singleStat('5xx ratio', 'Share of responses with a 5xx status.', 'percentunit',
        promQuery('A', `sum(rate(http_requests_total{${sel}, status=~"5.."}[$__rate_interval])) / sum(rate(http_requests_total{${sel}}[$__rate_interval]))`))
        .thresholds(thresholds([[null, 'green'], [errorRatio, 'red']])),
    )
    .withPanel(singleStat('p95 latency', '95th percentile of request duration.', 's',
      promQuery('A', `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[$__rate_interval])))`)))
    .withPanel(singleStat('In flight', 'Requests being served now.', 'short', promQuery('A', `sum(http_requests_in_progress{${sel}})`)))
    .withRow(row('Traffic and errors'))
    .withPanel(graph('Traffic', 'Requests per second by status class.', 'reqps', [
      promQuery('A', `sum by (environment, status) (rate(http_requests_total{${sel}}[$__rate_interval]))`, '{{environment}} {{status}}'),
    ]))
    .withPanel(
      graph('Errors', 'Share of 5xx responses, against the App5xxRatioHigh threshold.', 'percentunit', [
        promQuery('A', `${rate(', status=~"5.."')} / ${rate()}`, '{{environment}}'),
      ]).thresholds(thresholds([[null, 'green'], [errorRatio, 'red']])),
    )
    .withRow(row('Latency and saturation'))
    .withPanel(graph('Latency', 'p50, p95 and p99 of request duration.', 's', [
      promQuery('A', quantile(0.5), 'p50 {{environment}}'),
      promQuery('B', quantile(0.95), 'p95 {{environment}}'),
      promQuery('C', quantile(0.99), 'p99 {{environment}}'),
      promQuery('D', `sum by (environment) (rate(http_request_duration_seconds_sum{${sel}}[$__rate_interval])) / sum by (environment) (rate(http_request_duration_seconds_count{${sel}}[$__rate_interval]))`, 'mean {{environment}}'),
    ]))
    .withPanel(graph('Saturation', 'Requests in flight.', 'short', [
      promQuery('A', `sum by (environment) (http_requests_in_progress{${sel}})`, '{{environment}}'),
    ]))
    .build();
}
