import { renderAlertmanagerFiles } from './alerting/alertmanager-config';
import { renderDoraExporterFiles } from './dora/dora-exporter-files';
import { renderPrometheusFiles } from './prometheus/rule-files';
import type { HostContext, HostFile } from './host/host-file';
import { renderHostRuntimeFiles } from './host/runtime-files';
import { renderGrafanaFiles } from './host/grafana-ini';
import { renderLokiFiles } from './telemetry/loki';
import { renderTempoFiles } from './telemetry/tempo';
import { renderOtelcolFiles } from './telemetry/otelcol';
import type { PlatformModel } from './model/compile';

/**
 * Every file the host receives, rendered from the compiled platform by the pure renderers of each area (those
 * that need nothing derived read its config). Areas register here; the order is irrelevant because the result
 * is sorted by path.
 */
export function renderHostFiles(model: PlatformModel, context: HostContext): HostFile[] {
  const { config } = model;
  const files: HostFile[] = [
    ...renderPrometheusFiles(model, context),
    ...renderAlertmanagerFiles(config, context),
    ...renderDoraExporterFiles(config),
    ...renderHostRuntimeFiles(config, context),
    ...renderGrafanaFiles(config, context),
    ...renderLokiFiles(config, context),
    ...renderTempoFiles(config, context),
    ...renderOtelcolFiles(config),
  ];
  const seen = new Set<string>();
  for (const file of files) {
    if (!file.path.startsWith('/')) throw new Error(`host file path must be absolute: ${file.path}`);
    if (seen.has(file.path)) throw new Error(`two renderers produce ${file.path}`);
    seen.add(file.path);
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
