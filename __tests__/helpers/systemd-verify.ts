import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `systemd-analyze verify` under a temporary root: the unit's executables exist there as stubs, the system's
 * own units are visible through /usr/lib/systemd/system. It exits non-zero for errors and prints warnings for
 * unknown keys and unsafe settings, so both exit status and output are checked.
 */
export function verifyUnits(units: { path: string; content: string }[], stubExecutables = true): { code: number | null; problems: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'lgtm-units-'));
  try {
    mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
    symlinkSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'));
    const paths: string[] = [];
    for (const unit of units) {
      const target = join(root, unit.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, unit.content);
      paths.push(target);
      for (const line of unit.content.split('\n')) {
        const exec = /^Exec(Start|Reload)=(\S+)/.exec(line);
        if (stubExecutables && exec && exec[2].startsWith('/')) {
          const stub = join(root, exec[2]);
          mkdirSync(dirname(stub), { recursive: true });
          writeFileSync(stub, '#!/bin/sh\n');
          chmodSync(stub, 0o755);
        }
      }
    }
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', `--root=${root}`, ...paths], { encoding: 'utf8', timeout: 30000 });
    const problems = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() && !line.startsWith('Failed to resolve symlink'));
    return { code: result.status, problems };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
