import type { StaticAlertDefinition } from '../alerting/alert-definition';
import { PlatformInternalError } from '../config/errors';
import { isKnownMetric } from '../grafana/metric-catalog';

/**
 * Every metric an alert reads is produced by something on the platform (an exporter, the app contract, a
 * recording rule), checked against the one metric catalog that also guards the dashboards. The alerts are the
 * library's own, so a miss is its bug (PlatformInternalError), every miss listed with the pack file it is in.
 */
export function checkAlertMetrics(alerts: readonly StaticAlertDefinition[]): void {
  const problems = alerts.flatMap((alert) =>
    alert.reads
      .filter((metric) => !isKnownMetric(metric))
      .map(
        (metric) =>
          `${alert.name} (lib/alerting/packs/${alert.group}.ts) reads metric ${JSON.stringify(metric)}, which nothing on the platform produces (lib/grafana/metric-catalog.ts names no producer)`,
      ),
  );
  if (problems.length > 0) throw new PlatformInternalError('lib/alerting/packs', problems);
}
