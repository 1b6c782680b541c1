import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize, type Summary } from './stats';

/** Wall time and peak memory of one finished command, as the kernel accounted them. */
export interface ProcessRun {
  readonly wallSeconds: number;
  /** Peak resident set of the largest single process of the command's tree, MiB. */
  readonly peakRssMiB: number;
}

export interface ProcessSummary {
  readonly wallSeconds: Summary;
  readonly peakRssMiB: Summary;
}

const GNU_TIME = '/usr/bin/time';

/** Throws with the install hint when GNU time is missing (the bench reads peak RSS from it). */
export function requireGnuTime(): void {
  if (!existsSync(GNU_TIME)) throw new Error('npm run bench needs GNU time at /usr/bin/time (Debian: apt-get install time)');
}

/**
 * Runs `command args` once under GNU time and returns its wall time and peak RSS (`%e %M`: the maximum
 * resident set of the largest process the command waited for). Throws with the command's output when it fails.
 */
export function runMeasured(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): ProcessRun {
  requireGnuTime();
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  try {
    const out = join(dir, 'time');
    const result = spawnSync(GNU_TIME, ['-f', '%e %M', '-o', out, command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      encoding: 'utf8',
      timeout: options.timeoutMs ?? 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw result.error;
    if (result.status !== 0) {
      // the reason comes last, after any warnings and progress output: keep the end of each stream
      const tail = (text: string) => (text.length > 3000 ? `…${text.slice(-3000)}` : text);
      throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${tail(result.stdout)}\n${tail(result.stderr)}`);
    }
    const [wall, kib] = readFileSync(out, 'utf8').trim().split(/\s+/).map(Number);
    return { wallSeconds: wall, peakRssMiB: kib / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One unmeasured warm-up run of each command, then `runs` rounds in which every command runs once, in turn
 * (A B C A B C ...), so that a slow spell of a shared machine falls on all of them alike. Summaries in the
 * order of `commands`.
 */
export function measureInTurn(runs: number, commands: readonly (() => ProcessRun)[]): ProcessSummary[] {
  for (const run of commands) run();
  const results: ProcessRun[][] = commands.map(() => []);
  for (let round = 0; round < runs; round++) commands.forEach((run, i) => results[i].push(run()));
  return results.map((rs) => ({ wallSeconds: summarize(rs.map((r) => r.wallSeconds)), peakRssMiB: summarize(rs.map((r) => r.peakRssMiB)) }));
}
