import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { GamedayTestService } from '../../gameday/test-service';
import { waitFor } from '../../bench/processes';
import { ROOT } from './support';

/**
 * The operator scripts of gameday/operator, run for real with fake `curl`, `aws` and `gh` first on PATH (each
 * logs its arguments, one call per line, and answers like the real one), plus one run with the real curl
 * against the game-day test service.
 */
const OPERATOR = join(ROOT, 'gameday', 'operator');
const tmp = mkdtempSync(join(tmpdir(), 'gameday-operator-'));
const bin = join(tmp, 'bin');
const calls = join(tmp, 'calls.log');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FAKES: Record<string, string> = {
  curl: 'exit "${FAKE_CURL_STATUS:-0}"',
  aws: 'echo "cmd-0123"',
  gh: ['case "$1 $2" in', '  "run list") echo 4242 ;;', '  "run watch") sleep "${FAKE_WATCH_SECONDS:-0}"; exit "${FAKE_WATCH_STATUS:-1}" ;;', 'esac'].join(
    '\n',
  ),
};

beforeAll(() => {
  mkdirSync(bin);
  for (const [name, body] of Object.entries(FAKES)) {
    writeFileSync(join(bin, name), `#!/bin/bash\nprintf '%s' "${name}" >> "$CALLS_LOG"; printf ' [%s]' "$@" >> "$CALLS_LOG"; echo >> "$CALLS_LOG"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
});

beforeEach(() => writeFileSync(calls, ''));

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${bin}${delimiter}${process.env.PATH}`,
  CALLS_LOG: calls,
  ...extra,
});
const logged = (): string[] => readFileSync(calls, 'utf8').split('\n').filter(Boolean);

function script(name: string, args: string[], extra: Record<string, string> = {}) {
  const result = spawnSync('bash', [join(OPERATOR, name), ...args], { env: env(extra), encoding: 'utf8', timeout: 30000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts a script, waits until `ready()` holds, sends SIGTERM and returns its exit status and output. */
async function interrupted(name: string, args: string[], ready: () => boolean, extraEnv: Record<string, string> = {}) {
  const child = spawn('bash', [join(OPERATOR, name), ...args], { env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitFor(`${name} to get going`, () => (ready() ? true : undefined), 10000, 50);
  } finally {
    child.kill('SIGTERM');
  }
  return { status: await exited, output };
}

describe('game-day operator scripts', () => {
  it('GIVEN shellcheck THEN every script is clean (following the shared lib)', () => {
    const scripts = readdirSync(OPERATOR).filter((f) => f.endsWith('.sh'));
    expect(scripts.sort()).toEqual(['cpu-pressure.sh', 'failing-workflow.sh', 'latency-toggle.sh', 'lib.sh']);
    const result = spawnSync('shellcheck', ['-x', ...scripts], { cwd: OPERATOR, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  const TARGETS: Array<[string, string[], string]> = [
    ['latency-toggle.sh', ['--url', 'http://staging.example'], '--duration'],
    ['cpu-pressure.sh', ['--instance-id', 'i-0123456789abcdef0'], '--duration'],
    ['failing-workflow.sh', ['--repo', 'acme/anvila-api'], '--timeout'],
  ];

  it.each(TARGETS)('GIVEN environment production THEN %s refuses and calls nothing, unless --force-production', (name, target, limit) => {
    const refused = script(name, [...target, '--environment', 'production', limit, '1s']);
    expect(refused.stderr).toContain('refusing to run against production; pass --force-production');
    expect(refused.status).toBe(2);
    expect(logged()).toEqual([]);
    const forced = script(name, [...target, '--environment', 'production', '--force-production', limit, '1s']);
    expect(forced.stdout).toContain('WARNING: running against production (--force-production)');
    expect(forced.status).toBe(0);
    expect(logged().length).toBeGreaterThan(0);
  });

  it.each(TARGETS)('GIVEN a time limit beyond the hard maximum THEN %s refuses it', (name, target, limit) => {
    const run = script(name, [...target, '--environment', 'staging', limit, '2h']);
    expect(run.stderr).toContain('duration 2h exceeds the hard limit of 1800s');
    expect(run.status).toBe(2);
    expect(logged()).toEqual([]);
  });

  it('latency toggle: sets the fault with the app-side stop armed, and clears it when the time is up', () => {
    const run = script('latency-toggle.sh', ['--url', 'http://staging.example/', '--environment', 'staging', '--latency-ms', '2000', '--duration', '1s']);
    expect(run.status).toBe(0);
    expect(logged()).toEqual([
      'curl [-fsS] [--max-time] [10] [-X] [POST] [http://staging.example/control?latencyMs=2000&errorRate=0&forSeconds=1]',
      'curl [-fsS] [--max-time] [10] [-X] [POST] [http://staging.example/control?reset]',
    ]);
  });

  it('latency toggle: SIGTERM halfway clears the fault at once', async () => {
    const run = await interrupted(
      'latency-toggle.sh',
      ['--url', 'http://staging.example', '--environment', 'staging', '--duration', '5m'],
      () => logged().length === 1,
    );
    expect(run.status).toBe(130);
    expect(logged()[1]).toBe('curl [-fsS] [--max-time] [10] [-X] [POST] [http://staging.example/control?reset]');
  });

  it('latency toggle against the game-day test service (real curl): the fault is set during the game day and cleared after; killed, the app clears it by itself', async () => {
    const app = new GamedayTestService();
    await app.start();
    try {
      const realEnv = { PATH: process.env.PATH! };
      const child = spawn(
        'bash',
        [join(OPERATOR, 'latency-toggle.sh'), '--url', `http://127.0.0.1:${app.port}`, '--environment', 'staging', '--latency-ms', '1500', '--duration', '2s'],
        { env: { ...process.env, ...realEnv }, stdio: 'ignore' },
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await waitFor('the fault to be set', () => (app.faults.latencyMs === 1500 ? true : undefined), 10000, 20);
      expect(await exited).toBe(0);
      expect(app.faults).toEqual({ latencyMs: 0, errorRate: 0 });

      const killed = spawn(
        'bash',
        [
          join(OPERATOR, 'latency-toggle.sh'),
          '--url',
          `http://127.0.0.1:${app.port}`,
          '--environment',
          'staging',
          '--error-rate',
          '1',
          '--latency-ms',
          '0',
          '--duration',
          '1s',
        ],
        { env: process.env, stdio: 'ignore' },
      );
      await waitFor('the fault to be set', () => (app.faults.errorRate === 1 ? true : undefined), 10000, 20);
      killed.kill('SIGKILL');
      // no trap runs after SIGKILL: the app's own forSeconds clears the fault
      await waitFor('the app to clear the fault by itself', () => (app.faults.errorRate === 0 ? true : undefined), 5000, 50);
    } finally {
      await app.stop();
    }
  });

  it('CPU pressure: one SSM command runs the load in a transient unit that systemd stops after the duration', () => {
    const run = script('cpu-pressure.sh', ['--instance-id', 'i-0123456789abcdef0', '--environment', 'staging', '--duration', '1s', '--region', 'eu-west-1']);
    expect(run.status).toBe(0);
    const [call, ...rest] = logged();
    expect(rest).toEqual([]);
    expect(call).toContain('aws [ssm] [send-command] [--region] [eu-west-1] [--instance-ids] [i-0123456789abcdef0] [--document-name] [AWS-RunShellScript]');
    const parameters = /\[--parameters\] \[(\{.*\})\] \[--query\]/.exec(call)![1];
    const commands = (JSON.parse(parameters) as { commands: string[] }).commands;
    expect(commands).toEqual([
      "systemd-run --unit=gameday-cpu-pressure --collect --property=RuntimeMaxSec=1 /bin/sh -c 'n=$(nproc); i=0; while [ $i -lt $n ]; do timeout 1 yes >/dev/null & i=$((i+1)); done; wait'",
    ]);
    // the remote command is valid sh
    expect(spawnSync('sh', ['-n', '-c', commands[0]]).status).toBe(0);
    expect(run.stdout).toContain('CPU pressure started on i-0123456789abcdef0 (staging) for 1s, command cmd-0123');
  });

  it('CPU pressure: SIGTERM while waiting sends the stop; --stop alone sends only the stop', async () => {
    const run = await interrupted(
      'cpu-pressure.sh',
      ['--instance-id', 'i-0abc', '--environment', 'staging', '--duration', '5m', '--workers', '2'],
      () => logged().length === 1,
    );
    expect(run.status).toBe(130);
    expect(logged()[0]).toContain('n=2;');
    expect(logged()[1]).toContain('{"commands":["systemctl stop gameday-cpu-pressure.service || true"]}');
    writeFileSync(calls, '');
    expect(script('cpu-pressure.sh', ['--instance-id', 'i-0abc', '--environment', 'staging', '--stop']).status).toBe(0);
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toContain('systemctl stop gameday-cpu-pressure.service');
  });

  it('failing workflow: dispatches, finds and watches the run; a failed run is the expected outcome', () => {
    const run = script('failing-workflow.sh', ['--repo', 'acme/anvila-api', '--environment', 'staging', '--input', 'reason=drill']);
    expect(run.status).toBe(0);
    const log = logged();
    expect(log[0]).toBe(
      'gh [workflow] [run] [gameday-deploy-failure.yml] [--repo] [acme/anvila-api] [--ref] [main] [-f] [environment=staging] [-f] [gameday=true] [-f] [reason=drill]',
    );
    expect(log[1]).toMatch(
      /^gh \[run\] \[list\] \[--repo\] \[acme\/anvila-api\] \[--workflow\] \[gameday-deploy-failure\.yml\] \[--branch\] \[main\] \[--event\] \[workflow_dispatch\]/,
    );
    expect(log[2]).toBe('gh [run] [watch] [4242] [--repo] [acme/anvila-api] [--exit-status]');
    expect(log).toHaveLength(3);
    expect(run.stdout).toContain('run 4242 failed as intended');
  });

  it('failing workflow: a run that outlives the time limit is cancelled; one that succeeds is reported as no game day', () => {
    const slow = script('failing-workflow.sh', ['--repo', 'acme/anvila-api', '--environment', 'staging', '--timeout', '1s'], { FAKE_WATCH_SECONDS: '5' });
    expect(slow.status).toBe(124);
    expect(logged()[logged().length - 1]).toBe('gh [run] [cancel] [4242] [--repo] [acme/anvila-api]');
    writeFileSync(calls, '');
    const succeeded = script('failing-workflow.sh', ['--repo', 'acme/anvila-api', '--environment', 'staging'], { FAKE_WATCH_STATUS: '0' });
    expect(succeeded.status).toBe(1);
    expect(succeeded.stdout).toContain('SUCCEEDED: the workflow did not fail');
  });

  it('ships the failing workflow it dispatches by default', () => {
    const file = join(OPERATOR, 'workflows', 'gameday-deploy-failure.yml');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('workflow_dispatch');
    expect(text).toContain('exit 1');
    // the dispatch input reaches the shell through env, never interpolated into the script
    expect(text).not.toMatch(/run: \|[\s\S]*\$\{\{ inputs\./);
  });
});
