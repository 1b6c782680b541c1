import type { StaticAlertDefinition } from '../alerting/alert-definition';
import { PlatformConfigError } from '../config/errors';
import { isKnownMetric } from '../grafana/metric-catalog';

/**
 * Every metric an alert reads is produced by something on the platform (an exporter, the app contract, a
 * recording rule), checked against the one metric catalog that also guards the dashboards.
 */
export function checkAlertMetrics(alerts: readonly StaticAlertDefinition[]): void {
  for (const alert of alerts)
    for (const metric of alert.reads)
      if (!isKnownMetric(metric))
        throw new PlatformConfigError(
          `lib/alerting/packs/${alert.group}.ts`,
          `${alert.name}.reads`,
          `metric ${JSON.stringify(metric)}, which nothing on the platform produces`,
          'name a metric of lib/grafana/metric-catalog.ts, or add its producer there',
        );
}
