import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The readers that write the allowlists (scripts/config-keys-from-source: Go struct tags, flag registrations, ini
 * sections, Terraform resource schemas) have Go tests of their own; this runs them with the machine's Go toolchain.
 */
describe('GIVEN the allowlist readers in scripts/config-keys-from-source', () => {
  it('WHEN their Go tests run THEN they pass (the ini reader keeps sections and keys only, the schema reader the outermost resource)', () => {
    const result = spawnSync('go', ['test', '-count=1', './...'], {
      cwd: join(__dirname, '../../scripts/config-keys-from-source'),
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(result.error).toBeUndefined();
    expect([result.status, `${result.stdout}${result.stderr}`]).toEqual([0, expect.stringMatching(/^ok\s+lgtm-platform\/config-keys-from-source/m)]);
  }, 320_000);
});
