import * as common from '@grafana/grafana-foundation-sdk/common';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as nodegraph from '@grafana/grafana-foundation-sdk/nodegraph';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as tempo from '@grafana/grafana-foundation-sdk/tempo';
import type { PlatformConfig } from '../config/schema';
import { dataSourceRef } from '../contracts/data-sources';
import { dashboardLink, deploymentAnnotation, graph, logQuery, newDashboard, promQuery, row, serviceVariables, traceQuery, type Dashboard } from './common';

/** Metrics, logs and traces of one service side by side, with deploy markers. Variables: `service`, `environment`. */
export function unifiedDashboard(_config: PlatformConfig): Dashboard {
  const sel = 'service="$service", environment=~"$environment"';
  return newDashboard('unified', ['service', 'logs', 'traces'])
    .description('One service across metrics (Prometheus), logs (Loki) and traces (Tempo). Trace IDs in logs and exemplars link to Tempo.')
    .variables(serviceVariables('http_requests_total', true))
    .annotation(deploymentAnnotation())
    .link(dashboardLink('service'))
    .link(dashboardLink('slo'))
    .withRow(row('Metrics'))
    .withPanel(
      graph(
        'Requests per second',
        'Traffic by environment; exemplars link to traces.',
        'reqps',
        [promQuery('A', `sum by (environment) (rate(http_requests_total{${sel}}[$__rate_interval]))`, '{{environment}}')],
        8,
      ),
    )
    .withPanel(
      graph(
        '5xx ratio',
        'Share of 5xx responses.',
        'percentunit',
        [
          promQuery(
            'A',
            `sum by (environment) (rate(http_requests_total{${sel}, status=~"5.."}[$__rate_interval])) / sum by (environment) (rate(http_requests_total{${sel}}[$__rate_interval]))`,
            '{{environment}}',
          ),
        ],
        8,
      ),
    )
    .withPanel(
      graph(
        'p95 latency',
        '95th percentile of request duration; exemplars link to traces.',
        's',
        [
          promQuery(
            'A',
            `histogram_quantile(0.95, sum by (environment, le) (rate(http_request_duration_seconds_bucket{${sel}}[$__rate_interval])))`,
            '{{environment}}',
          ).exemplar(true),
        ],
        8,
      ),
    )
    .withPanel(
      graph('Span rate by operation', 'From Tempo span metrics: spans per second by span name.', 'ops', [
        promQuery('A', `sum by (span_name) (rate(traces_spanmetrics_calls_total{service="$service"}[$__rate_interval]))`, '{{span_name}}'),
      ]),
    )
    .withPanel(
      graph('Calls to dependencies', 'From the Tempo service graph: requests from this service to others.', 'reqps', [
        promQuery('A', `sum by (server) (rate(traces_service_graph_request_total{client="$service"}[$__rate_interval]))`, '{{server}}'),
        promQuery('B', `sum by (server) (rate(traces_service_graph_request_failed_total{client="$service"}[$__rate_interval]))`, 'failed {{server}}'),
      ]),
    )
    .withRow(row('Logs and traces'))
    .withPanel(
      new logs.PanelBuilder()
        .title('Logs')
        .description("The service's logs; trace IDs are links to the trace in Tempo.")
        .datasource(dataSourceRef('loki'))
        .withTarget(logQuery('A', '{service_name="$service", deployment_environment=~"$environment|"}'))
        .span(12)
        .height(14)
        .showTime(true)
        .wrapLogMessage(true)
        .enableLogDetails(true)
        .sortOrder(common.LogsSortOrder.Descending),
    )
    .withPanel(
      new table.PanelBuilder()
        .title('Recent traces')
        .description('Latest traces of the service; click a trace ID to open it.')
        .datasource(dataSourceRef('tempo'))
        .withTarget(traceQuery('A', '{ resource.service.name = "$service" }'))
        .span(12)
        .height(14),
    )
    .withPanel(
      new table.PanelBuilder()
        .title('Slow and failed traces')
        .description('Traces with an error status or slower than one second.')
        .datasource(dataSourceRef('tempo'))
        .withTarget(traceQuery('A', '{ resource.service.name = "$service" && (status = error || duration > 1s) }'))
        .span(12)
        .height(10),
    )
    .withPanel(
      new nodegraph.PanelBuilder()
        .title('Service map')
        .description('Who calls whom, from the Tempo service graph.')
        .datasource(dataSourceRef('tempo'))
        .withTarget(new tempo.DataqueryBuilder().datasource(dataSourceRef('tempo')).refId('A').queryType('serviceMap').serviceMapQuery('{client="$service"}'))
        .span(12)
        .height(10),
    )
    .build();
}
