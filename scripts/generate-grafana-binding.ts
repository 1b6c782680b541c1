/**
 * Generates the typed CDKTF binding of the Grafana Terraform provider into `lib/generated/providers/grafana`, offline.
 *
 * `cdktf get` would download the provider to read its schema; we keep the schema in the repository instead
 * (`providers/grafana-provider-schema.json`, the output of `terraform providers schema -json` filtered to the
 * provider block and the resources we use) and run the same generator over it. Runs on `npm ci` (postinstall).
 *
 *   npx tsx scripts/generate-grafana-binding.ts                      # (re)generate lib/generated/providers/grafana
 *   npx tsx scripts/generate-grafana-binding.ts --refresh-from FULL  # re-filter a full provider schema first
 *
 * To use another resource, add it to GRAFANA_RESOURCES and run with `--refresh-from` on the full schema.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CodeMaker, TerraformProviderConstraint, TerraformProviderGenerator } from '@cdktf/provider-generator';

/** The provider and the version constraint written into `required_providers`. */
export const GRAFANA_PROVIDER = { source: 'grafana/grafana', version: '~> 4.45' } as const;
/** Resource types the Grafana stack uses; the binding contains these and the provider block only. */
export const GRAFANA_RESOURCES = ['grafana_data_source', 'grafana_folder', 'grafana_dashboard'] as const;
/** Data sources the Grafana stack reads (none so far). */
export const GRAFANA_DATA_SOURCES: readonly string[] = [];

const ROOT = resolve(__dirname, '..');
export const SCHEMA_FILE = join(ROOT, 'providers', 'grafana-provider-schema.json');
/** The generator writes `providers/<name>/` under this directory. */
export const OUT_DIR = join(ROOT, 'lib', 'generated');
const FQPN = `registry.terraform.io/${GRAFANA_PROVIDER.source}`;

interface ProviderSchemaFile {
  format_version: string;
  provider_schemas: Record<string, { provider: unknown; resource_schemas?: Record<string, unknown>; data_source_schemas?: Record<string, unknown> }>;
}

/** Keeps the provider block and the listed resources and data sources; fails naming whatever is missing. */
export function filterSchema(full: ProviderSchemaFile): ProviderSchemaFile {
  const provider = full.provider_schemas[FQPN];
  if (!provider) throw new Error(`schema has no provider ${FQPN}; found ${Object.keys(full.provider_schemas).join(', ')}`);
  const pick = (from: Record<string, unknown> | undefined, names: readonly string[], what: string) =>
    Object.fromEntries(
      names.map((name) => {
        if (!from?.[name]) throw new Error(`schema of ${FQPN} has no ${what} ${name}`);
        return [name, from[name]];
      }),
    );
  return {
    format_version: full.format_version,
    provider_schemas: {
      [FQPN]: {
        provider: provider.provider,
        resource_schemas: pick(provider.resource_schemas, GRAFANA_RESOURCES, 'resource'),
        data_source_schemas: pick(provider.data_source_schemas, GRAFANA_DATA_SOURCES, 'data source'),
      },
    },
  };
}

/**
 * Writes the binding. `generateProviderBindingsFromSchema` (the package's offline entry point) is a thin wrapper
 * over TerraformProviderGenerator that generates with no version constraint; we call the generator with the
 * constraint `cdktf get` would pass for `grafana/grafana@~> 4.45`, so the provider class pins it in
 * `required_providers`.
 */
export async function generateGrafanaBinding(schemaFile = SCHEMA_FILE, outDir = OUT_DIR): Promise<void> {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as ConstructorParameters<typeof TerraformProviderGenerator>[1];
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, schema);
  const constraint = new TerraformProviderConstraint(`${GRAFANA_PROVIDER.source}@${GRAFANA_PROVIDER.version}`);
  // The generator reads name/source/version of its target (cdktf's ConstructsMakerProviderTarget wraps exactly
  // this constraint); the wrapper class lives in @cdktf/commons, which is not our dependency.
  const target = { constraint, name: constraint.name, source: constraint.source, version: constraint.version };
  generator.generate(target as unknown as Parameters<TerraformProviderGenerator['generate']>[0]);
  rmSync(join(outDir, 'providers', 'grafana'), { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await generator.save(outDir);
}

async function main(argv: string[]): Promise<void> {
  const refresh = argv.indexOf('--refresh-from');
  if (refresh >= 0) {
    const full = JSON.parse(readFileSync(argv[refresh + 1], 'utf8')) as ProviderSchemaFile;
    writeFileSync(SCHEMA_FILE, `${JSON.stringify(filterSchema(full), null, 2)}\n`);
    console.log(`wrote ${SCHEMA_FILE}`);
  }
  await generateGrafanaBinding();
  console.log(`generated the Grafana provider binding in ${join(OUT_DIR, 'providers', 'grafana')}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
