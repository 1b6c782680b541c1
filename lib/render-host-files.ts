import { renderAlertmanagerFiles } from './alerting/alertmanager-config';
import { renderDoraExporterFiles } from './dora/dora-exporter-files';
import { renderPrometheusFiles } from './prometheus/rule-files';
import type { HostContext, HostFile } from './shared/host-file';
import { renderHostRuntimeFiles } from './host/runtime-files';
import { renderGrafanaFiles } from './host/grafana-ini';
import { renderLokiFiles } from './telemetry/loki';
import { renderTempoFiles } from './telemetry/tempo';
import { PlatformInternalError } from './config/errors';
import { hostFileOwnerProblems } from './host/services';
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
    ...renderHostRuntimeFiles(model, context),
    ...renderGrafanaFiles(config, context),
    ...renderLokiFiles(config, context),
    ...renderTempoFiles(config, context),
    ...renderOtelcolFiles(config),
  ];
  // The renderers are the library's: a relative or doubled path is its bug, never the description's.
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (!file.path.startsWith('/')) problems.push(`host file path must be absolute: ${file.path}`);
    if (seen.has(file.path)) problems.push(`two renderers produce ${file.path}`);
    seen.add(file.path);
  }
  // A file no service descriptor owns would reach the host unvalidated, its program never restarted.
  problems.push(...hostFileOwnerProblems(files));
  if (problems.length > 0) throw new PlatformInternalError('lib/render-host-files.ts', problems);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
