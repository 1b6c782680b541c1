import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filterSchema, generateGrafanaBinding, GRAFANA_PROVIDER, GRAFANA_RESOURCES, SCHEMA_FILE } from '../../scripts/generate-grafana-binding';

/** The provider's own resource schemas at the newest tag GRAFANA_PROVIDER.version admits (scripts/grafana-provider-allowlist.sh). */
const PROVIDER_SOURCE = JSON.parse(readFileSync(join(__dirname, '../scale/allowlists/terraform-provider-grafana.json'), 'utf8')) as {
  constraint: string;
  tag: string;
  commit: string;
  resources: Record<string, { file: string; attributes: string[] }>;
};

/**
 * How the stored schema's resources differ from the provider's source: attributes and blocks the schema has that
 * the provider does not declare, and ones the provider declares that the schema lacks (`id` is implicit in SDKv2).
 */
function driftFromProviderSource(resourceSchemas: Record<string, { block: { attributes?: object; block_types?: object } }>): string[] {
  return Object.entries(resourceSchemas).flatMap(([resource, { block }]) => {
    const stored = [...Object.keys(block.attributes ?? {}), ...Object.keys(block.block_types ?? {})].filter((name) => name !== 'id');
    const declared = PROVIDER_SOURCE.resources[resource]?.attributes;
    if (!declared) return [`${resource}: not a resource read from the provider's source`];
    return [
      ...stored.filter((name) => !declared.includes(name)).map((name) => `${resource}.${name}: not declared by the provider at ${PROVIDER_SOURCE.tag}`),
      ...declared
        .filter((name) => !stored.includes(name))
        .map((name) => `${resource}.${name}: declared at ${PROVIDER_SOURCE.tag}, missing from the stored schema`),
    ];
  });
}

describe('Grafana provider binding', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  const provider = schema.provider_schemas['registry.terraform.io/grafana/grafana'];

  it('keeps the provider block and only the resources the stack uses', () => {
    expect(Object.keys(schema.provider_schemas)).toEqual(['registry.terraform.io/grafana/grafana']);
    expect(Object.keys(provider.resource_schemas).sort()).toEqual([...GRAFANA_RESOURCES].sort());
    expect(Object.keys(provider.provider.block.attributes)).toEqual(expect.arrayContaining(['url', 'auth']));
    expect(provider.provider.block.attributes.auth.sensitive).toBe(true);
    expect(filterSchema(schema)).toEqual(schema);
  });

  it('was checked against the provider source at a release its version constraint admits', () => {
    expect(PROVIDER_SOURCE.constraint).toBe(GRAFANA_PROVIDER.version);
    const [, major, minor] = /^~> (\d+)\.(\d+)$/.exec(GRAFANA_PROVIDER.version)!;
    expect(PROVIDER_SOURCE.tag).toMatch(new RegExp(`^v${major}\\.${minor}\\.\\d+$`));
    expect(PROVIDER_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(Object.keys(PROVIDER_SOURCE.resources).sort()).toEqual([...GRAFANA_RESOURCES].sort());
  });

  it("declares each resource's attributes exactly as the provider's source does at that release", () => {
    expect(driftFromProviderSource(provider.resource_schemas)).toEqual([]);
  });

  it('names an attribute renamed in the stored schema, both ways', () => {
    const renamed = JSON.parse(JSON.stringify(provider.resource_schemas));
    renamed.grafana_folder.block.attributes.parent_uid = renamed.grafana_folder.block.attributes.parent_folder_uid;
    delete renamed.grafana_folder.block.attributes.parent_folder_uid;
    expect(driftFromProviderSource(renamed)).toEqual([
      `grafana_folder.parent_uid: not declared by the provider at ${PROVIDER_SOURCE.tag}`,
      `grafana_folder.parent_folder_uid: declared at ${PROVIDER_SOURCE.tag}, missing from the stored schema`,
    ]);
  });

  it('names a resource missing from the schema', () => {
    const without = JSON.parse(JSON.stringify(schema));
    delete without.provider_schemas['registry.terraform.io/grafana/grafana'].resource_schemas.grafana_folder;
    expect(() => filterSchema(without)).toThrow('schema of registry.terraform.io/grafana/grafana has no resource grafana_folder');
  });

  it('generates typed classes that pin the version constraint, offline', async () => {
    const out = mkdtempSync(join(tmpdir(), 'grafana-binding-'));
    try {
      await generateGrafanaBinding(SCHEMA_FILE, out);
      const providerSource = readFileSync(join(out, 'providers/grafana/provider/index.ts'), 'utf8');
      expect(providerSource).toContain(`providerVersionConstraint: '${GRAFANA_PROVIDER.version}'`);
      expect(providerSource).toContain(`terraformProviderSource: '${GRAFANA_PROVIDER.source}'`);
      expect(readFileSync(join(out, 'providers/grafana/dashboard/index.ts'), 'utf8')).toContain('export class Dashboard extends cdktf.TerraformResource');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
