/**
 * The Go module of every collector component type the platform's rendered configs name, by config section.
 * scripts/otelcol-manifest.ts builds the test oracle's collector from exactly these (at the pinned
 * otelcol-contrib release); a config naming a type missing here fails that script, so the oracle can never
 * silently lack a component the host's collector is asked to run.
 */
export const OTELCOL_COMPONENT_MODULES = {
  receivers: {
    otlp: 'go.opentelemetry.io/collector/receiver/otlpreceiver',
    journald: 'github.com/open-telemetry/opentelemetry-collector-contrib/receiver/journaldreceiver',
    filelog: 'github.com/open-telemetry/opentelemetry-collector-contrib/receiver/filelogreceiver',
    hostmetrics: 'github.com/open-telemetry/opentelemetry-collector-contrib/receiver/hostmetricsreceiver',
  },
  processors: {
    memory_limiter: 'go.opentelemetry.io/collector/processor/memorylimiterprocessor',
    batch: 'go.opentelemetry.io/collector/processor/batchprocessor',
    resourcedetection: 'github.com/open-telemetry/opentelemetry-collector-contrib/processor/resourcedetectionprocessor',
    resource: 'github.com/open-telemetry/opentelemetry-collector-contrib/processor/resourceprocessor',
    filter: 'github.com/open-telemetry/opentelemetry-collector-contrib/processor/filterprocessor',
    attributes: 'github.com/open-telemetry/opentelemetry-collector-contrib/processor/attributesprocessor',
  },
  exporters: {
    otlp: 'go.opentelemetry.io/collector/exporter/otlpexporter',
    otlphttp: 'go.opentelemetry.io/collector/exporter/otlphttpexporter',
    prometheusremotewrite: 'github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusremotewriteexporter',
  },
  extensions: {
    health_check: 'github.com/open-telemetry/opentelemetry-collector-contrib/extension/healthcheckextension',
    file_storage: 'github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage',
    bearertokenauth: 'github.com/open-telemetry/opentelemetry-collector-contrib/extension/bearertokenauthextension',
  },
} as const satisfies Record<'receivers' | 'processors' | 'exporters' | 'extensions', Record<string, string>>;

export type OtelcolSection = keyof typeof OTELCOL_COMPONENT_MODULES;
export const OTELCOL_SECTIONS = Object.keys(OTELCOL_COMPONENT_MODULES) as OtelcolSection[];

/** Component types (the part of an id before `/`) a parsed collector config defines, by section. */
export function componentTypesOf(doc: Record<string, unknown>): Record<OtelcolSection, Set<string>> {
  const types = Object.fromEntries(OTELCOL_SECTIONS.map((s) => [s, new Set<string>()])) as Record<OtelcolSection, Set<string>>;
  for (const section of OTELCOL_SECTIONS) {
    for (const id of Object.keys((doc[section] as Record<string, unknown> | undefined) ?? {})) types[section].add(id.split('/')[0]);
  }
  return types;
}
