import type { PlatformConfig } from '../config/schema';
import { conventionsInUse, serverErrorMatcher, type MetricConvention } from '../slo/conventions';
import { dashboardLink, deploymentAnnotation, graph, newDashboard, promQuery, row, serviceVariables, singleStat, thresholds, type Dashboard } from './common';

/** The four golden signals of one service from the app contract metrics. Variables: `service`, `environment`. */
export function serviceDashboard(config: PlatformConfig): Dashboard {
  const errorRatio = config.alerting.thresholds.app5xxPercent / 100;
  const sel = 'service="$service", environment=~"$environment"';
  const conventions = conventionsInUse(config.services);
  // one query per metric convention in use, joined by `or`: a service's series exist under one of them only
  const each = (query: (c: MetricConvention) => string | undefined) => {
    const parts = conventions.map(query).filter((q): q is string => q !== undefined);
    return parts.length === 1 ? parts[0] : parts.map((q) => `(${q})`).join(' or ');
  };
  const requests = (c: MetricConvention, extra = '') => `rate(${c.requests}{${sel}${extra}}[$__rate_interval])`;
  const serverErrors = (c: MetricConvention) => `, ${serverErrorMatcher(c)}`;
  const byStatus = (c: MetricConvention) =>
    c.statusLabel === 'status' ? requests(c) : `label_replace(${requests(c)}, "status", "$1", ${JSON.stringify(c.statusLabel)}, "(.*)")`;
  const rate = (c: MetricConvention, extra = '') => `sum by (environment) (${requests(c, extra)})`;
  const quantile = (q: number) =>
    each((c) => `histogram_quantile(${q}, sum by (environment, le) (rate(${c.durationHistogram}_bucket{${sel}}[$__rate_interval])))`);
  return newDashboard('service', ['service', 'golden-signals'])
    .description('Traffic, errors, latency and saturation from the app metrics contract.')
    .variables(serviceVariables(conventions[0].requests, true))
    .annotation(deploymentAnnotation())
    .link(dashboardLink('slo'))
    .link(dashboardLink('unified'))
    .link(dashboardLink('uptime'))
    .withRow(row('Now'))
    .withPanel(
      singleStat(
        'Requests per second',
        'All requests.',
        'reqps',
        promQuery(
          'A',
          each((c) => `sum(${requests(c)})`),
        ),
      ),
    )
    .withPanel(
      singleStat(
        '5xx ratio',
        'Share of responses with a 5xx status.',
        'percentunit',
        promQuery(
          'A',
          each((c) => `sum(${requests(c, serverErrors(c))}) / sum(${requests(c)})`),
        ),
      ).thresholds(
        thresholds([
          [null, 'green'],
          [errorRatio, 'red'],
        ]),
      ),
    )
    .withPanel(
      singleStat(
        'p95 latency',
        '95th percentile of request duration.',
        's',
        promQuery(
          'A',
          each((c) => `histogram_quantile(0.95, sum by (le) (rate(${c.durationHistogram}_bucket{${sel}}[$__rate_interval])))`),
        ),
      ),
    )
    .withPanel(
      singleStat(
        'In flight',
        'Requests being served now.',
        'short',
        promQuery(
          'A',
          each((c) => c.inProgress && `sum(${c.inProgress}{${sel}})`),
        ),
      ),
    )
    .withRow(row('Traffic and errors'))
    .withPanel(
      graph('Traffic', 'Requests per second by status class.', 'reqps', [
        promQuery(
          'A',
          each((c) => `sum by (environment, status) (${byStatus(c)})`),
          '{{environment}} {{status}}',
        ),
      ]),
    )
    .withPanel(
      graph('Errors', 'Share of 5xx responses, against the App5xxRatioHigh threshold.', 'percentunit', [
        promQuery(
          'A',
          each((c) => `${rate(c, serverErrors(c))} / ${rate(c)}`),
          '{{environment}}',
        ),
      ]).thresholds(
        thresholds([
          [null, 'green'],
          [errorRatio, 'red'],
        ]),
      ),
    )
    .withRow(row('Latency and saturation'))
    .withPanel(
      graph('Latency', 'p50, p95 and p99 of request duration.', 's', [
        promQuery('A', quantile(0.5), 'p50 {{environment}}'),
        promQuery('B', quantile(0.95), 'p95 {{environment}}'),
        promQuery('C', quantile(0.99), 'p99 {{environment}}'),
        promQuery(
          'D',
          each(
            (c) =>
              `sum by (environment) (rate(${c.durationHistogram}_sum{${sel}}[$__rate_interval])) / sum by (environment) (rate(${c.durationHistogram}_count{${sel}}[$__rate_interval]))`,
          ),
          'mean {{environment}}',
        ),
      ]),
    )
    .withPanel(
      graph('Saturation', 'Requests in flight.', 'short', [
        promQuery(
          'A',
          each((c) => c.inProgress && `sum by (environment) (${c.inProgress}{${sel}})`),
          '{{environment}}',
        ),
      ]),
    )
    .build();
}
