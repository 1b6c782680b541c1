import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

describe("GIVEN the project's own shell scripts", () => {
  it.each(['.ci/run'])('THEN shellcheck finds nothing in %s', (script) => {
    const result = spawnSync('shellcheck', ['--severity=style', join(ROOT, script)], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
