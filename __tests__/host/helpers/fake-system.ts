import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_COMMANDS } from '../../../lib/host/script-preamble';

/**
 * A stand-in for every command that touches the real machine (systemctl, useradd, mount, mkfs, blkid, aws,
 * ...): one bash script that logs each call and keeps just enough state in a directory to answer queries
 * the way the real commands would (is-enabled, getent, blkid). S3 and SSM read from local directories.
 */
const FAKE = readFileSync(join(__dirname, 'fake-system.sh'), 'utf8');

/** Every command the host scripts let a test override, and systemd-analyze for the sync's unit checks. */
export const FAKE_COMMANDS = { ...SYSTEM_COMMANDS, SYSTEMD_ANALYZE: 'systemd-analyze' } as const;

export interface FakeSystem {
  readonly dir: string;
  readonly state: string;
  readonly s3: string;
  readonly ssm: string;
  /** Environment that points every LGTM_<CMD> at the fake. */
  readonly env: Record<string, string>;
  /** Calls logged so far, one "cmd args" line each. */
  calls(): string[];
  resetCalls(): void;
}

export function createFakeSystem(base: string): FakeSystem {
  const dir = join(base, 'fake-bin');
  const state = join(base, 'fake-state');
  const s3 = join(base, 'fake-s3');
  const ssm = join(base, 'fake-ssm');
  for (const d of [dir, state, s3, ssm]) mkdirSync(d, { recursive: true });
  const script = join(dir, 'fake');
  writeFileSync(script, FAKE);
  chmodSync(script, 0o755);
  const env: Record<string, string> = { FAKE_STATE: state, FAKE_S3: s3, FAKE_SSM: ssm };
  for (const [key, name] of Object.entries(FAKE_COMMANDS)) {
    const link = join(dir, name);
    if (!existsSync(link)) symlinkSync('fake', link);
    env[`LGTM_${key}`] = link;
  }
  const log = join(state, 'calls.log');
  return {
    dir,
    state,
    s3,
    ssm,
    env,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    resetCalls: () => writeFileSync(log, ''),
  };
}
