import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/** A tiny project with the runner, an entry and one module it imports. */
function project() {
  const dir = mkdtempSync(join(tmpdir(), 'run-ts-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'lib'));
  copyFileSync(join(ROOT, 'scripts/run-ts.cjs'), join(dir, 'scripts/run-ts.cjs'));
  writeFileSync(join(dir, 'package.json'), '{"name":"tiny","private":true}\n');
  writeFileSync(join(dir, 'lib/answer.ts'), 'export const answer: number = 41;\n');
  writeFileSync(join(dir, 'entry.ts'), "import { answer } from './lib/answer';\nconsole.log(`${answer} ${process.argv.slice(2).join(' ')}`);\n");
  const run = () =>
    spawnSync('node', ['scripts/run-ts.cjs', 'entry.ts', '--flag', 'value'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
    });
  const bundleTime = () => statSync(join(dir, 'node_modules/.cache/lgtm-platform/entry_ts.cjs')).mtimeMs;
  return { dir, run, bundleTime };
}

describe('GIVEN the TypeScript runner the app and render CLI use', () => {
  it('WHEN run THEN the entry gets its own arguments, and an unchanged project reuses the bundle', () => {
    const { run, bundleTime } = project();
    expect(run().stdout).toBe('41 --flag value\n');
    const first = bundleTime();
    expect(run().stdout).toBe('41 --flag value\n');
    expect(bundleTime()).toBe(first);
  });

  it('WHEN an imported file changes THEN the next run rebuilds and sees the change', () => {
    const { dir, run } = project();
    expect(run().stdout).toBe('41 --flag value\n');
    writeFileSync(join(dir, 'lib/answer.ts'), 'export const answer: number = 42;\n');
    expect(run().stdout).toBe('42 --flag value\n');
  });
});
