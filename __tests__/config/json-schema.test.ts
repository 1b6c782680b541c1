import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformJsonSchema } from '../../lib/config/json-schema';

describe('GIVEN the editor schema shipped beside the default config', () => {
  it('THEN it is what the zod schema produces now (run `npm run config-schema` after changing the schema)', () => {
    expect(readFileSync(join(__dirname, '../../config/platform.schema.json'), 'utf8')).toBe(platformJsonSchema());
  });

  it('THEN it lists every top-level key and forbids unknown ones, as the loader does', () => {
    const schema = JSON.parse(platformJsonSchema());
    expect(Object.keys(schema.properties).sort()).toEqual(['alerting', 'distributed', 'dora', 'grafana', 'host', 'name', 'policy', 'region', 'rules', 'scale', 'scrapeJobs', 'services', 'tags', 'terraformState']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'region', 'host', 'services', 'alerting']));
  });
});
