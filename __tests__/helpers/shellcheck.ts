import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs shellcheck (bash, every severity) on a script's content; status 0 and no output mean clean. */
export function shellcheck(name: string, content: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lgtm-sc-'));
  try {
    const file = join(dir, name);
    writeFileSync(file, content);
    const result = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '--format=gcc', file], { encoding: 'utf8', timeout: 30000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
