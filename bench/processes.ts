import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/*
 * Starting, waiting for and stopping the real programs of the live tests and the benchmarks (the pinned Prometheus family from scripts/oracles.sh, the
 * bundled DORA exporter, local fake peers), always on 127.0.0.1 and always bounded in time.
 */

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
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
