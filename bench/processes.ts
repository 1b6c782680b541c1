import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Starting, waiting for and stopping the real programs of the live tests and the benchmarks (the pinned Prometheus family from scripts/oracles.sh, the
 * bundled DORA exporter, local fake peers), always on 127.0.0.1 and always bounded in time.
 */

/*
 * Ports for the daemons of the live tests and benchmarks. A port that is merely free when asked (bind :0, close,
 * hand the number on) can be taken before the daemon binds it: by the kernel for another program's outgoing
 * connection or bind(0), or by a parallel test asking the same way. So ports come from below the kernel's
 * ephemeral range (which neither ever uses) and each is reserved by a lock file naming the reserving process,
 * created exclusively, held until that process exits. Locks of processes that are gone are taken over.
 */

/** Where the reservations of every process on this machine live, one file per port holding the owner's pid. */
export const PORT_LOCK_DIR = join(tmpdir(), 'lgtm-platform-port-locks');

/** The ports handed out: the 12 000 below the kernel's ephemeral range (or 20000-32767 if it cannot be read). */
const PORT_RANGE = ((): { low: number; high: number } => {
  try {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (ephemeralLow > 2048) return { low: Math.max(1024, ephemeralLow - 12000), high: ephemeralLow - 1 };
  } catch {
    // not Linux: the fallback below sits under the usual ephemeral ranges
  }
  return { low: 20000, high: 32767 };
})();

const heldPorts = new Set<number>();

/**
 * Gives back every port this process reserved. A plain node process does it as it exits; under jest, whose
 * sandboxed `process` never sees the worker exit, __tests__/setup.ts does it after each test file.
 */
export function releaseReservedPorts(): void {
  for (const port of heldPorts) rmSync(join(PORT_LOCK_DIR, String(port)), { force: true });
  heldPorts.clear();
}
process.once('exit', releaseReservedPorts);

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lock of `port` for this process, taking it over from an owner that is gone; false if another holds it. */
function claimPortLock(port: number): boolean {
  const lock = join(PORT_LOCK_DIR, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: string;
    try {
      owner = readFileSync(lock, 'utf8');
    } catch {
      continue; // released meanwhile: try to create it again
    }
    const pid = Number(owner.trim());
    if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) return false;
    rmSync(lock, { force: true });
  }
  return false;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Reserves `port` for this process: true when its lock is now ours and nothing listens on it. The lock is kept
 * until the process exits, so a daemon may bind it, stop and bind it again.
 */
export async function tryReservePort(port: number): Promise<boolean> {
  mkdirSync(PORT_LOCK_DIR, { recursive: true });
  if (heldPorts.has(port) || !claimPortLock(port)) return false;
  if (await canBind(port)) {
    heldPorts.add(port);
    return true;
  }
  rmSync(join(PORT_LOCK_DIR, String(port)), { force: true });
  return false;
}

/** A TCP port on 127.0.0.1 reserved for this process (see {@link tryReservePort}) for a daemon to bind. */
export async function freePort(): Promise<number> {
  const size = PORT_RANGE.high - PORT_RANGE.low + 1;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const port = PORT_RANGE.low + ((start + i) % size);
    if (await tryReservePort(port)) return port;
  }
  throw new Error(`no port of ${PORT_RANGE.low}-${PORT_RANGE.high} is free to reserve (locks in ${PORT_LOCK_DIR})`);
}

/** A started daemon whose output is kept for failure messages. */
export interface Daemon {
  readonly process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function startDaemon(command: string, args: string[]): Daemon {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.toString() : JSON.stringify(lastError)})` : ''}`,
  );
}

/** Resolves when http://127.0.0.1:<port><path> answers 200. */
export function waitForHttp(port: number, urlPath: string, timeoutMs: number, daemon?: Daemon): Promise<true> {
  return waitFor(
    `http://127.0.0.1:${port}${urlPath}${daemon ? `\n${daemon.output()}` : ''}`,
    async () => {
      if (daemon && daemon.process.exitCode !== null) throw new Error(`process exited: ${daemon.output()}`);
      const response = await fetch(`http://127.0.0.1:${port}${urlPath}`);
      return response.ok ? true : undefined;
    },
    timeoutMs,
  );
}

/**
 * The port a spawned program announces as `listening on 127.0.0.1:<port>` on stderr (the DORA exporter does,
 * when told to listen on port 0). `stderr()` returns what it has written so far, for failure messages.
 */
export function announcedPort(child: ChildProcess): { port: Promise<number>; stderr: () => string } {
  let stderr = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited with ${code}: ${stderr}`)));
  });
  return { port, stderr: () => stderr };
}
