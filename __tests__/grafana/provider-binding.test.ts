import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filterSchema, generateGrafanaBinding, GRAFANA_PROVIDER, GRAFANA_RESOURCES, SCHEMA_FILE } from '../../scripts/generate-grafana-binding';

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
