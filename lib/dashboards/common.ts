/**
 * Shared building blocks for the dashboards: typed query builders bound to our fixed data-source UIDs, the
 * template variables every service dashboard takes, and a few panel shorthands. No dashboard JSON is written by
 * hand; everything goes through @grafana/grafana-foundation-sdk builders.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as tempo from '@grafana/grafana-foundation-sdk/tempo';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import { DASHBOARDS, type DashboardKey } from '../contracts/dashboards';
import { dataSourceRef } from '../contracts/data-sources';
import { DORA_METRICS } from '../dora/exporter/metric-names';

export type Dashboard = dashboard.Dashboard;

/** A dashboard under construction, with its fixed UID and title from lib/contracts/dashboards.ts. */
export function newDashboard(key: DashboardKey, tags: string[]): dashboard.DashboardBuilder {
  const ref = DASHBOARDS[key];
  return new dashboard.DashboardBuilder(ref.title)
    .uid(ref.uid)
    .tags(['lgtm', ...tags])
    .editable()
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair);
}

/** A PromQL target against the platform's Prometheus. */
export function promQuery(refId: string, expr: string, legendFormat = '__auto'): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().datasource(dataSourceRef('prometheus')).refId(refId).expr(expr).legendFormat(legendFormat);
}

/** A PromQL target evaluated once at the end of the range (stat panels, tables). */
export function promInstant(refId: string, expr: string, legendFormat = '__auto'): prometheus.DataqueryBuilder {
  return promQuery(refId, expr, legendFormat).instant().format(prometheus.PromQueryFormat.Table);
}

/** A LogQL target against Loki. */
export function logQuery(refId: string, expr: string): loki.DataqueryBuilder {
  return new loki.DataqueryBuilder().datasource(dataSourceRef('loki')).refId(refId).expr(expr).queryType('range');
}

/** A TraceQL search against Tempo. */
export function traceQuery(refId: string, query: string, limit = 20): tempo.DataqueryBuilder {
  return new tempo.DataqueryBuilder()
    .datasource(dataSourceRef('tempo'))
    .refId(refId)
    .queryType('traceql')
    .query(query)
    .limit(limit)
    .tableType(tempo.SearchTableType.Traces);
}

/** A Prometheus query variable reading one label's values from a metric (optionally filtered); multi-value ones offer "All". */
export function labelVariable(
  name: string,
  label: string,
  selector: string,
  options: { multi?: boolean; labelText?: string; allValue?: string | null } = {},
): dashboard.QueryVariableBuilder {
  const definition = `label_values(${selector}, ${label})`;
  const variable = new dashboard.QueryVariableBuilder(name)
    .label(options.labelText ?? name)
    .datasource(dataSourceRef('prometheus'))
    .query(definition)
    .definition(definition)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (options.multi) {
    variable.multi(true).includeAll(true);
    // `.+` keeps "All" queries short; a repeated row needs the real values instead (allValue: null).
    if (options.allValue !== null) variable.allValue(options.allValue ?? '.+');
  }
  return variable;
}

/** `service` and `environment` variables read from the app and probe series (labels attached at scrape time). */
export function serviceVariables(metric: string, environmentMulti: boolean): dashboard.QueryVariableBuilder[] {
  return [
    labelVariable('service', 'service', metric, { labelText: 'Service' }),
    labelVariable('environment', 'environment', `${metric}{service="$service"}`, { multi: environmentMulti, labelText: 'Environment' }),
  ];
}

/** Thresholds from green upwards: `[[value, color], ...]`. */
export function thresholds(steps: Array<[number | null, string]>): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value: value as number, color })));
}

/** A time series panel with its targets. */
export function graph(
  title: string,
  description: string,
  unit: string,
  targets: prometheus.DataqueryBuilder[],
  width = 12,
  height = 8,
): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(dataSourceRef('prometheus'))
    .unit(unit)
    .targets(targets)
    .span(width)
    .height(height)
    .fillOpacity(10)
    .lineWidth(1)
    .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).showLegend(true));
}

/** A single-value panel showing the last value of its target. */
export function singleStat(title: string, description: string, unit: string, target: prometheus.DataqueryBuilder, width = 6, height = 4): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(dataSourceRef('prometheus'))
    .unit(unit)
    .withTarget(target)
    .span(width)
    .height(height)
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

/** A full-width row header (expanded; the panels after it belong to it). */
export function row(title: string): dashboard.RowBuilder {
  return new dashboard.RowBuilder(title).collapsed(false);
}

/** A link to another platform dashboard carrying the current variables and time range. */
export function dashboardLink(key: DashboardKey): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder(DASHBOARDS[key].title)
    .type(dashboard.DashboardLinkType.Link)
    .url(`/d/${DASHBOARDS[key].uid}`)
    .includeVars(true)
    .keepTime(true)
    .icon('dashboard');
}

/**
 * Error budget policies in force (the SLOErrorBudgetPolicy alert firing) as annotations, titled with the SLO
 * and the policy's action: on the SLO dashboard for the selected service, on the DORA dashboard for all, so a
 * deploy freeze shows where deploys and budgets are read. `matchers`: extra matchers, e.g. the service's.
 */
export function budgetPolicyAnnotation(...matchers: string[]): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Error budget policy')
    .datasource(dataSourceRef('prometheus'))
    .enable(true)
    .iconColor('orange')
    .expr(`ALERTS{${['alertname="SLOErrorBudgetPolicy"', 'alertstate="firing"', ...matchers].join(', ')}}`)
    .step('1m')
    .titleFormat('Budget policy: {{service}} {{slo}}')
    .textFormat('{{budget_policy}} ({{environment}})')
    .tagKeys('service,environment,slo');
}

/**
 * Deploys as annotations: a marker wherever the DORA exporter counted a successful deploy to the selected
 * environment. Shared by every dashboard that shows a service over time.
 */
export function deploymentAnnotation(): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Deployments')
    .datasource(dataSourceRef('prometheus'))
    .enable(true)
    .iconColor('blue')
    .expr(`sum by (repo, environment) (increase(${DORA_METRICS.deployments}{environment=~"$environment"}[$__interval])) > 0`)
    .step('1m')
    .titleFormat('Deploy {{repo}}')
    .textFormat('{{environment}}')
    .tagKeys('repo,environment');
}
