import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as table from '@grafana/grafana-foundation-sdk/table';
import type { PlatformConfig } from '../config/schema';
import { dataSourceRef } from '../contracts/data-sources';
import { CONFIG_SYNC_METRICS, CONFIG_SYNC_SCHEDULE, CONFIG_SYNC_STALE_AFTER_SECONDS, CONFIG_SYNC_STATE_DIR } from '../contracts/config-sync';
import { monitoringHostSelector } from '../contracts/selectors';
import { hostInstanceName } from '../prometheus/scrape-config';
import { dashboardLink, graph, newDashboard, promInstant, promQuery, row, singleStat, thresholds, type Dashboard } from './common';

/** The platform watching itself: scrape targets, Prometheus, Alertmanager, Loki, Tempo and the OTel Collector. */
export function platformDashboard(config: PlatformConfig): Dashboard {
  const upDown: dashboard.ValueMapping[] = [
    { type: dashboard.MappingType.ValueToText, options: { '0': { text: 'DOWN', color: 'red' }, '1': { text: 'UP', color: 'green' } } },
  ];
  const rate = (metric: string, by: string) => `sum by (${by}) (rate(${metric}[$__rate_interval]))`;
  // the config sync alerts' selector, so the panels show exactly what ConfigSyncRefused and ConfigSyncStale read
  const host = monitoringHostSelector(hostInstanceName(config));
  const refused = `${CONFIG_SYNC_METRICS.refused}{${host}} == 1`;
  return newDashboard('platform', ['platform', 'self-monitoring'])
    .description('Health of the LGTM stack on the monitoring host.')
    .link(dashboardLink('host'))
    .withRow(row('Targets'))
    .withPanel(
      new table.PanelBuilder()
        .title('Scrape targets')
        .description('Every scrape target and whether its last scrape succeeded.')
        .datasource(dataSourceRef('prometheus'))
        .withTarget(promInstant('A', 'up', '{{job}} {{instance}}'))
        .mappings(upDown)
        .span(12)
        .height(8),
    )
    .withPanel(
      singleStat('Targets down', 'Scrape targets whose last scrape failed.', 'short', promQuery('A', 'count(up == 0) or vector(0)'), 6, 8).thresholds(
        thresholds([
          [null, 'green'],
          [1, 'red'],
        ]),
      ),
    )
    .withPanel(
      singleStat(
        'Config reloads OK',
        'Prometheus and Alertmanager last reload succeeded (1 = yes).',
        'none',
        promQuery('A', 'min(prometheus_config_last_reload_successful) * min(alertmanager_config_last_reload_successful)'),
        6,
        8,
      ).mappings(upDown),
    )
    .withRow(row('Prometheus and Alertmanager'))
    .withPanel(graph('Head series', 'Active series in the TSDB head.', 'short', [promQuery('A', 'prometheus_tsdb_head_series', 'series')], 8))
    .withPanel(
      graph(
        'Rule evaluation failures',
        'Failed rule evaluations per second by group.',
        'ops',
        [promQuery('A', rate('prometheus_rule_evaluation_failures_total', 'rule_group'), '{{rule_group}}')],
        8,
      ),
    )
    .withPanel(
      graph(
        'Notifications',
        'Alertmanager notifications sent and failed per integration.',
        'ops',
        [
          promQuery('A', rate('alertmanager_notifications_total', 'integration'), 'sent {{integration}}'),
          promQuery('B', rate('alertmanager_notifications_failed_total', 'integration'), 'failed {{integration}}'),
          promQuery('C', 'sum(rate(prometheus_notifications_errors_total[$__rate_interval]))', 'Prometheus → Alertmanager errors'),
        ],
        8,
      ),
    )
    .withRow(row('Telemetry pipeline'))
    .withPanel(
      graph(
        'Collector: accepted',
        'Spans, log records and metric points the OTel Collector accepted per second.',
        'ops',
        [
          promQuery('A', rate('otelcol_receiver_accepted_spans_total', 'receiver'), 'spans {{receiver}}'),
          promQuery('B', rate('otelcol_receiver_accepted_log_records_total', 'receiver'), 'logs {{receiver}}'),
          promQuery('C', rate('otelcol_receiver_accepted_metric_points_total', 'receiver'), 'metric points {{receiver}}'),
        ],
        8,
      ),
    )
    .withPanel(
      graph(
        'Collector: refused and failed',
        'Refused by receivers and failed by exporters, per second.',
        'ops',
        [
          promQuery('A', rate('otelcol_receiver_refused_spans_total', 'receiver'), 'refused spans {{receiver}}'),
          promQuery('B', rate('otelcol_receiver_refused_log_records_total', 'receiver'), 'refused logs {{receiver}}'),
          promQuery('C', rate('otelcol_exporter_send_failed_spans_total', 'exporter'), 'failed spans {{exporter}}'),
          promQuery('D', rate('otelcol_exporter_send_failed_log_records_total', 'exporter'), 'failed logs {{exporter}}'),
          promQuery('E', rate('otelcol_exporter_send_failed_metric_points_total', 'exporter'), 'failed metric points {{exporter}}'),
        ],
        8,
      ),
    )
    .withPanel(
      graph(
        'Loki and Tempo ingest',
        'Log lines and spans received per second.',
        'ops',
        [
          promQuery('A', 'sum(rate(loki_distributor_lines_received_total[$__rate_interval]))', 'Loki lines'),
          promQuery('B', 'sum(rate(tempo_distributor_spans_received_total[$__rate_interval]))', 'Tempo spans'),
        ],
        8,
      ),
    )
    .withPanel(
      graph(
        'Loki streams and Tempo live traces',
        'In-memory streams and live traces.',
        'short',
        [promQuery('A', 'sum(loki_ingester_memory_streams)', 'Loki streams'), promQuery('B', 'sum(tempo_ingester_live_traces)', 'Tempo live traces')],
        24,
      ),
    )
    .withRow(row('Config sync'))
    .withPanel(
      singleStat(
        'Refused config groups',
        'Groups of files in the config bucket that the host refused (ConfigSyncRefused); the last good files keep running.',
        'short',
        promQuery('A', `count(${refused}) or vector(0)`),
        6,
        6,
      ).thresholds(
        thresholds([
          [null, 'green'],
          [1, 'orange'],
        ]),
      ),
    )
    .withPanel(
      new table.PanelBuilder()
        .title('Refused groups')
        .description(`Each refused group: why is in journalctl -u lgtm-sync and ${CONFIG_SYNC_STATE_DIR}/rejected/<group>/reason.txt on the host.`)
        .datasource(dataSourceRef('prometheus'))
        .withTarget(promInstant('A', refused, '{{group}}'))
        .span(12)
        .height(6),
    )
    .withPanel(
      singleStat(
        'Since last config sync',
        'Seconds since the config sync last finished a run (it runs every minute; ConfigSyncStale above the red mark).',
        's',
        promQuery('A', `time() - max(${CONFIG_SYNC_METRICS.lastRun}{${host}})`),
        6,
        6,
      ).thresholds(
        thresholds([
          [null, 'green'],
          [3 * CONFIG_SYNC_SCHEDULE.intervalSeconds, 'orange'],
          [CONFIG_SYNC_STALE_AFTER_SECONDS, 'red'],
        ]),
      ),
    )
    .build();
}
