import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformJsonSchema, platformJsonSchemaObject } from '../../lib/config/json-schema';
import { SCHEMA_DOCS, forEachProperty, renderConfigurationMarkdown } from '../../lib/config/schema-docs';
import { extractSchemaDocs } from '../../scripts/schema-docs-extract';

describe('GIVEN the editor schema shipped beside the default config', () => {
  it('THEN it is what the zod schema produces now (run `npm run config-schema` after changing the schema)', () => {
    expect(readFileSync(join(__dirname, '../../config/platform.schema.json'), 'utf8')).toBe(platformJsonSchema());
  });

  it('THEN it lists every top-level key and forbids unknown ones, as the loader does', () => {
    const schema = JSON.parse(platformJsonSchema());
    expect(Object.keys(schema.properties).sort()).toEqual([
      'alerting',
      'distributed',
      'dora',
      'grafana',
      'host',
      'name',
      'policy',
      'region',
      'rules',
      'scale',
      'scrapeJobs',
      'services',
      'tags',
      'terraformState',
    ]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'region', 'host', 'services', 'alerting']));
  });
});

describe("GIVEN the key docs generated from the schema's JSDoc", () => {
  it('THEN schema-docs.json is the JSDoc of lib/config/schema.ts now (run `npm run config-schema` after changing it)', () => {
    expect(SCHEMA_DOCS).toEqual(extractSchemaDocs());
    expect(SCHEMA_DOCS['host.subnetId'].description).toMatch(/^Subnet to launch in/);
    expect(SCHEMA_DOCS['services[].slos[].objective']).toBeDefined();
  });

  it('THEN the editor schema describes each key, defaults included', () => {
    const schema = JSON.parse(platformJsonSchema());
    expect(schema.properties.host.properties.dataVolumeGiB.description).toBe(
      'Size of the encrypted data volume holding metrics, logs and traces. Default: 50.',
    );
  });

  it('THEN docs/configuration.md is the reference rendered from them, every key of the JSON schema a row', () => {
    const text = readFileSync(join(__dirname, '../../docs/configuration.md'), 'utf8');
    expect(text).toBe(renderConfigurationMarkdown(platformJsonSchemaObject()));
    const paths: string[] = [];
    forEachProperty(platformJsonSchemaObject(), (path) => paths.push(path));
    for (const path of paths) expect(text).toContain(`| \`${path}\` |`);
    expect(text).toContain('| `host.grafanaAllowedCidrs` | list of string | required |');
  });
});
