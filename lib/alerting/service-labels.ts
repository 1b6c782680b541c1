import type { ServiceConfig } from '../config/schema';
import { infoSeriesGroup } from '../promql/info-series';
import type { RuleGroup } from '../promql/rule-types';

/**
 * The routing labels a service puts on every alert about it: its `labels` and its `team`. SLO alerts set them
 * as rule labels (lib/slo/slo-rules.ts); the probe and app alerts cover all services in one rule, so they join
 * them from one info series per service instead.
 */
export function serviceAlertLabels(service: ServiceConfig): Record<string, string> {
  return { ...service.labels, ...(service.team !== undefined ? { team: service.team } : {}) };
}

/** One series per configured service, value 1, labelled `service` and its routing labels. */
export const SERVICE_ALERT_LABELS_SERIES = 'lgtm:service_alert_labels:info';

/** The routing label names any service sets, `team` first: what the join copies. */
function routingLabelNames(services: readonly ServiceConfig[]): string[] {
  const names = new Set(services.flatMap((service) => Object.keys(serviceAlertLabels(service))));
  return [...names].sort((a, b) => (a === 'team' ? -1 : b === 'team' ? 1 : a.localeCompare(b)));
}

/**
 * The rule group recording SERVICE_ALERT_LABELS_SERIES, or none when no service sets a routing label. Every
 * service has its series, with or without labels, so the join never drops an alert of a configured service.
 */
export function serviceAlertLabelsGroup(services: readonly ServiceConfig[]): RuleGroup | undefined {
  if (routingLabelNames(services).length === 0) return undefined;
  return infoSeriesGroup(
    'service-alert-labels',
    SERVICE_ALERT_LABELS_SERIES,
    services.map((service) => ({ service: service.name, ...serviceAlertLabels(service) })),
  );
}

/**
 * An alert expression whose results carry `service`, joined with the services' routing labels (its value kept:
 * the info series is 1). Unchanged when no service sets one.
 */
export function withServiceAlertLabels(expr: string, services: readonly ServiceConfig[]): string {
  const names = routingLabelNames(services);
  if (names.length === 0) return expr;
  return `(${expr}) * on (service) group_left (${names.join(', ')}) ${SERVICE_ALERT_LABELS_SERIES}`;
}
